package throttle

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// lateSleep is a Limiter sleep that wakes late by the given amount, as a
// waiter does on a busy machine.
func lateSleep(late time.Duration) func(context.Context, time.Duration) error {
	return func(ctx context.Context, d time.Duration) error { return sleepTimer(ctx, d+late) }
}

// admittedWithLateWakeups runs workers senders of the given message sizes
// for span against limit, every wake-up of the Limiter late by late, and
// returns the segments admitted and their admission times (one entry per
// segment).
func admittedWithLateWakeups(t *testing.T, limit Limit, sizes []int, workers int, late, span time.Duration) []time.Time {
	t.Helper()
	l := NewLimiter(NewMemoryStore())
	l.sleep = lateSleep(late)
	keys := []Key{{Name: "sender:+14155550100", Limit: limit}}
	ctx, cancel := context.WithTimeout(context.Background(), span)
	defer cancel()
	var (
		mu sync.Mutex
		ts []time.Time
		wg sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for i := w; ctx.Err() == nil; i += workers {
				n := sizes[i%len(sizes)]
				if err := l.Wait(ctx, keys, n); err != nil {
					return
				}
				now := time.Now()
				mu.Lock()
				for range n {
					ts = append(ts, now)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return ts
}

// TestLateWakeupsKeepCapacity: a waiter that wakes 30 ms late must not cost
// the key the capacity that accrued meanwhile. At 100 segments per second
// for 10 s, 16 senders all waking late still get 1000 segments (plus the
// burst) through, as golang.org/x/time/rate's reservations do.
func TestLateWakeupsKeepCapacity(t *testing.T) {
	for _, tc := range []struct {
		name  string
		limit Limit
		sizes []int
	}{
		{"burst1-single-segment", PerSecond(100), []int{1}},
		{"burst3-multi-segment", PerSecond(100).WithBurst(3), []int{1, 2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const span = 10 * time.Second
				ts := admittedWithLateWakeups(t, tc.limit, tc.sizes, 16, 30*time.Millisecond, span)
				want := int(tc.limit.PerSecondRate() * span.Seconds())
				if got := len(ts); got < want*99/100 {
					t.Errorf("admitted %d segments in %v at %v with wake-ups 30 ms late, want at least %d (99%% of %d)",
						got, span, tc.limit, want*99/100, want)
				}
				// Every send is due at an instant the Limit's bound allows and
				// goes out at most 30 ms after it, so a second of sends holds
				// no more than 1.03 s of due instants: fewer than
				// burst + 103 segments.
				slices.SortFunc(ts, time.Time.Compare)
				bound := tc.limit.EffectiveBurst() + 103 - 1
				if got := busiest(ts, time.Second); got > bound {
					t.Errorf("busiest second admitted %d segments, want at most %d", got, bound)
				}
			})
		})
	}
}

// busiest returns the most timestamps (sorted) in any window [t, t+w).
func busiest(ts []time.Time, w time.Duration) int {
	best, j := 0, 0
	for i := range ts {
		for j < len(ts) && ts[j].Sub(ts[i]) < w {
			j++
		}
		best = max(best, j-i)
	}
	return best
}
