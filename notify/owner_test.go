package notify

import (
	"context"
	"errors"
	"iter"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/heraldsms/herald/provider/fake"
)

// TestJobKeepsItsIdentityAcrossPauseAndResume: the owner that paused a
// notification is the one that resumes it; no second job appears.
func TestJobKeepsItsIdentityAcrossPauseAndResume(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New(fake.WithLatency(time.Second))
		s := startService(t, fp, WithConcurrency(1))
		ctx := context.Background()
		var to []string
		for i := range 10 {
			to = append(to, usNumber(i))
		}
		var id string
		var first *job
		paused := make(chan struct{})
		go func() {
			rep, err := s.SendStream(ctx, Notification{From: "+14155550100", To: to, Body: "Hi"}, nil,
				OnResult(func(r Result) {
					if r.Index == 2 {
						id = r.MessageID[:len(r.MessageID)-2]
						first = s.running(id)
						if err := s.Pause(ctx, id, "host"); err != nil {
							t.Error(err)
						}
						close(paused)
					}
				}))
			if err != nil || !rep.Paused {
				t.Errorf("stream: paused=%v err=%v", rep != nil && rep.Paused, err)
			}
		}()
		<-paused
		synctest.Wait()
		if got := s.running(id); got != first || first == nil {
			t.Fatalf("paused job %p, registered %p", first, got)
		}
		rep, err := s.Resume(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts[OutcomeSent] != 10 {
			t.Fatalf("counts after resume %v", rep.Counts)
		}
		if got := fp.Attempts(); got != 10 {
			t.Fatalf("%d provider calls, want 10", got)
		}
	})
}

// TestPauseOnOneInstanceStopsAnother: a Pause recorded by one Service is
// obeyed by another Service running the notification within its poll
// interval, and a Resume on the first one hands the rest back out.
func TestPauseOnOneInstanceStopsAnother(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mem := NewMemoryStore()
		fp := fake.New(fake.WithLatency(100 * time.Millisecond))
		a := startService(t, fp, WithStore(mem), WithConcurrency(1), WithPollInterval(time.Second))
		b := startService(t, fp, WithStore(mem), WithConcurrency(1), WithPollInterval(time.Second))
		ctx := context.Background()
		var to []string
		for i := range 100 {
			to = append(to, usNumber(i))
		}
		done := make(chan *Report)
		go func() {
			rep, err := a.Send(ctx, Notification{From: "+14155550100", To: to, Body: "Hi"})
			if err != nil {
				t.Error(err)
			}
			done <- rep
		}()
		// Between two polls (at whole seconds): a poll at the very instant of
		// the pause may read the state just before it.
		time.Sleep(1500 * time.Millisecond)
		recs, _ := mem.Unfinished(ctx)
		if len(recs) != 1 {
			t.Fatalf("%d unfinished", len(recs))
		}
		id := recs[0].ID
		if err := b.Pause(ctx, id, "from b"); err != nil {
			t.Fatal(err)
		}
		pausedAt := fp.Attempts()
		rep := <-done
		if !rep.Paused || rep.PauseReason != "from b" {
			t.Fatalf("a's report: paused=%v reason %q", rep.Paused, rep.PauseReason)
		}
		// b (which joined the notification) stops at once: its call in
		// flight finishes. a sees the pause at its next poll: at most one
		// interval of its sends (10 a second) and its call in flight follow.
		if extra := fp.Attempts() - pausedAt; extra > 12 {
			t.Fatalf("%d provider calls after the pause was recorded", extra)
		}
		time.Sleep(5 * time.Second)
		held := fp.Attempts()
		if held >= 100 {
			t.Fatal("everything was sent while paused")
		}
		if _, err := b.Resume(ctx, id); err != nil {
			t.Fatal(err)
		}
		final, err := a.Wait(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if final.Counts[OutcomeSent] != 100 || fp.Attempts() != 100 {
			t.Fatalf("final %v, %d provider calls", final.Counts, fp.Attempts())
		}
	})
}

// TestSendGoesOnWhenItsContextEnds: ctx bounds Send's wait, not the
// notification: once accepted, the rows are sent in the background and Wait
// sees them all.
func TestSendGoesOnWhenItsContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New(fake.WithLatency(time.Second))
		s := startService(t, fp, WithConcurrency(1))
		var to []string
		for i := range 5 {
			to = append(to, usNumber(i))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		defer cancel()
		_, err := s.Send(ctx, Notification{From: "+14155550100", To: to, Body: "Hi", IdempotencyKey: "k"})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the deadline", err)
		}
		recs, _ := s.Store().Unfinished(context.Background())
		if len(recs) != 1 {
			t.Fatalf("%d unfinished notifications", len(recs))
		}
		rep, err := s.Wait(context.Background(), recs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts[OutcomeSent] != 5 || fp.Attempts() != 5 {
			t.Fatalf("counts %v, %d provider calls", rep.Counts, fp.Attempts())
		}
	})
}

// TestStreamRetryAfterACrashAddsTheMissingRows: a stream killed after its
// first 1,000 rows were written is finished by a SendStream with the same
// idempotency key, which reads the sequence again: every number is texted
// once, and the notification is done with the full count.
func TestStreamRetryAfterACrashAddsTheMissingRows(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mem := NewMemoryStore()
		fp := fake.New()
		ctx := context.Background()
		const total = 3500
		seq := func(yield func(Recipient) bool) {
			for i := range total {
				if !yield(Recipient{To: usNumber(i)}) {
					return
				}
			}
		}
		n := Notification{From: "+14155550100", Body: "Your parcel is out for delivery", IdempotencyKey: "stream-1"}
		crashing := &failingEnqueue{MemoryStore: mem, failAt: 2}
		s1, err := New(fp, WithStore(crashing))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s1.SendStream(ctx, n, iter.Seq[Recipient](seq)); err == nil {
			t.Fatal("SendStream over a failing store succeeded")
		}
		_ = s1.Shutdown(ctx)

		s2 := startService(t, fp, WithStore(mem))
		synctest.Wait()
		recs, _ := mem.Unfinished(ctx)
		if len(recs) != 1 || recs[0].Total >= 0 {
			t.Fatalf("interrupted stream: %+v", recs)
		}
		rep, err := s2.SendStream(ctx, n, iter.Seq[Recipient](seq))
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Replayed || rep.Counts[OutcomeSent] != total {
			t.Fatalf("replayed=%v counts=%v", rep.Replayed, rep.Counts)
		}
		for i := range total {
			if got := len(fp.SentTo(usNumber(i))); got != 1 {
				t.Fatalf("%s texted %d times", usNumber(i), got)
			}
		}
		rec, _ := mem.Notification(ctx, rep.NotificationID)
		if rec.State != NotificationDone || rec.Total != total {
			t.Fatalf("state %v total %d", rec.State, rec.Total)
		}
	})
}

// TestShutdownEndsEveryGoroutine: after Shutdown the goroutines are back to
// their count before New, with a paused notification (its owner waits for
// Resume), a deferred one (its owner waits for a timer) and finished ones.
func TestShutdownEndsEveryGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		before := bubbleGoroutines(t)
		fp := fake.New(fake.WithLatency(time.Second))
		s, err := New(fp, WithConcurrency(1))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if _, err := s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(1), usNumber(2)}, Body: "Hi"}); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(time.Hour)
		if _, err := s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(3)}, Body: "Later", SendAfter: later}); err != nil {
			t.Fatal(err)
		}
		rep, err := s.SendStream(ctx, Notification{From: "+14155550100", To: []string{usNumber(4), usNumber(5), usNumber(6)}, Body: "Held"}, nil,
			OnResult(func(r Result) {
				if err := s.Pause(ctx, r.MessageID[:len(r.MessageID)-2], "held"); err != nil {
					t.Error(err)
				}
			}))
		if err != nil || !rep.Paused {
			t.Fatalf("stream: %v %+v", err, rep)
		}
		running := bubbleGoroutines(t)
		if err := s.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if running <= before {
			t.Fatalf("%d goroutines while running, %d before: the count sees none of the Service's", running, before)
		}
		if after := bubbleGoroutines(t); after != before {
			t.Fatalf("%d goroutines after Shutdown, %d before New", after, before)
		}
	})
}

// bubbleGoroutines counts the goroutines of the caller's synctest bubble
// (goroutines of other tests are not counted).
func bubbleGoroutines(t *testing.T) int {
	t.Helper()
	own := make([]byte, 1<<10)
	own = own[:runtime.Stack(own, false)]
	header, _, _ := strings.Cut(string(own), "\n")
	i := strings.Index(header, "synctest bubble ")
	if i < 0 {
		t.Fatalf("not in a bubble: %q", header)
	}
	bubble := strings.TrimRight(header[i:], "]:")
	all := make([]byte, 1<<22)
	all = all[:runtime.Stack(all, true)]
	n := 0
	for _, g := range strings.Split(string(all), "\n\n") {
		h, _, _ := strings.Cut(g, "\n")
		if strings.Contains(h, bubble+"]") || strings.Contains(h, bubble+",") {
			n++
		}
	}
	return n
}
