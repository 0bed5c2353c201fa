package throttle_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/heraldsms/herald/throttle"
)

func TestReserveNAtFixesTheInstant(t *testing.T) {
	s := throttle.NewMemoryStore()
	l := throttle.PerSecond(100) // one every 10 ms
	reserve := func(at time.Duration, n int) throttle.Result {
		t.Helper()
		r, err := s.ReserveNAt(t0.Add(at), "k", l, n, 0, 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := reserve(0, 1); !r.Allowed || r.Delay != 0 {
		t.Fatalf("first = %+v, want due now", r)
	}
	if r := reserve(0, 1); !r.Allowed || r.Delay != 10*time.Millisecond {
		t.Fatalf("second = %+v, want due in 10ms", r)
	}
	// A third waiter comes back 15 ms later than it meant to: its events
	// are due at 20 ms, right after the previous reservation, not 10 ms
	// after it woke.
	if r := reserve(15*time.Millisecond, 1); !r.Allowed || r.Delay != 5*time.Millisecond {
		t.Fatalf("late third = %+v, want due at 20ms (in 5ms)", r)
	}
	// A 3-segment message is due when the bucket is full (30 ms) and owes
	// the excess: the next event is due at 60 ms.
	if r := reserve(15*time.Millisecond, 3); !r.Allowed || r.Delay != 15*time.Millisecond {
		t.Fatalf("3 segments = %+v, want due at 30ms (in 15ms)", r)
	}
	if r := reserve(15*time.Millisecond, 1); !r.Allowed || r.Delay != 45*time.Millisecond {
		t.Fatalf("after 3 segments = %+v, want due at 60ms (in 45ms)", r)
	}
	// A 10-segment message is due when the bucket is full again, at 70 ms,
	// within the lookahead; the next event would be due at 170 ms, beyond
	// it: nothing is charged, and RetryAfter says when it is in reach.
	if r := reserve(0, 10); !r.Allowed || r.Delay != 70*time.Millisecond {
		t.Fatalf("10 segments = %+v, want due at 70ms", r)
	}
	if r := reserve(0, 1); r.Allowed || r.RetryAfter != 70*time.Millisecond {
		t.Fatalf("after 10 segments = %+v, want denied with RetryAfter 70ms", r)
	}
	if r := reserve(70*time.Millisecond, 1); !r.Allowed || r.Delay != 100*time.Millisecond {
		t.Fatalf("70 ms later = %+v, want due at 170ms (in 100ms)", r)
	}
}

func TestCancelNKeepsLaterReservations(t *testing.T) {
	s := throttle.NewMemoryStore()
	l := throttle.PerSecond(100)
	reserve := func() throttle.Result {
		t.Helper()
		r, err := s.ReserveNAt(t0, "k", l, 1, 0, time.Second)
		if err != nil || !r.Allowed {
			t.Fatalf("ReserveNAt = %+v, %v", r, err)
		}
		return r
	}
	reserve()      // due at 0
	a := reserve() // due at 10 ms
	reserve()      // due at 20 ms
	// a is cancelled after b reserved behind it: giving a's slot back would
	// put the next reservation on b's instant, so nothing is given back.
	if err := s.CancelNAt(t0, "k", l, 1, a); err != nil {
		t.Fatal(err)
	}
	if r := reserve(); r.Delay != 30*time.Millisecond {
		t.Fatalf("after cancelling a reservation with one behind it: due in %v, want 30ms", r.Delay)
	}
	// The last reservation is given back whole.
	last := reserve() // 40 ms
	if err := s.CancelNAt(t0, "k", l, 1, last); err != nil {
		t.Fatal(err)
	}
	if r := reserve(); r.Delay != 40*time.Millisecond {
		t.Fatalf("after cancelling the last reservation: due in %v, want 40ms", r.Delay)
	}
}

func TestWaitCancelledWhileReservedGivesBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := throttle.NewMemoryStore()
		l := throttle.NewLimiter(s)
		keys := []throttle.Key{{Name: "k", Limit: throttle.PerSecond(20)}} // every 50 ms
		if err := l.Wait(context.Background(), keys, 1); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- l.Wait(ctx, keys, 1) }()
		synctest.Wait() // reserved for 50 ms, sleeping
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		r, _ := s.ReserveNAt(time.Now(), "k", keys[0].Limit, 1, 0, time.Second)
		if r.Delay != 50*time.Millisecond {
			t.Errorf("next reservation due in %v, want 50ms (the cancelled one given back)", r.Delay)
		}
	})
}

func TestWaitReservesEveryKeyAtOneInstant(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := throttle.NewMemoryStore()
		l := throttle.NewLimiter(s)
		sender := throttle.Key{Name: "sender", Limit: throttle.PerSecond(20)}
		campaign := throttle.Key{Name: "campaign", Limit: throttle.PerSecond(20)}
		ctx := context.Background()
		if err := l.Wait(ctx, []throttle.Key{sender}, 1); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		// The campaign is free now, the sender in 50 ms: the send goes at
		// 50 ms, and the campaign's event is due then too, so its next one
		// is due at 100 ms, not 50 ms.
		if err := l.Wait(ctx, []throttle.Key{campaign, sender}, 1); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited != 50*time.Millisecond {
			t.Errorf("waited %v, want 50ms", waited)
		}
		r, _ := s.ReserveNAt(start, campaign.Name, campaign.Limit, 1, 0, time.Second)
		if r.Delay != 100*time.Millisecond {
			t.Errorf("campaign's next event due in %v from the start, want 100ms", r.Delay)
		}
	})
}

func TestWaitDoesNotReserveBeyondDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := throttle.NewMemoryStore()
		l := throttle.NewLimiter(s)
		keys := []throttle.Key{{Name: "k", Limit: throttle.PerSecond(10)}} // every 100 ms
		if err := l.Wait(context.Background(), keys, 1); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
		defer cancel()
		start := time.Now()
		if err := l.Wait(ctx, keys, 1); !errors.Is(err, throttle.ErrDeadline) {
			t.Fatalf("err = %v, want ErrDeadline", err)
		}
		if waited := time.Since(start); waited != 0 {
			t.Errorf("waited %v before failing, want 0", waited)
		}
		if r, _ := s.ReserveNAt(time.Now(), "k", keys[0].Limit, 1, 0, time.Second); r.Delay != 100*time.Millisecond {
			t.Errorf("next reservation due in %v, want 100ms (nothing charged)", r.Delay)
		}
	})
}

// TestTransactionalOvertakesBulkWithinLookahead: reservations are not
// reordered, so a one-time code waits behind at most the lookahead's worth
// of bulk reservations, however many bulk sends wait.
func TestTransactionalOvertakesBulkWithinLookahead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := throttle.NewLimiter(nil, throttle.WithBulkShare(0))
		keys := []throttle.Key{{Name: "sender", Limit: throttle.PerSecond(100)}}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				for l.Wait(ctx, keys, 1) == nil {
				}
			})
		}
		time.Sleep(time.Second) // bulk saturates the key
		start := time.Now()
		if err := l.Wait(context.Background(), keys, 1, throttle.LaneTransactional); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited > throttle.DefaultLookahead+10*time.Millisecond {
			t.Errorf("one-time code waited %v behind 50 bulk senders, want at most the lookahead (%v) plus one interval",
				waited, throttle.DefaultLookahead)
		}
		cancel()
		wg.Wait()
	})
}

func TestReserveNAtHugeLookahead(t *testing.T) {
	s := throttle.NewMemoryStore()
	l := throttle.PerSecond(1)
	for i := range 3 {
		r, err := s.ReserveNAt(t0, "k", l, 1, 0, time.Duration(1<<63-1))
		if err != nil || !r.Allowed || r.Delay != time.Duration(i)*time.Second {
			t.Fatalf("reservation %d = %+v, %v; want due in %ds", i, r, err, i)
		}
	}
}
