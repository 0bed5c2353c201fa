package throttle_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/heraldsms/herald/throttle"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// greedy sends messages of the given sizes (cycled) through a fresh store
// at the earliest instant it admits each, polling AllowNAt with explicit
// times, and returns one admission time per segment.
func greedy(t *testing.T, l throttle.Limit, sizes []int, messages int) []time.Time {
	t.Helper()
	s := throttle.NewMemoryStore()
	now := t0
	var at []time.Time
	for i := range messages {
		n := sizes[i%len(sizes)]
		for {
			r, err := s.AllowNAt(now, "k", l, n)
			if err != nil {
				t.Fatal(err)
			}
			if r.Allowed {
				break
			}
			now = now.Add(r.RetryAfter)
		}
		for range n {
			at = append(at, now)
		}
	}
	return at
}

// reserved reserves all the messages at once, as many waiters arriving
// together do, and returns one due time per segment, in order.
func reserved(t *testing.T, l throttle.Limit, sizes []int, messages int) []time.Time {
	t.Helper()
	s := throttle.NewMemoryStore()
	var at []time.Time
	for i := range messages {
		n := sizes[i%len(sizes)]
		r, err := s.ReserveNAt(t0, "k", l, n, 0, 1000*time.Hour)
		if err != nil || !r.Allowed {
			t.Fatalf("ReserveNAt(%d) = %+v, %v", n, r, err)
		}
		for range n {
			at = append(at, t0.Add(r.Delay))
		}
	}
	return at
}

// windowBound is the Limit doc's bound: a key admits fewer than B +
// Rate·W/Period events in any half-open window of length W, B being the
// burst or the largest request if larger. It returns the most allowed.
func windowBound(l throttle.Limit, w time.Duration, largest int) int {
	b := max(l.EffectiveBurst(), largest)
	return b + int(math.Ceil(l.PerSecondRate()*w.Seconds())) - 1
}

func TestWindowBoundMultiSegment(t *testing.T) {
	for _, tc := range []struct {
		limit throttle.Limit
		sizes []int
		w     time.Duration
		exact int // the busiest window when the bound is reached, else 0
	}{
		// The case: nine single segments then a 3-segment message
		// fill a second with 12 at 10/s burst 1 (the old doc promised 11).
		{throttle.PerSecond(10), []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 3}, time.Second, 12},
		{throttle.PerSecond(10), []int{3}, time.Second, 12},
		{throttle.PerSecond(10), []int{1}, time.Second, 10},
		{throttle.PerSecond(10).WithBurst(3), []int{1, 2, 3}, time.Second, 12},
		{throttle.PerSecond(10).WithBurst(3), []int{1, 2, 3, 4, 5}, time.Second, 0},
		{throttle.PerSecond(100).WithBurst(5), []int{1, 2, 3}, time.Second, 0},
		{throttle.Per(10, 5*time.Minute), []int{1}, 5 * time.Minute, 10},
		{throttle.Per(10, 5*time.Minute), []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 3}, 5 * time.Minute, 12},
		{throttle.PerSecond(3), []int{1, 2}, time.Second, 0},
	} {
		largest := 0
		for _, n := range tc.sizes {
			largest = max(largest, n)
		}
		bound := windowBound(tc.limit, tc.w, largest)
		for _, run := range []struct {
			name string
			at   func(*testing.T, throttle.Limit, []int, int) []time.Time
		}{{"AllowNAt", greedy}, {"ReserveNAt", reserved}} {
			t.Run(fmt.Sprintf("%s/%v/%v", run.name, tc.limit, tc.sizes), func(t *testing.T) {
				got := maxInWindow(run.at(t, tc.limit, tc.sizes, 300), tc.w)
				if got > bound {
					t.Errorf("busiest %v window admitted %d segments, the documented bound is %d", tc.w, got, bound)
				}
				if tc.exact > 0 && got != tc.exact {
					t.Errorf("busiest %v window admitted %d segments, want exactly %d", tc.w, got, tc.exact)
				}
			})
		}
	}
}

// TestWaitWindowBoundMultiSegment: senders sharing a key through a Limiter,
// with messages of 1-3 segments, keep the bound and lose no capacity.
func TestWaitWindowBoundMultiSegment(t *testing.T) {
	for _, limit := range []throttle.Limit{throttle.PerSecond(10), throttle.PerSecond(10).WithBurst(3), throttle.PerSecond(100).WithBurst(5)} {
		t.Run(limit.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := throttle.NewLimiter(nil)
				keys := []throttle.Key{{Name: "sender", Limit: limit}}
				const span = 100 * time.Second
				ctx, cancel := context.WithTimeout(context.Background(), span)
				defer cancel()
				var (
					mu sync.Mutex
					at []time.Time
					wg sync.WaitGroup
				)
				for w := range 8 {
					wg.Go(func() {
						for i := w; ; i += 8 {
							n := 1 + i%3
							if l.Wait(ctx, keys, n) != nil {
								return
							}
							now := time.Now()
							mu.Lock()
							for range n {
								at = append(at, now)
							}
							mu.Unlock()
						}
					})
				}
				wg.Wait()
				slices.SortFunc(at, time.Time.Compare)
				bound := windowBound(limit, time.Second, 3)
				if got := maxInWindow(at, time.Second); got > bound {
					t.Errorf("busiest second admitted %d segments, the documented bound is %d", got, bound)
				}
				if want := int(limit.PerSecondRate() * span.Seconds()); len(at) < want*99/100 {
					t.Errorf("admitted %d segments in %v, want at least 99%% of %d", len(at), span, want)
				}
			})
		})
	}
}
