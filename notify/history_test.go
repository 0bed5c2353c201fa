package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
)

func TestTopicTallyInterval(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newTestService(t)
	for i := range 6 {
		putSent(t, st, "n"+strconv.Itoa(i), sentMsg{topic: "orders", from: "+14155550001", to: num(i), body: "b", at: t0.Add(time.Duration(i) * time.Hour)})
	}
	putSent(t, st, "d1", sentMsg{topic: "orders", from: "+14155550001", to: num(9), at: t0.Add(90 * time.Minute), outcome: OutcomeDenied})
	putSent(t, st, "f1", sentMsg{topic: "orders", from: "+14155550001", to: num(8), at: t0.Add(90 * time.Minute), outcome: OutcomeFailed})
	putSent(t, st, "x1", sentMsg{topic: "other", from: "+14155550001", to: num(8), at: t0})
	if err := s.HandleStatus(ctx, provider.StatusUpdate{Provider: "fake", ID: "p-n1", Status: provider.StatusDelivered, At: t0.Add(61 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := s.HandleStatus(ctx, provider.StatusUpdate{Provider: "fake", ID: "p-n4", Status: provider.StatusUndelivered, At: t0.Add(5 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		from, to time.Time
		want     Tally
	}{
		{t0, t0.Add(24 * time.Hour), Tally{Sent: 6, Delivered: 1, Failed: 2, Denied: 1}},
		{t0.Add(time.Hour), t0.Add(2 * time.Hour), Tally{Sent: 1, Delivered: 1, Failed: 1, Denied: 1}},
		{t0.Add(3 * time.Hour), t0.Add(24 * time.Hour), Tally{Sent: 3, Failed: 1}},
		{t0.Add(-time.Hour), t0, Tally{}},
	} {
		got, err := s.TopicTally(ctx, "", "orders", c.from, c.to)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("[%s, %s) (-want +got):\n%s", c.from.Format("15:04"), c.to.Format("15:04"), diff)
		}
	}
}

func TestRecentMessagesKeepsLast1000(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newTestService(t)
	for i := range 1200 {
		putSent(t, st, "n"+strconv.Itoa(i), sentMsg{topic: "orders", from: "+14155550001", to: num(i), at: t0.Add(time.Duration(i) * time.Second)})
	}
	if err := s.HandleStatus(ctx, provider.StatusUpdate{Provider: "fake", ID: "p-n1199", Status: provider.StatusDelivered, At: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	got, err := s.RecentMessages(ctx, "", "orders", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != RecentLimit {
		t.Fatalf("%d messages, want %d", len(got), RecentLimit)
	}
	if got[0].ID != "n1199/0" || got[999].ID != "n200/0" {
		t.Errorf("newest %s, oldest %s; want n1199/0 and n200/0", got[0].ID, got[999].ID)
	}
	if got[0].Status != provider.StatusDelivered {
		t.Errorf("newest status %s, want delivered", got[0].Status)
	}
	few, _ := s.RecentMessages(ctx, "", "orders", 3)
	if len(few) != 3 {
		t.Errorf("limit 3 gave %d", len(few))
	}
	if none, _ := s.RecentMessages(ctx, "other-account", "orders", 10); len(none) != 0 {
		t.Errorf("another account sees %d messages", len(none))
	}
}

func TestMessageDetail(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newTestService(t)
	meta := map[string]string{"crm_record": "0061x00000AbCdE"}
	m := putSent(t, st, "n1", sentMsg{account: "acme", topic: "orders", from: "+14155550001", to: num(1), body: "Your order shipped", at: t0, meta: meta})
	putSent(t, st, "n2", sentMsg{account: "acme", topic: "orders", from: "+14155550001", to: num(2), body: "x", at: t0, outcome: OutcomeDenied})
	if err := st.ClaimSender(ctx, "+14155550001", "acme"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []provider.StatusUpdate{
		{Provider: "fake", ID: "p-n1", Status: provider.StatusSent, At: t0.Add(time.Second)},
		{Provider: "fake", ID: "p-n1", Status: provider.StatusDelivered, At: t0.Add(2 * time.Second)},
	} {
		if err := s.HandleStatus(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.HandleInbound(ctx, provider.Inbound{Provider: "fake", ID: "in1", From: num(1), To: "+14155550001", Body: "where is it?", Received: t0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	d, err := s.MessageDetail(ctx, "acme", m.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantStatuses := []provider.Status{provider.StatusQueued, provider.StatusSent, provider.StatusDelivered}
	var gotStatuses []provider.Status
	for _, c := range d.Message.Statuses {
		gotStatuses = append(gotStatuses, c.Status)
	}
	if diff := cmp.Diff(wantStatuses, gotStatuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if d.Message.Body != "Your order shipped" || d.Message.From != "+14155550001" || d.Message.To != num(1) || d.Message.Segments != 1 {
		t.Errorf("message = %+v", d.Message)
	}
	if diff := cmp.Diff(meta, d.Message.Metadata); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
	if d.Notification.ID != "n1" || len(d.Replies) != 1 || d.Replies[0].Body != "where is it?" {
		t.Errorf("notification %q, replies %+v", d.Notification.ID, d.Replies)
	}
	denied, err := s.MessageDetail(ctx, "acme", "n2/0")
	if err != nil || denied.Message.Outcome != OutcomeDenied || denied.Message.Reason != "consent.opted-out" {
		t.Errorf("denied message: %+v, %v (want the compliance reason)", denied.Message, err)
	}
	if _, err := s.MessageDetail(ctx, "other", m.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("another account's message: %v, want ErrNotFound", err)
	}
}

func TestThreadPerSenderAndRecipient(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newTestService(t, WithContactPoint(pool))
	a, b := pool.Numbers[0], pool.Numbers[1]
	putSent(t, st, "n1", sentMsg{from: a, to: num(1), body: "one", at: t0})
	putSent(t, st, "n2", sentMsg{from: b, to: num(1), body: "other thread", at: t0.Add(time.Minute)})
	putSent(t, st, "n3", sentMsg{from: a, to: num(1), body: "two", at: t0.Add(2 * time.Minute)})
	putSent(t, st, "n4", sentMsg{from: a, to: num(1), body: "failed", at: t0.Add(3 * time.Minute), outcome: OutcomeFailed})
	if err := s.HandleInbound(ctx, provider.Inbound{From: num(1), To: a, Body: "ok thanks", Received: t0.Add(90 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	th, err := s.Thread(ctx, "", a, num(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range th {
		got = append(got, fmt.Sprintf("%v:%s", e.Inbound, e.Body))
	}
	want := []string{"false:one", "true:ok thanks", "false:two"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("thread (-want +got):\n%s", diff)
	}
	last2, _ := s.Thread(ctx, "", a, num(1), 2)
	if len(last2) != 2 || last2[1].Body != "two" {
		t.Errorf("limit 2: %+v", last2)
	}
	if other, _ := s.Thread(ctx, "", b, num(1), 0); len(other) != 1 || other[0].Body != "other thread" {
		t.Errorf("thread of the other pool number: %+v", other)
	}
}

// populate writes n sent messages of one topic through the outbox, in
// notifications of 1000 recipients, spread over span.
func populate(b *testing.B, st *MemoryStore, n int, span time.Duration) {
	ctx := context.Background()
	step := span / time.Duration(n)
	const per = 1000
	for k := 0; k*per < n; k++ {
		id := "n" + strconv.Itoa(k)
		at := t0.Add(time.Duration(k*per) * step)
		if _, _, err := st.CreateNotification(ctx, NotificationRecord{ID: id, Topic: "orders", Total: per, CreatedAt: at}); err != nil {
			b.Fatal(err)
		}
		rows := make([]Message, per)
		for i := range rows {
			rows[i] = Message{NotificationID: id, Index: i, Topic: "orders", To: num(i), Given: num(i), From: "+14155550001", Body: "Your order shipped", CreatedAt: at}
		}
		if err := st.Enqueue(ctx, rows); err != nil {
			b.Fatal(err)
		}
		claimed, err := st.Claim(ctx, id, "bench", per, at, at.Add(time.Minute))
		if err != nil {
			b.Fatal(err)
		}
		for i, m := range claimed {
			m.Outcome, m.Segments, m.Provider, m.ProviderID = OutcomeSent, 1, "fake", id+"-"+strconv.Itoa(i)
			m.Status = provider.StatusQueued
			m.UpdatedAt = at.Add(time.Duration(i) * step)
			if err := st.Complete(ctx, m, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkHistory1M measures the history queries over 1,000,000 messages
// of one topic spread over 30 days in the memory store (target < 1 ms).
func BenchmarkHistory1M(b *testing.B) {
	ctx := context.Background()
	st := NewMemoryStore()
	populate(b, st, 1_000_000, 30*24*time.Hour)
	s, err := New(providerStub{}, WithStore(st))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Shutdown(ctx)
	b.Run("tally-30d", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tl, err := s.TopicTally(ctx, "", "orders", t0, t0.Add(30*24*time.Hour))
			if err != nil || tl.Sent != 1_000_000 {
				b.Fatalf("%+v %v", tl, err)
			}
		}
	})
	b.Run("tally-1d", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.TopicTally(ctx, "", "orders", t0.Add(24*time.Hour), t0.Add(48*time.Hour)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("recent-1000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ms, err := s.RecentMessages(ctx, "", "orders", 1000)
			if err != nil || len(ms) != 1000 {
				b.Fatal(len(ms), err)
			}
		}
	})
}

// providerStub accepts every message; benchmarks use it to avoid the
// fake's bookkeeping.
type providerStub struct{}

func (providerStub) Send(context.Context, provider.Message) (provider.Receipt, error) {
	return provider.Receipt{ID: "stub", Provider: "stub", Status: provider.StatusQueued}, nil
}

func TestTallySeriesSumMatchesMinutes(t *testing.T) {
	ts := &tallySeries{buckets: make(map[int64]*Tally)}
	base := t0.Add(-7 * time.Minute)
	for i := range 500 {
		at := base.Add(time.Duration(i*i%7919) * time.Minute)
		ts.add(at, Tally{Sent: 1, Delivered: int64(i % 2)})
	}
	brute := func(from, to time.Time) Tally {
		var t Tally
		for m, b := range ts.buckets {
			if m >= from.Unix()/60 && m < to.Unix()/60 {
				t = t.Add(*b)
			}
		}
		return t
	}
	for i := range 200 {
		from := base.Add(time.Duration(i*37%6000) * time.Minute)
		to := from.Add(time.Duration(i*53%3000) * time.Minute)
		if diff := cmp.Diff(brute(from, to), ts.sum(from, to)); diff != "" {
			t.Fatalf("[%v, %v) (-want +got):\n%s", from, to, diff)
		}
	}
}
