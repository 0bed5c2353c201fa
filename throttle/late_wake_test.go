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
	return admittedWith(t, limit, sizes, workers, lateSleep(late), span)
}

// admittedWith is admittedWithLateWakeups with the Limiter sleeping by
// sleep.
func admittedWith(t *testing.T, limit Limit, sizes []int, workers int, sleep func(context.Context, time.Duration) error, span time.Duration) []time.Time {
	t.Helper()
	l := NewLimiter(NewMemoryStore())
	l.sleep = sleep
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
		name    string
		limit   Limit
		sizes   []int
		late    time.Duration
		workers int
	}{
		{"burst1-single-segment", PerSecond(100), []int{1}, 30 * time.Millisecond, 16},
		{"burst3-multi-segment", PerSecond(100).WithBurst(3), []int{1, 2, 3}, 30 * time.Millisecond, 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const span = 10 * time.Second
				ts := admittedWithLateWakeups(t, tc.limit, tc.sizes, tc.workers, tc.late, span)
				// Sends due in the last late before the end wake after it and
				// do not count.
				want := int(tc.limit.PerSecondRate() * (span - tc.late).Seconds())
				if got := len(ts); got < want*99/100 {
					t.Errorf("admitted %d segments in %v at %v with wake-ups %v late, want at least %d (99%% of %d)",
						got, span, tc.limit, tc.late, want*99/100, want)
				}
				// Every send is due at an instant the Limit's bound allows and
				// goes out at most late after it, so a second of sends holds
				// no more than 1 s + late of due instants.
				slices.SortFunc(ts, time.Time.Compare)
				bound := tc.limit.EffectiveBurst() + int(tc.limit.PerSecondRate()*(time.Second+tc.late).Seconds()) - 1
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

// stallSleep is a Limiter sleep on a machine that stalls for stall at the
// start of every period: a timer due during a stall fires when it ends.
func stallSleep(start time.Time, period, stall time.Duration) func(context.Context, time.Duration) error {
	return func(ctx context.Context, d time.Duration) error {
		target := time.Now().Add(d)
		if phase := target.Sub(start) % period; phase < stall {
			target = target.Add(stall - phase)
		}
		return sleepTimer(ctx, time.Until(target))
	}
}

// TestStallsLongerThanLookahead: when the whole machine stalls for longer
// than the lookahead, the reservations run out and the stall costs capacity
// once; the Limiter then stretches its lookahead to twice the lateness it
// saw, so later stalls of the same length cost nothing.
func TestStallsLongerThanLookahead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const (
			span   = 20 * time.Second
			period = 2 * time.Second
			stall  = 400 * time.Millisecond
			// lookahead is shorter than the stall.
			lookahead = 100 * time.Millisecond
		)
		limit := PerSecond(100).WithBurst(3)
		l := NewLimiter(NewMemoryStore(), WithLookahead(lookahead))
		start := time.Now()
		l.sleep = stallSleep(start, period, stall)
		keys := []Key{{Name: "sender", Limit: limit}}
		ctx, cancel := context.WithTimeout(context.Background(), span)
		defer cancel()
		var (
			mu       sync.Mutex
			segments int
			wg       sync.WaitGroup
		)
		for w := range 32 {
			wg.Go(func() {
				for i := w; ; i += 32 {
					n := 1 + i%3
					if l.Wait(ctx, keys, n) != nil {
						return
					}
					mu.Lock()
					segments += n
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		// The first stall (at the start, before any lateness was seen)
		// costs at most stall - lookahead; sends due in the last stall's
		// shadow do not count.
		want := int(limit.PerSecondRate() * (span - 2*stall).Seconds())
		t.Logf("admitted %d segments in %v with a %v stall every %v", segments, span, stall, period)
		if segments < want {
			t.Errorf("admitted %d segments in %v with a %v stall every %v, want at least %d", segments, span, stall, period, want)
		}
	})
}

// jitterSleep is a Limiter sleep that wakes a different amount late each
// time, from 0 up to most (a fixed pseudo-random sequence), as waiters on
// a busy machine do: some wake on time, some bunch up behind them.
func jitterSleep(most time.Duration) func(context.Context, time.Duration) error {
	var mu sync.Mutex
	x := uint64(0x9e3779b97f4a7c15)
	return func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		late := time.Duration(x % uint64(most))
		mu.Unlock()
		return sleepTimer(ctx, d+late)
	}
}

// TestUnevenLateWakeupsKeepTheWindowBound: when waiters wake late by
// different amounts, the late ones bunch up with the punctual ones behind
// them; the Limiter still lets no more than B + Rate through in any window
// of one Period, measured at the instants Wait returns (the "limit +
// burst" of issue 20), and loses no capacity to it.
func TestUnevenLateWakeupsKeepTheWindowBound(t *testing.T) {
	for _, tc := range []struct {
		name  string
		limit Limit
		sizes []int
	}{
		{"100-per-second-burst3", PerSecond(100).WithBurst(3), []int{1, 2, 3, 1, 1, 2}},
		{"10-per-second", PerSecond(10), []int{1}},
		{"10-per-second-multi-segment", PerSecond(10), []int{1, 1, 1, 3}},
		{"600-per-minute-burst5", PerMinute(600).WithBurst(5), []int{1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const (
					span = 30 * time.Second
					most = 50 * time.Millisecond
				)
				ts := admittedWith(t, tc.limit, tc.sizes, 32, jitterSleep(most), span)
				slices.SortFunc(ts, time.Time.Compare)
				largest := slices.Max(tc.sizes)
				period := tc.limit.EffectivePeriod()
				bound := max(tc.limit.EffectiveBurst(), largest) + int(tc.limit.Rate)
				if got := busiest(ts, period); got > bound {
					t.Errorf("busiest %v admitted %d segments with wake-ups up to %v late, want at most %d", period, got, most, bound)
				}
				want := int(tc.limit.PerSecondRate() * (span - most).Seconds())
				if len(ts) < want*99/100 {
					t.Errorf("admitted %d segments in %v, want at least %d (99%% of %d)", len(ts), span, want*99/100, want)
				}
			})
		})
	}
}
