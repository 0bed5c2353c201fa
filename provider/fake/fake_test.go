package fake_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

func msg(to string) provider.Message {
	return provider.Message{From: "+14155550000", To: to, Body: "hello"}
}

func TestRecordsAndAssigns(t *testing.T) {
	p := fake.New()
	defer p.Close()
	r1, err := p.Send(t.Context(), msg("+14155550001"))
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := p.Send(t.Context(), msg("+14155550002"))
	p.Send(t.Context(), msg("+14155550001"))
	want := provider.Receipt{ID: "fake-1", Provider: "fake", Status: provider.StatusQueued, Segments: 1}
	if d := cmp.Diff(want, r1); d != "" {
		t.Errorf("receipt (-want +got):\n%s", d)
	}
	if r2.ID != "fake-2" {
		t.Errorf("second id = %q", r2.ID)
	}
	if p.Count() != 3 || len(p.SentTo("+14155550001")) != 2 || p.Attempts() != 3 {
		t.Errorf("Count %d SentTo %d Attempts %d", p.Count(), len(p.SentTo("+14155550001")), p.Attempts())
	}
	if d := cmp.Diff([]string{"fake-1", "fake-2", "fake-3"}, p.IDs()); d != "" {
		t.Error(d)
	}
	sent := p.Sent()
	sent[0].To = "mutated"
	if p.Sent()[0].To != "+14155550001" {
		t.Error("Sent returned the internal slice")
	}
}

func TestScriptedFailures(t *testing.T) {
	p := fake.New(
		fake.WithName("acme"),
		fake.FailNth(2, fake.QueueFull()),
		fake.FailNumber("+14155550009", fake.Permanent(provider.ErrLandline, "30006")),
		fake.FailNth(4, fake.Timeout()),
	)
	defer p.Close()
	var classes []string
	for _, to := range []string{"+1", "+2", "+14155550009", "+4", "+5"} {
		_, err := p.Send(t.Context(), msg(to))
		if err == nil {
			classes = append(classes, "ok")
			continue
		}
		var pe *provider.Error
		if !errors.As(err, &pe) || pe.Provider != "acme" {
			t.Fatalf("err = %v, want a *provider.Error from acme", err)
		}
		classes = append(classes, pe.Class.String())
	}
	if d := cmp.Diff([]string{"ok", "retryable", "permanent", "ambiguous", "ok"}, classes); d != "" {
		t.Errorf("outcomes (-want +got):\n%s", d)
	}
	// The ambiguous send is recorded as sent; rejected ones are not.
	var tos []string
	for _, m := range p.Sent() {
		tos = append(tos, m.To)
	}
	if d := cmp.Diff([]string{"+1", "+4", "+5"}, tos); d != "" {
		t.Errorf("recorded (-want +got):\n%s", d)
	}
}

func TestRatesAreSeededAndDeterministic(t *testing.T) {
	run := func(seed uint64) (outcomes string) {
		p := fake.New(fake.WithSeed(seed), fake.WithRateLimit(0.3, 2*time.Second), fake.WithTimeoutRate(0.1))
		defer p.Close()
		for range 200 {
			_, err := p.Send(context.Background(), msg("+1"))
			var pe *provider.Error
			switch {
			case err == nil:
				outcomes += "."
			case errors.As(err, &pe) && errors.Is(err, provider.ErrRateLimited):
				if pe.RetryAfter != 2*time.Second {
					panic("RetryAfter")
				}
				outcomes += "r"
			default:
				outcomes += "t"
			}
		}
		return outcomes
	}
	a, b := run(7), run(7)
	if a != b {
		t.Error("same seed, different outcomes")
	}
	var r, tm int
	for _, c := range a {
		switch c {
		case 'r':
			r++
		case 't':
			tm++
		}
	}
	if r < 40 || r > 80 || tm < 5 || tm > 35 {
		t.Errorf("%d rate-limited and %d timeouts out of 200, want about 60 and 14", r, tm)
	}
	if run(8) == a {
		t.Error("different seeds gave identical outcomes")
	}
}

func TestLatencyRespectsContextAndHoldsNoLock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := fake.New(fake.WithLatency(time.Second))
		defer p.Close()
		start := time.Now()
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Go(func() {
				if _, err := p.Send(t.Context(), msg(fmt.Sprint(i))); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if d := time.Since(start); d != time.Second {
			t.Errorf("10 concurrent sends with 1s latency took %v, want 1s (sends serialised?)", d)
		}

		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		_, err := p.Send(ctx, msg("+9"))
		if provider.ClassOf(err) != provider.Ambiguous || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("timeout during latency: %v, want Ambiguous DeadlineExceeded", err)
		}
		if p.Count() != 11 {
			t.Errorf("Count = %d, want 11 (an ambiguous send counts as sent)", p.Count())
		}
	})
}

func TestCanceledContextSendsNothing(t *testing.T) {
	p := fake.New()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := p.Send(ctx, msg("+1"))
	if provider.ClassOf(err) != provider.RejectedRetryable || p.Count() != 0 || p.Attempts() != 0 {
		t.Errorf("err %v, count %d", err, p.Count())
	}
}

func TestReceiptsAndReplies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var updates []provider.StatusUpdate
		var inbound []provider.Inbound
		p := fake.New(
			fake.WithDeliveryReceipts(5*time.Second),
			fake.Undelivered("+2", "30003"),
			fake.OnStatus(func(u provider.StatusUpdate) { mu.Lock(); updates = append(updates, u); mu.Unlock() }),
			fake.WithAutoReply(time.Minute, func(m provider.Message) (string, bool) { return "STOP", m.To == "+1" }),
			fake.OnInbound(func(in provider.Inbound) { mu.Lock(); inbound = append(inbound, in); mu.Unlock() }),
		)
		defer p.Close()
		start := time.Now()
		p.Send(t.Context(), msg("+1"))
		p.Send(t.Context(), msg("+2"))
		time.Sleep(4 * time.Second)
		synctest.Wait()
		mu.Lock()
		if len(updates) != 0 {
			t.Fatalf("receipts before the delay: %+v", updates)
		}
		mu.Unlock()
		time.Sleep(time.Second)
		synctest.Wait()
		want := []provider.StatusUpdate{
			{Provider: "fake", ID: "fake-1", Status: provider.StatusDelivered, Raw: "delivered", From: "+14155550000", To: "+1", At: start.Add(5 * time.Second), Segments: 1},
			{Provider: "fake", ID: "fake-2", Status: provider.StatusUndelivered, Raw: "undelivered", Code: "30003", Err: provider.ErrUnreachable, From: "+14155550000", To: "+2", At: start.Add(5 * time.Second), Segments: 1},
		}
		mu.Lock()
		// Both receipts are due at the same instant: their order is not defined.
		sort.Slice(updates, func(i, j int) bool { return updates[i].ID < updates[j].ID })
		if d := cmp.Diff(want, updates, cmp.Comparer(func(a, b error) bool { return a == b })); d != "" {
			t.Errorf("updates (-want +got):\n%s", d)
		}
		mu.Unlock()
		time.Sleep(time.Minute)
		synctest.Wait()
		wantIn := []provider.Inbound{{Provider: "fake", ID: "reply-fake-1", From: "+1", To: "+14155550000", Body: "STOP", Received: start.Add(time.Minute), Segments: 1}}
		mu.Lock()
		if d := cmp.Diff(wantIn, inbound); d != "" {
			t.Errorf("inbound (-want +got):\n%s", d)
		}
		mu.Unlock()
	})
}

func TestCloseStopsPendingEvents(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got int
		p := fake.New(fake.WithDeliveryReceipts(time.Hour), fake.OnStatus(func(provider.StatusUpdate) { got++ }))
		p.Send(t.Context(), msg("+1"))
		p.Close()
		p.Close()
		time.Sleep(2 * time.Hour)
		synctest.Wait()
		if got != 0 {
			t.Errorf("%d receipts after Close", got)
		}
		if _, err := p.Send(t.Context(), msg("+1")); !errors.Is(err, fake.ErrClosed) {
			t.Errorf("send after Close: %v", err)
		}
	})
}

func TestCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got []provider.Status
		p := fake.New(fake.WithDeliveryReceipts(time.Minute), fake.OnStatus(func(u provider.StatusUpdate) { got = append(got, u.Status) }))
		defer p.Close()
		r, _ := p.Send(t.Context(), msg("+1"))
		if err := p.Cancel(t.Context(), r.ID); err != nil {
			t.Fatal(err)
		}
		if err := p.Cancel(t.Context(), r.ID); !errors.Is(err, fake.ErrNotCancelable) {
			t.Errorf("second cancel: %v", err)
		}
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		if d := cmp.Diff([]provider.Status{provider.StatusCanceled}, got); d != "" {
			t.Error(d)
		}
	})
}

func TestLookupAndInjection(t *testing.T) {
	var ups []provider.StatusUpdate
	var ins []provider.Inbound
	p := fake.New(fake.WithLineType("+1", provider.LineLandline),
		fake.OnStatus(func(u provider.StatusUpdate) { ups = append(ups, u) }),
		fake.OnInbound(func(in provider.Inbound) { ins = append(ins, in) }))
	info, _ := p.Lookup(t.Context(), "+1")
	info2, _ := p.Lookup(t.Context(), "+2")
	if info.Type != provider.LineLandline || info2.Type != provider.LineMobile {
		t.Errorf("Lookup types %v %v", info.Type, info2.Type)
	}
	p.Deliver(provider.StatusUpdate{ID: "x", Status: provider.StatusFailed})
	p.Receive(provider.Inbound{From: "+1", Body: "HELP"})
	if len(ups) != 1 || ups[0].Provider != "fake" || ups[0].At.IsZero() || len(ins) != 1 || ins[0].Received.IsZero() {
		t.Errorf("injected events: %+v %+v", ups, ins)
	}
}

func BenchmarkSend(b *testing.B) {
	p := fake.New()
	defer p.Close()
	ctx := context.Background()
	m := msg("+14155550001")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSendParallel(b *testing.B) {
	p := fake.New()
	defer p.Close()
	m := msg("+14155550001")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			p.Send(context.Background(), m)
		}
	})
}
