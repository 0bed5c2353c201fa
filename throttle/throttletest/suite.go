package throttletest

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/throttle"
)

// TestStore runs the conformance suite against stores made by newStore,
// which is called once per case and may register cleanups on t. Stores that
// implement throttle.Refunder also get the refund cases. Every store must
// implement throttle.Reserver and pass the reservation cases (Reserve*,
// Cancel*): over a store that cannot reserve, a throttle.Limiter polls, and
// each late wake-up of a waiter costs the key capacity.
//
// The cases use real time: rates are either slow (per hour, so nothing
// refills during a case) or fast with waits of at most a few tens of
// milliseconds, taken from the store's own RetryAfter.
func TestStore(t *testing.T, newStore func(t *testing.T) throttle.Store) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, newStore(t))
		})
	}
	for _, c := range reserverCases {
		t.Run(c.name, func(t *testing.T) {
			s, ok := newStore(t).(throttle.Reserver)
			if !ok {
				t.Fatal("store does not implement throttle.Reserver: a Limiter over it polls, and late wake-ups cost capacity")
			}
			c.run(t, s)
		})
	}
}

type storeCase struct {
	name string
	run  func(t *testing.T, s throttle.Store)
}

// hourly admits burst events and then one every 1h/rate: nothing refills
// noticeably during a case.
func hourly(rate float64, burst int) throttle.Limit {
	return throttle.Limit{Rate: rate, Burst: burst, Period: time.Hour}
}

func allow(t *testing.T, s throttle.Store, key string, l throttle.Limit, n int) throttle.Result {
	t.Helper()
	r, err := s.AllowN(context.Background(), key, l, n)
	if err != nil {
		t.Fatalf("AllowN(%q, %v, %d): %v", key, l, n, err)
	}
	return r
}

// within fails unless lo <= d <= hi.
func within(t *testing.T, what string, d, lo, hi time.Duration) {
	t.Helper()
	if d < lo || d > hi {
		t.Errorf("%s = %v, want within [%v, %v]", what, d, lo, hi)
	}
}

type outcome struct {
	Allowed   bool
	Remaining int
}

func outcomes(t *testing.T, s throttle.Store, key string, l throttle.Limit, ns ...int) []outcome {
	t.Helper()
	var got []outcome
	for _, n := range ns {
		r := allow(t, s, key, l, n)
		got = append(got, outcome{r.Allowed, r.Remaining})
	}
	return got
}

var cases = []storeCase{
	{"BurstThenDeny", func(t *testing.T, s throttle.Store) {
		l := hourly(3, 3) // one event per 20 minutes
		got := outcomes(t, s, "burst", l, 1, 1, 1)
		want := []outcome{{true, 2}, {true, 1}, {true, 0}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("first three (-want +got):\n%s", diff)
		}
		r := allow(t, s, "burst", l, 1)
		if r.Allowed || r.Remaining != 0 {
			t.Fatalf("fourth = %+v, want denied with 0 remaining", r)
		}
		within(t, "RetryAfter", r.RetryAfter, 19*time.Minute, 20*time.Minute)
		within(t, "ResetAfter", r.ResetAfter, 59*time.Minute, time.Hour)
	}},
	{"AllowedResult", func(t *testing.T, s throttle.Store) {
		r := allow(t, s, "res", hourly(6, 4), 1) // 10 minutes per event
		if !r.Allowed || r.Remaining != 3 || r.RetryAfter != 0 {
			t.Fatalf("got %+v, want allowed, 3 remaining, no RetryAfter", r)
		}
		within(t, "ResetAfter", r.ResetAfter, 9*time.Minute, 10*time.Minute)
	}},
	{"CountsN", func(t *testing.T, s throttle.Store) {
		got := outcomes(t, s, "n", hourly(1, 5), 2, 4, 3, 1)
		want := []outcome{{true, 3}, {false, 3}, {true, 0}, {false, 0}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	}},
	{"DenialChargesNothing", func(t *testing.T, s throttle.Store) {
		l := hourly(1, 2)
		allow(t, s, "deny", l, 1)
		for range 5 {
			if r := allow(t, s, "deny", l, 2); r.Allowed {
				t.Fatalf("AllowN(2) with 1 left = %+v, want denied", r)
			}
		}
		if r := allow(t, s, "deny", l, 1); !r.Allowed {
			t.Fatalf("the last event was consumed by denials: %+v", r)
		}
	}},
	{"KeysIndependent", func(t *testing.T, s throttle.Store) {
		l := hourly(1, 1)
		allow(t, s, "a", l, 1)
		if r := allow(t, s, "a", l, 1); r.Allowed {
			t.Fatalf("key a admitted twice: %+v", r)
		}
		if r := allow(t, s, "b", l, 1); !r.Allowed {
			t.Fatalf("key b denied after key a was used: %+v", r)
		}
	}},
	{"RefillsAfterRetryAfter", func(t *testing.T, s throttle.Store) {
		l := throttle.Limit{Rate: 40, Burst: 1, Period: time.Second} // every 25 ms
		allow(t, s, "refill", l, 1)
		r := allow(t, s, "refill", l, 1)
		if r.Allowed {
			t.Fatalf("second event in the same instant admitted: %+v", r)
		}
		within(t, "RetryAfter", r.RetryAfter, time.Millisecond, 25*time.Millisecond)
		// Real time is what a server-clock store measures; wait what the
		// store asked for, plus a little for clock granularity.
		time.Sleep(r.RetryAfter + 2*time.Millisecond)
		if r := allow(t, s, "refill", l, 1); !r.Allowed {
			t.Fatalf("denied after waiting RetryAfter: %+v", r)
		}
	}},
	{"LargerThanBurst", func(t *testing.T, s throttle.Store) {
		l := hourly(1, 2) // one per hour, bucket of 2
		if r := allow(t, s, "big", l, 3); !r.Allowed || r.Remaining != 0 {
			t.Fatalf("3 events on a full bucket of 2 = %+v, want admitted (owing 1)", r)
		}
		r := allow(t, s, "big", l, 1)
		if r.Allowed {
			t.Fatalf("event after the oversized one admitted: %+v", r)
		}
		within(t, "RetryAfter while owing", r.RetryAfter, 119*time.Minute, 2*time.Hour)
		allow(t, s, "big2", l, 1)
		r = allow(t, s, "big2", l, 3)
		if r.Allowed {
			t.Fatalf("oversized request on a partly used bucket admitted: %+v", r)
		}
		within(t, "RetryAfter until full", r.RetryAfter, 59*time.Minute, time.Hour)
	}},
	{"Quota", func(t *testing.T, s throttle.Store) {
		l := throttle.Quota(3, time.Hour)
		got := outcomes(t, s, "quota", l, 2, 2, 1, 1)
		want := []outcome{{true, 1}, {false, 1}, {true, 0}, {false, 0}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
		r := allow(t, s, "quota", l, 1)
		within(t, "RetryAfter", r.RetryAfter, 59*time.Minute, time.Hour)
		within(t, "ResetAfter", r.ResetAfter, 59*time.Minute, time.Hour)
	}},
	{"QuotaWindowResets", func(t *testing.T, s throttle.Store) {
		l := throttle.Quota(2, 30*time.Millisecond)
		allow(t, s, "qreset", l, 2)
		r := allow(t, s, "qreset", l, 1)
		if r.Allowed {
			t.Fatalf("quota exceeded: %+v", r)
		}
		within(t, "RetryAfter", r.RetryAfter, time.Millisecond, 30*time.Millisecond)
		time.Sleep(r.RetryAfter + 2*time.Millisecond)
		if r := allow(t, s, "qreset", l, 2); !r.Allowed || r.Remaining != 0 {
			t.Fatalf("new window = %+v, want 2 admitted", r)
		}
	}},
	{"Inf", func(t *testing.T, s throttle.Store) {
		for range 3 {
			if r := allow(t, s, "inf", throttle.Inf, 1000); !r.Allowed || r.Remaining != math.MaxInt {
				t.Fatalf("Inf = %+v, want allowed with MaxInt remaining", r)
			}
		}
	}},
	{"ZeroCount", func(t *testing.T, s throttle.Store) {
		l := hourly(1, 1)
		allow(t, s, "zero", l, 1)
		if r := allow(t, s, "zero", l, 0); !r.Allowed {
			t.Fatalf("n=0 on an empty bucket = %+v, want allowed", r)
		}
	}},
	{"InvalidInput", func(t *testing.T, s throttle.Store) {
		ctx := context.Background()
		if _, err := s.AllowN(ctx, "bad", throttle.Limit{}, 1); !errors.Is(err, throttle.ErrInvalidLimit) {
			t.Errorf("zero Limit: err = %v, want ErrInvalidLimit", err)
		}
		if _, err := s.AllowN(ctx, "bad", throttle.Limit{Rate: -1, Burst: 1}, 1); !errors.Is(err, throttle.ErrInvalidLimit) {
			t.Errorf("negative rate: err = %v, want ErrInvalidLimit", err)
		}
		if _, err := s.AllowN(ctx, "bad", hourly(1, 1), -1); !errors.Is(err, throttle.ErrInvalidCount) {
			t.Errorf("n=-1: err = %v, want ErrInvalidCount", err)
		}
	}},
	{"CanceledContext", func(t *testing.T, s throttle.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.AllowN(ctx, "canceled", hourly(1, 1), 1); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	}},
	{"ConcurrentExact", func(t *testing.T, s throttle.Store) {
		l := hourly(1, 60)
		var mu sync.Mutex
		admitted := 0
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 15 {
					r, err := s.AllowN(context.Background(), "conc", l, 1)
					if err != nil {
						t.Error(err)
						return
					}
					if r.Allowed {
						mu.Lock()
						admitted++
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		if admitted != 60 {
			t.Fatalf("8×15 concurrent calls on a bucket of 60 admitted %d, want 60", admitted)
		}
	}},
	{"Refund", func(t *testing.T, s throttle.Store) {
		rf, ok := s.(throttle.Refunder)
		if !ok {
			t.Log("store does not implement throttle.Refunder; nothing to check")
			return
		}
		ctx := context.Background()
		l := hourly(1, 3)
		allow(t, s, "refund", l, 3)
		if err := rf.RefundN(ctx, "refund", l, 2); err != nil {
			t.Fatal(err)
		}
		if got := outcomes(t, s, "refund", l, 2, 1); !cmp.Equal(got, []outcome{{true, 0}, {false, 0}}) {
			t.Fatalf("after refunding 2: %+v, want 2 admitted then denied", got)
		}
		// A refund never lifts a key above its burst.
		if err := rf.RefundN(ctx, "refund-cap", l, 5); err != nil {
			t.Fatal(err)
		}
		allow(t, s, "refund-cap", l, 1)
		if err := rf.RefundN(ctx, "refund-cap", l, 5); err != nil {
			t.Fatal(err)
		}
		if got := outcomes(t, s, "refund-cap", l, 3, 1); !cmp.Equal(got, []outcome{{true, 0}, {false, 0}}) {
			t.Fatalf("after over-refunding: %+v, want exactly the burst of 3", got)
		}
		// Quotas refund too.
		q := throttle.Quota(2, time.Hour)
		allow(t, s, "refund-quota", q, 2)
		if err := rf.RefundN(ctx, "refund-quota", q, 1); err != nil {
			t.Fatal(err)
		}
		if got := outcomes(t, s, "refund-quota", q, 1, 1); !cmp.Equal(got, []outcome{{true, 0}, {false, 0}}) {
			t.Fatalf("quota after refunding 1: %+v, want 1 admitted then denied", got)
		}
	}},
}
