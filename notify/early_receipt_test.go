package notify

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

// racyProvider is a carrier whose delivery receipt reaches the Service
// before Send returns: the receipt overtakes the write of its own send.
type racyProvider struct {
	s   *Service
	t   *testing.T
	ids int
}

func (p *racyProvider) Name() string { return "racy" }

func (p *racyProvider) Send(ctx context.Context, m provider.Message) (provider.Receipt, error) {
	p.ids++
	id := "r-" + strconv.Itoa(p.ids)
	u := provider.StatusUpdate{Provider: "racy", ID: id, Status: provider.StatusDelivered, To: m.To, At: time.Now()}
	if err := p.s.HandleStatus(ctx, u); err != nil {
		p.t.Errorf("HandleStatus before Complete: %v", err)
	}
	return provider.Receipt{ID: id, Provider: "racy", Status: provider.StatusQueued}, nil
}

// lockedBuffer is a log destination safe for concurrent use.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// buffered returns the provider ids of the buffered receipts, oldest first,
// and whether the retry goroutine runs.
func buffered(s *Service) ([]string, bool) {
	s.early.mu.Lock()
	defer s.early.mu.Unlock()
	var ids []string
	for _, r := range s.early.list {
		ids = append(ids, r.u.ID)
	}
	n := 0
	for _, c := range s.early.byKey {
		n += c
	}
	if n != len(ids) || s.early.n.Load() != int64(len(ids)) {
		panic("early receipt counts out of step")
	}
	return ids, s.early.running
}

func TestEarlyReceiptAppliedOnComplete(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := &racyProvider{t: t}
		var hooked []provider.Status
		st := NewMemoryStore()
		s, err := New(p, WithStore(st), WithOnStatus(func(_ context.Context, m Message) { hooked = append(hooked, m.Status) }))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Shutdown(ctx)
		p.s = s
		start := time.Now()
		rep, err := s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(1)}, Body: "Your parcel arrives today"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts[OutcomeSent] != 1 {
			t.Fatalf("counts %v, want one sent", rep.Counts)
		}
		// Applied by the pipeline's Complete, not by the periodic retry.
		if waited := time.Since(start); waited >= earlyRetryEvery {
			t.Errorf("receipt applied after %v, want at completion", waited)
		}
		m, err := st.Message(ctx, rep.Results[0].MessageID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != provider.StatusDelivered {
			t.Errorf("status %s, want delivered", m.Status)
		}
		if diff := cmp.Diff([]provider.Status{provider.StatusDelivered}, hooked); diff != "" {
			t.Errorf("OnStatus calls (-want +got):\n%s", diff)
		}
		tl, err := s.TopicTally(ctx, "", DefaultTopic, start.Add(-time.Hour), start.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(Tally{Sent: 1, Delivered: 1}, tl); diff != "" {
			t.Errorf("tally (-want +got):\n%s", diff)
		}
		if ids, _ := buffered(s); len(ids) != 0 {
			t.Errorf("buffer holds %v after completion", ids)
		}
		// The retry goroutine finds the buffer empty and stops on its own.
		time.Sleep(earlyRetryEvery)
		synctest.Wait()
		if _, running := buffered(s); running {
			t.Error("retry goroutine still running with an empty buffer")
		}
		if len(hooked) != 1 {
			t.Errorf("OnStatus called %d times, want 1", len(hooked))
		}
	})
}

func TestEarlyReceiptRetriedForAnotherInstance(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		var hooked []provider.Status
		s, st, _ := newTestService(t, WithOnStatus(func(_ context.Context, m Message) { hooked = append(hooked, m.Status) }))
		at := time.Now()
		u := provider.StatusUpdate{Provider: "fake", ID: "p-n1", Status: provider.StatusDelivered, To: num(1), At: at.Add(time.Second)}
		if err := s.HandleStatus(ctx, u); err != nil {
			t.Fatalf("HandleStatus before the message exists: %v", err)
		}
		if ids, running := buffered(s); !cmp.Equal(ids, []string{"p-n1"}) || !running {
			t.Fatalf("buffer %v running %v, want [p-n1] and a retry goroutine", ids, running)
		}
		// Another instance sharing the store completes the message.
		putSent(t, st, "n1", sentMsg{topic: "orders", from: "+14155550001", to: num(1), at: at})
		time.Sleep(earlyRetryEvery)
		synctest.Wait()
		m, err := st.Message(ctx, "n1/0")
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != provider.StatusDelivered {
			t.Errorf("status %s, want delivered", m.Status)
		}
		if diff := cmp.Diff([]provider.Status{provider.StatusDelivered}, hooked); diff != "" {
			t.Errorf("OnStatus calls (-want +got):\n%s", diff)
		}
		tl, _ := s.TopicTally(ctx, "", "orders", at.Add(-time.Hour), at.Add(time.Hour))
		if diff := cmp.Diff(Tally{Sent: 1, Delivered: 1}, tl); diff != "" {
			t.Errorf("tally (-want +got):\n%s", diff)
		}
		if ids, running := buffered(s); len(ids) != 0 || running {
			t.Errorf("buffer %v running %v after the retry, want empty and stopped", ids, running)
		}
	})
}

func TestEarlyReceiptExpires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		var logs lockedBuffer
		hooks := 0
		s, st, _ := newTestService(t, WithEarlyReceiptWindow(30*time.Second),
			WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
			WithOnStatus(func(context.Context, Message) { hooks++ }))
		putSent(t, st, "n1", sentMsg{from: "+14155550001", to: num(1), at: time.Now()})
		u := provider.StatusUpdate{Provider: "fake", ID: "nope", Status: provider.StatusDelivered, To: "+14155550671"}
		if err := s.HandleStatus(ctx, u); err != nil {
			t.Fatalf("HandleStatus: %v, want accepted", err)
		}
		time.Sleep(29 * time.Second)
		synctest.Wait()
		if ids, _ := buffered(s); !cmp.Equal(ids, []string{"nope"}) {
			t.Errorf("buffer %v before the window ends, want [nope]", ids)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if ids, running := buffered(s); len(ids) != 0 || running {
			t.Errorf("buffer %v running %v after the window, want empty and stopped", ids, running)
		}
		if hooks != 0 {
			t.Errorf("OnStatus called %d times for an unknown message", hooks)
		}
		m, _ := st.Message(ctx, "n1/0")
		if m.Status != provider.StatusQueued {
			t.Errorf("unrelated message moved to %s", m.Status)
		}
		out := logs.String()
		if !strings.Contains(out, "dropping a delivery receipt") || !strings.Contains(out, "+1415****671") || strings.Contains(out, "+14155550671") {
			t.Errorf("want a masked drop warning, got log:\n%s", out)
		}
	})
}

func TestEarlyReceiptCapDropsOldest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs lockedBuffer
		s, _, _ := newTestService(t, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		s.early.max = 3
		for _, id := range []string{"a", "b", "c", "d"} {
			u := provider.StatusUpdate{Provider: "fake", ID: id, Status: provider.StatusSent, To: "+14155550671"}
			if err := s.HandleStatus(context.Background(), u); err != nil {
				t.Fatal(err)
			}
		}
		if ids, _ := buffered(s); !cmp.Equal(ids, []string{"b", "c", "d"}) {
			t.Errorf("buffer %v, want [b c d]", ids)
		}
		if out := logs.String(); !strings.Contains(out, "buffer full") || !strings.Contains(out, "provider_id=a") || strings.Contains(out, "+14155550671") {
			t.Errorf("want a masked warning naming a, got log:\n%s", out)
		}
	})
}

func TestEarlyReceiptWindowZero(t *testing.T) {
	s, _, _ := newTestService(t, WithEarlyReceiptWindow(0))
	err := s.HandleStatus(context.Background(), provider.StatusUpdate{Provider: "fake", ID: "nope", Status: provider.StatusDelivered})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
	if ids, running := buffered(s); len(ids) != 0 || running {
		t.Errorf("buffer %v running %v with window 0", ids, running)
	}
}

func TestEarlyReceiptShutdownStopsRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := fake.New()
		defer p.Close()
		s, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		u := provider.StatusUpdate{Provider: "fake", ID: "nope", Status: provider.StatusDelivered}
		if err := s.HandleStatus(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * earlyRetryEvery)
		synctest.Wait()
		if _, running := buffered(s); !running {
			t.Fatal("no retry goroutine while a receipt is buffered")
		}
		if err := s.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, running := buffered(s); running {
			t.Error("retry goroutine running after Shutdown")
		}
		// After Shutdown nothing retries: an unknown receipt is an error again.
		if err := s.HandleStatus(context.Background(), u); !errors.Is(err, ErrNotFound) {
			t.Errorf("HandleStatus after Shutdown: %v, want ErrNotFound", err)
		}
		// synctest.Test fails if a goroutine of the bubble is left.
	})
}

// BenchmarkApplyEarlyReceiptsEmpty is the cost the send path pays per
// completed message when no receipt is buffered: it must not allocate.
func BenchmarkApplyEarlyReceiptsEmpty(b *testing.B) {
	s, _, _ := newTestService(b)
	m := &Message{Provider: "fake", ProviderID: "p-1"}
	b.ReportAllocs()
	for b.Loop() {
		s.applyEarlyReceipts(m)
	}
}
