package notify

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
)

func TestHandleStatusOutOfOrderAndDuplicates(t *testing.T) {
	ctx := context.Background()
	var hooked []provider.Status
	s, st, _ := newTestService(t, WithOnStatus(func(_ context.Context, m Message) {
		if m.Metadata["order"] != "A-17" || m.Topic != "orders" {
			t.Errorf("hook got message without topic or metadata: %+v", m)
		}
		hooked = append(hooked, m.Status)
	}))
	putSent(t, st, "n1", sentMsg{topic: "orders", from: "+14155550001", to: num(1), at: t0, meta: map[string]string{"order": "A-17"}})
	for _, u := range []provider.StatusUpdate{
		{Status: provider.StatusDelivered, At: t0.Add(3 * time.Second)},
		{Status: provider.StatusSent, At: t0.Add(2 * time.Second)},                 // late
		{Status: provider.StatusDelivered, At: t0.Add(3 * time.Second)},            // duplicate
		{Status: provider.StatusUndelivered, Code: "30003", At: t0.Add(time.Hour)}, // contradicts a final state
	} {
		u.Provider, u.ID = "fake", "p-n1"
		if err := s.HandleStatus(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	m, _ := st.Message(ctx, "n1/0")
	if m.Status != provider.StatusDelivered {
		t.Errorf("status %s, want delivered", m.Status)
	}
	if diff := cmp.Diff([]provider.Status{provider.StatusDelivered}, hooked); diff != "" {
		t.Errorf("OnStatus calls (-want +got):\n%s", diff)
	}
	tl, _ := s.TopicTally(ctx, "", "orders", t0, t0.Add(24*time.Hour))
	if diff := cmp.Diff(Tally{Sent: 1, Delivered: 1}, tl); diff != "" {
		t.Errorf("tally (-want +got):\n%s", diff)
	}
	var kept []provider.Status
	for _, c := range m.Statuses {
		kept = append(kept, c.Status)
	}
	want := []provider.Status{provider.StatusQueued, provider.StatusDelivered, provider.StatusSent, provider.StatusUndelivered}
	if diff := cmp.Diff(want, kept); diff != "" {
		t.Errorf("status history (-want +got):\n%s", diff)
	}
}

func TestHandleStatusFailureCountsOnce(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newTestService(t)
	putSent(t, st, "n1", sentMsg{topic: "orders", from: "+14155550001", to: num(1), at: t0})
	for range 2 {
		if err := s.HandleStatus(ctx, provider.StatusUpdate{Provider: "fake", ID: "p-n1", Status: provider.StatusUndelivered, Code: "30003", At: t0.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	tl, _ := s.TopicTally(ctx, "", "orders", t0, t0.Add(time.Hour))
	if diff := cmp.Diff(Tally{Sent: 1, Failed: 1}, tl); diff != "" {
		t.Errorf("tally (-want +got):\n%s", diff)
	}
}

func TestHandleStatusUnknownMessage(t *testing.T) {
	s, _, _ := newTestService(t, WithEarlyReceiptWindow(0))
	err := s.HandleStatus(context.Background(), provider.StatusUpdate{Provider: "fake", ID: "nope", Status: provider.StatusDelivered})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

// BenchmarkHandleStatus applies a delivered receipt to a message that was
// queued (the common path: status moves, tally counted). Target < 2 µs.
func BenchmarkHandleStatus(b *testing.B) {
	ctx := context.Background()
	const batch = 1 << 16
	var s *Service
	fresh := func(k int) {
		st := NewMemoryStore()
		id := "n" + strconv.Itoa(k)
		if _, _, err := st.CreateNotification(ctx, NotificationRecord{ID: id, Topic: "orders", Total: batch}); err != nil {
			b.Fatal(err)
		}
		rows := make([]Message, batch)
		for i := range rows {
			rows[i] = Message{NotificationID: id, Index: i, Topic: "orders", To: num(i % 10000), From: "+14155550001"}
		}
		if err := st.Enqueue(ctx, rows); err != nil {
			b.Fatal(err)
		}
		claimed, _ := st.Claim(ctx, id, "bench", batch, t0, t0.Add(time.Hour))
		for i, m := range claimed {
			m.Outcome, m.Provider, m.ProviderID, m.Status, m.UpdatedAt = OutcomeSent, "fake", strconv.Itoa(i), provider.StatusQueued, t0
			m.Statuses = []StatusChange{{Status: provider.StatusQueued, At: t0}}
			if err := st.Complete(ctx, m, "bench"); err != nil {
				b.Fatal(err)
			}
		}
		if s != nil {
			_ = s.Shutdown(ctx)
		}
		var err error
		if s, err = New(providerStub{}, WithStore(st)); err != nil {
			b.Fatal(err)
		}
	}
	ids := make([]string, batch)
	for i := range ids {
		ids[i] = strconv.Itoa(i)
	}
	u := provider.StatusUpdate{Provider: "fake", Status: provider.StatusDelivered, At: t0.Add(time.Minute)}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if i%batch == 0 {
			b.StopTimer()
			fresh(i / batch)
			runtime.GC() // the setup's garbage is not the handler's cost
			b.StartTimer()
		}
		u.ID = ids[i%batch]
		if err := s.HandleStatus(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	_ = s.Shutdown(ctx)
}
