package throttle_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/throttle"
)

// maxInWindow returns the most timestamps (sorted) in any half-open window
// [t, t+w).
func maxInWindow(ts []time.Time, w time.Duration) int {
	best, j := 0, 0
	for i := range ts {
		for j < len(ts) && ts[j].Sub(ts[i]) < w {
			j++
		}
		best = max(best, j-i)
	}
	return best
}

// paced sends total segments one at a time from workers goroutines and
// returns the admission times in order.
func paced(t *testing.T, l *throttle.Limiter, keys []throttle.Key, total, workers int) []time.Time {
	t.Helper()
	var (
		mu sync.Mutex
		ts []time.Time
		wg sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for range total/workers + boolInt(w < total%workers) {
				if err := l.Wait(context.Background(), keys, 1); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ts = append(ts, time.Now())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return ts
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestWaitPacesTenPerSecond(t *testing.T) {
	for _, tc := range []struct {
		name    string
		limit   throttle.Limit
		workers int
	}{
		{"burst1", throttle.PerSecond(10), 1},
		{"burst1-concurrent", throttle.PerSecond(10), 8},
		{"burst5-concurrent", throttle.PerSecond(10).WithBurst(5), 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := throttle.NewLimiter(throttle.NewMemoryStore())
				start := time.Now()
				ts := paced(t, l, []throttle.Key{{Name: "sender:+14155550100", Limit: tc.limit}}, 10000, tc.workers)
				if len(ts) != 10000 {
					t.Fatalf("admitted %d, want 10000", len(ts))
				}
				elapsed := ts[len(ts)-1].Sub(start)
				if elapsed < 990*time.Second || elapsed > 1010*time.Second {
					t.Errorf("10,000 segments at 10/s took %v, want within 1%% of 1000s", elapsed)
				}
				if got, limit := maxInWindow(ts, time.Second), 10+tc.limit.Burst; got > limit {
					t.Errorf("a 1 s window admitted %d, want at most limit+burst = %d", got, limit)
				}
			})
		})
	}
}

func TestGuardRailTenPerFiveMinutes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := throttle.NewLimiter(nil)
		start := time.Now()
		ts := paced(t, l, []throttle.Key{{Name: "campaign:spring", Limit: throttle.Per(10, 5*time.Minute)}}, 500, 4)
		if got := maxInWindow(ts, 5*time.Minute); got != 10 {
			t.Errorf("busiest 5-minute window admitted %d, want exactly 10", got)
		}
		// Gladly: 500 recipients take about 4 hours.
		if elapsed := ts[len(ts)-1].Sub(start); elapsed != 499*30*time.Second {
			t.Errorf("500 sends took %v, want %v", elapsed, 499*30*time.Second)
		}
	})
}

func TestWaitFailsFastBeforeDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := throttle.NewMemoryStore()
		l := throttle.NewLimiter(s)
		other := throttle.Key{Name: "campaign:c", Limit: throttle.Limit{Rate: 1, Burst: 5, Period: time.Hour}}
		slow := throttle.Key{Name: "sender:+14155550671", Limit: throttle.Per(1, time.Hour)}
		if err := l.Wait(context.Background(), []throttle.Key{slow}, 1); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		start := time.Now()
		err := l.Wait(ctx, []throttle.Key{other, slow}, 1)
		if !errors.Is(err, throttle.ErrDeadline) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want ErrDeadline and context.DeadlineExceeded", err)
		}
		if waited := time.Since(start); waited != 0 {
			t.Errorf("waited %v before failing, want 0", waited)
		}
		if !strings.Contains(err.Error(), "+1415****671") || strings.Contains(err.Error(), "5550671") {
			t.Errorf("err = %q, want the key named with the number masked", err)
		}
		// The campaign key was refunded: all 5 still there.
		if r, _ := s.AllowNAt(time.Now(), other.Name, other.Limit, 5); !r.Allowed {
			t.Errorf("campaign key lost capacity to a denied send: %+v", r)
		}
	})
}

func TestWaitHonoursContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := throttle.NewLimiter(nil)
		key := []throttle.Key{{Name: "k", Limit: throttle.Per(1, time.Hour)}}
		if err := l.Wait(context.Background(), key, 1); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- l.Wait(ctx, key, 1) }()
		synctest.Wait() // Wait is blocked on its timer
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
}

// noRefund hides the MemoryStore's Refunder.
type noRefund struct{ throttle.Store }

func TestDenialDoesNotConsumeOtherKeys(t *testing.T) {
	campaign := throttle.Key{Name: "campaign", Limit: throttle.Limit{Rate: 1, Burst: 3, Period: time.Hour}}
	sender := throttle.Key{Name: "sender", Limit: throttle.PerSecond(1)}
	for _, tc := range []struct {
		name  string
		wrap  func(throttle.Store) throttle.Store
		after int // campaign events left after one denied Allow
	}{
		{"refunding store", func(s throttle.Store) throttle.Store { return s }, 3},
		{"store without refund", func(s throttle.Store) throttle.Store { return noRefund{s} }, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				mem := throttle.NewMemoryStore()
				l := throttle.NewLimiter(tc.wrap(mem))
				ctx := context.Background()
				if _, err := mem.AllowN(ctx, sender.Name, sender.Limit, 1); err != nil {
					t.Fatal(err)
				}
				r, err := l.Allow(ctx, []throttle.Key{campaign, sender}, 1)
				if err != nil || r.Allowed {
					t.Fatalf("Allow = %+v, %v; want denied by the sender key", r, err)
				}
				if r.RetryAfter != time.Second {
					t.Errorf("RetryAfter = %v, want 1s", r.RetryAfter)
				}
				peek, _ := mem.AllowNAt(time.Now(), campaign.Name, campaign.Limit, 0)
				if peek.Remaining != tc.after {
					t.Errorf("campaign remaining after a denial = %d, want %d", peek.Remaining, tc.after)
				}
				// Wait retries while the sender refills; the campaign is
				// charged exactly once either way (held, not re-charged, when
				// the store cannot refund).
				before := peek.Remaining
				if err := l.Wait(ctx, []throttle.Key{campaign, sender}, 1); err != nil {
					t.Fatal(err)
				}
				peek, _ = mem.AllowNAt(time.Now(), campaign.Name, campaign.Limit, 0)
				want := before - 1
				if peek.Remaining != want {
					t.Errorf("campaign remaining after Wait = %d, want %d", peek.Remaining, want)
				}
			})
		})
	}
}

// failing is a store that always errors.
type failing struct{}

var errDown = errors.New("store down")

func (failing) AllowN(context.Context, string, throttle.Limit, int) (throttle.Result, error) {
	return throttle.Result{}, errDown
}

func TestStoreErrors(t *testing.T) {
	keys := []throttle.Key{{Name: "sender:+14155550671", Limit: throttle.PerSecond(1)}}
	err := throttle.NewLimiter(failing{}).Wait(context.Background(), keys, 1)
	if !errors.Is(err, throttle.ErrStore) || !errors.Is(err, errDown) {
		t.Fatalf("fail-closed: err = %v, want ErrStore wrapping the store error", err)
	}
	if strings.Contains(err.Error(), "5550671") {
		t.Errorf("err = %q leaks the phone number", err)
	}
	if err := throttle.NewLimiter(failing{}, throttle.WithFailOpen(true)).Wait(context.Background(), keys, 1); err != nil {
		t.Fatalf("fail-open: err = %v, want nil", err)
	}
}

func TestWaitInvalidInput(t *testing.T) {
	var l throttle.Limiter // the zero Limiter works
	ctx := context.Background()
	if err := l.Wait(ctx, []throttle.Key{{Name: "k", Limit: throttle.PerSecond(1)}}, -1); !errors.Is(err, throttle.ErrInvalidCount) {
		t.Errorf("n=-1: err = %v, want ErrInvalidCount", err)
	}
	err := l.Wait(ctx, []throttle.Key{{Name: "campaign:x"}}, 1)
	if !errors.Is(err, throttle.ErrInvalidLimit) || !strings.Contains(err.Error(), "campaign:x") {
		t.Errorf("zero limit: err = %v, want ErrInvalidLimit naming the key", err)
	}
	if err := l.Wait(ctx, nil, 1); err != nil {
		t.Errorf("no keys: err = %v, want nil", err)
	}
	if err := l.Wait(ctx, []throttle.Key{{Name: "inf", Limit: throttle.Inf}}, 1000); err != nil {
		t.Errorf("Inf: err = %v, want nil", err)
	}
}

func TestTransactionalGoesFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := throttle.NewLimiter(nil)
		keys := []throttle.Key{{Name: "sender", Limit: throttle.PerSecond(1)}}
		ctx := context.Background()
		if err := l.Wait(ctx, keys, 1); err != nil {
			t.Fatal(err)
		}
		var (
			mu    sync.Mutex
			order []string
			wg    sync.WaitGroup
		)
		send := func(name string, lane throttle.Lane) {
			wg.Go(func() {
				if err := l.Wait(ctx, keys, 1, lane); err != nil {
					t.Error(err)
				}
				mu.Lock()
				order = append(order, name)
				mu.Unlock()
			})
			synctest.Wait() // queued before the next one arrives
		}
		send("bulk1", throttle.LaneBulk)
		send("bulk2", throttle.LaneBulk)
		send("otp", throttle.LaneTransactional)
		wg.Wait()
		if diff := cmp.Diff([]string{"otp", "bulk1", "bulk2"}, sortedTail(order)); diff != "" {
			t.Errorf("admission order (-want +got):\n%s", diff)
		}
	})
}

// sortedTail keeps the first element and sorts the rest, since bulk waiters
// among themselves are not ordered.
func sortedTail(s []string) []string {
	out := append([]string(nil), s...)
	if len(out) > 2 && out[1] > out[2] {
		out[1], out[2] = out[2], out[1]
	}
	return out
}

func TestBulkKeepsItsShare(t *testing.T) {
	for _, tc := range []struct {
		share     float64
		min, max  float64 // bulk's share of what was admitted
		lookahead time.Duration
	}{
		{0.2, 0.18, 0.25, throttle.DefaultLookahead},
		{0.5, 0.45, 0.55, throttle.DefaultLookahead},
		{0, 0, 0.01, throttle.DefaultLookahead},
		// Reservations far ahead (20 slots) do not let bulk jump the queue.
		{0.2, 0.18, 0.25, 2 * time.Second},
		{0, 0, 0.01, 2 * time.Second},
		// Nor does polling.
		{0.2, 0.18, 0.25, 0},
	} {
		synctest.Test(t, func(t *testing.T) {
			l := throttle.NewLimiter(nil, throttle.WithBulkShare(tc.share), throttle.WithLookahead(tc.lookahead))
			keys := []throttle.Key{{Name: "sender", Limit: throttle.PerSecond(10)}}
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Second)
			defer cancel()
			var (
				mu     sync.Mutex
				counts [2]int
				wg     sync.WaitGroup
			)
			for i := range 6 {
				lane := throttle.Lane(i % 2)
				wg.Go(func() {
					for l.Wait(ctx, keys, 1, lane) == nil {
						mu.Lock()
						counts[lane]++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			total := counts[0] + counts[1]
			if total < 990 || total > 1011 {
				t.Errorf("share %v: admitted %d in 100 s at 10/s", tc.share, total)
			}
			got := float64(counts[throttle.LaneBulk]) / float64(total)
			if got < tc.min || got > tc.max {
				t.Errorf("share %v: bulk got %.3f of %d (bulk %d, transactional %d), want [%v, %v]",
					tc.share, got, total, counts[0], counts[1], tc.min, tc.max)
			}
		})
	}
}
