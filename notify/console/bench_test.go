package console

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

// BenchmarkPages renders every page with 1,000,000 messages in the
// store: 10 topics of 100,000 messages each, spread over the last 30
// days (so the 30-day tally reads 43,200 one-minute buckets per topic).
// The target is under 50 ms a page.
func BenchmarkPages(b *testing.B) {
	const (
		total     = 1_000_000
		topics    = 10
		perNotif  = 1000
		spanMins  = 30 * 24 * 60
		benchBody = "Your parcel 4417 arrives Tuesday between 9 and 11. Reply STOP to opt out."
	)
	ctx := context.Background()
	now := time.Date(2025, 3, 4, 18, 0, 0, 0, time.UTC)
	store := notify.NewMemoryStore(notify.WithHistoryLimit(total)) // keep all of them: the default window is smaller
	p := fake.New()
	defer p.Close()
	svc, err := notify.New(p, notify.WithStore(store), notify.WithClock(func() time.Time { return now }),
		notify.WithContactPoint(notify.ContactPoint{Name: "support", Numbers: []string{"+14155550100"}}))
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Shutdown(ctx)
	for i := range topics {
		if _, err := svc.CreateTopic(ctx, "", "topic-"+strconv.Itoa(i), fmt.Sprintf("Topic %d", i)); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	for n := 0; n < total/perNotif; n++ {
		batch := make([]notify.Message, perNotif) // Enqueue takes the slice over: a new one each time
		id := "n" + strconv.Itoa(n)
		topic := "topic-" + strconv.Itoa(n%topics)
		if _, _, err := store.CreateNotification(ctx, notify.NotificationRecord{ID: id, Topic: topic, Total: perNotif, State: notify.NotificationDone, CreatedAt: now}); err != nil {
			b.Fatal(err)
		}
		for i := range batch {
			k := n*perNotif + i
			at := now.Add(-time.Duration((total-k)*spanMins/total) * time.Minute)
			to := "+1415555" + fmt.Sprintf("%04d", k%10000)
			m := notify.Message{NotificationID: id, Index: i, Topic: topic, Given: to, To: to, From: "+14155550100",
				Body: benchBody, Segments: 1, Encoding: "GSM-7", Outcome: notify.OutcomeSent, Status: provider.StatusSent,
				CreatedAt: at, UpdatedAt: at}
			switch k % 10 {
			case 0:
				m.Outcome, m.Reason = notify.OutcomeDenied, "consent.opted-out"
			case 1:
				m.Outcome, m.Reason = notify.OutcomeFailed, "carrier_opted_out:21610"
			case 2, 3, 4, 5, 6:
				m.Status = provider.StatusDelivered
			}
			batch[i] = m
		}
		if err := store.Enqueue(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("stored %d messages in %v", total, time.Since(start))

	h := newHandler(serviceBackend{svc}, WithAuthenticator(func(*http.Request) (notify.Actor, error) {
		return notify.Actor{ID: "agent"}, nil
	}), WithClock(func() time.Time { return now }))
	pages := []string{
		"/send",
		"/history",
		"/history?preset=30d",
		"/history?show=disabled",
		"/recent?topic=topic-3",
		"/message?id=" + url.QueryEscape("n500/17"),
		"/topics",
		"/optouts?number=%2B14155552671",
		"/replies",
		"/conversations",
	}
	for _, page := range pages {
		b.Run(page, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, page, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d\n%s", page, rec.Code, rec.Body)
				}
			}
		})
	}
}
