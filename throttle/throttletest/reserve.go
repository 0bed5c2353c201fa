package throttletest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/heraldsms/herald/throttle"
)

// reserverCases run against stores that implement throttle.Reserver. They
// check the rule that keeps late wake-ups from costing capacity: a
// reservation's instant is fixed when it is made and the next one follows
// from it, whenever its caller comes back.
var reserverCases = []reserverCase{
	{"ReserveChainsFromPrevious", func(t *testing.T, s throttle.Reserver) {
		l := hourly(6, 1) // one event per 10 minutes
		start := time.Now()
		// Due instants, absolute, of 1, 1, 1, 3 (larger than the burst:
		// due when full, owing 2 more) and 1 event.
		var due []time.Time
		for _, n := range []int{1, 1, 1, 3, 1} {
			r := reserve(t, s, "chain", l, n, 0, 2*time.Hour)
			if !r.Allowed {
				t.Fatalf("ReserveN(%d) denied: %+v", n, r)
			}
			due = append(due, time.Now().Add(r.Delay))
		}
		for i, want := range []time.Duration{0, 10 * time.Minute, 20 * time.Minute, 30 * time.Minute, 60 * time.Minute} {
			within(t, "due instant", due[i].Sub(start), want-time.Second, want+time.Second)
		}
		// The next is due at 70 minutes, beyond a lookahead of an hour.
		r := reserve(t, s, "chain", l, 1, 0, time.Hour)
		if r.Allowed {
			t.Fatalf("reservation beyond the lookahead admitted: %+v", r)
		}
		within(t, "RetryAfter", r.RetryAfter, 9*time.Minute, 10*time.Minute+time.Second)
	}},
	{"ReserveZeroIsAllow", func(t *testing.T, s throttle.Reserver) {
		l := hourly(6, 2)
		for range 2 {
			if r := reserve(t, s, "zero", l, 1, 0, 0); !r.Allowed || r.Delay != 0 {
				t.Fatalf("within the burst = %+v, want allowed now", r)
			}
		}
		r := reserve(t, s, "zero", l, 1, 0, 0)
		if r.Allowed {
			t.Fatalf("beyond the burst with no lookahead = %+v, want denied", r)
		}
		within(t, "RetryAfter", r.RetryAfter, 9*time.Minute, 10*time.Minute)
	}},
	{"ReserveEarliest", func(t *testing.T, s throttle.Reserver) {
		l := hourly(6, 1)
		r := reserve(t, s, "earliest", l, 1, 30*time.Minute, time.Hour)
		if !r.Allowed {
			t.Fatalf("denied: %+v", r)
		}
		within(t, "Delay", r.Delay, 30*time.Minute, 30*time.Minute+time.Second)
		r = reserve(t, s, "earliest", l, 1, 0, time.Hour)
		within(t, "next Delay", r.Delay, 40*time.Minute-time.Second, 40*time.Minute+time.Second)
	}},
	{"ReserveWindowBound", func(t *testing.T, s throttle.Reserver) {
		// Waiters arriving together reserve 1-, 2- and 3-segment messages
		// far ahead; their due instants keep the Limit's bound (fewer than
		// max(burst, largest) + rate·W in any window W) and lose nothing.
		l := hourly(6, 3)
		var due []time.Time
		total := 0
		for i := range 30 {
			n := 1 + i%3
			r := reserve(t, s, "window", l, n, 0, 24*time.Hour)
			if !r.Allowed {
				t.Fatalf("ReserveN(%d) denied: %+v", n, r)
			}
			at := time.Now().Add(r.Delay)
			for range n {
				due = append(due, at)
			}
			total += n
		}
		slices.SortFunc(due, time.Time.Compare)
		// 55 minutes hold 5.5 intervals: fewer than 3 + 5.5 events.
		if got := busiest(due, 55*time.Minute); got > 8 {
			t.Errorf("busiest 55 minutes hold %d due events, want at most 8", got)
		}
		// Dense: the last message (3 events, the burst) is due when the
		// events before it have used their time, total - 3 intervals after
		// the first.
		want := time.Duration(total-3) * 10 * time.Minute
		within(t, "last due", due[len(due)-1].Sub(due[0]), want-time.Second, want+time.Second)
	}},
	{"CancelKeepsLaterReservations", func(t *testing.T, s throttle.Reserver) {
		ctx := context.Background()
		l := hourly(6, 1)
		reserve(t, s, "cancel", l, 1, 0, 2*time.Hour)             // due now
		a := reserve(t, s, "cancel", l, 1, 0, 2*time.Hour)        // 10 min
		reserve(t, s, "cancel", l, 1, 0, 2*time.Hour)             // 20 min
		if err := s.CancelN(ctx, "cancel", l, 1, a); err != nil { // one behind it
			t.Fatal(err)
		}
		r := reserve(t, s, "cancel", l, 1, 0, 2*time.Hour)
		within(t, "after cancelling one with a reservation behind it", r.Delay, 30*time.Minute-time.Second, 30*time.Minute+time.Second)
		if err := s.CancelN(ctx, "cancel", l, 1, r); err != nil { // the last
			t.Fatal(err)
		}
		r = reserve(t, s, "cancel", l, 1, 0, 2*time.Hour)
		within(t, "after cancelling the last", r.Delay, 30*time.Minute-time.Second, 30*time.Minute+time.Second)
		q := throttle.Quota(2, time.Hour)
		r = reserve(t, s, "cancel-quota", q, 2, 0, time.Minute)
		if err := s.CancelN(ctx, "cancel-quota", q, 2, r); err != nil {
			t.Fatal(err)
		}
		if r := reserve(t, s, "cancel-quota", q, 2, 0, 0); !r.Allowed {
			t.Fatalf("quota after cancelling = %+v, want 2 admitted", r)
		}
	}},
	{"ReserveQuota", func(t *testing.T, s throttle.Reserver) {
		// A quota is charged in the window open now, whatever the lookahead.
		q := throttle.Quota(3, time.Hour)
		r := reserve(t, s, "rquota", q, 2, 5*time.Second, time.Minute)
		if !r.Allowed || r.Remaining != 1 {
			t.Fatalf("= %+v, want allowed with 1 remaining", r)
		}
		within(t, "Delay", r.Delay, 5*time.Second, 5*time.Second)
		r = reserve(t, s, "rquota", q, 2, 0, time.Minute)
		if r.Allowed {
			t.Fatalf("over the quota = %+v, want denied", r)
		}
		within(t, "RetryAfter", r.RetryAfter, 59*time.Minute, time.Hour)
	}},
	{"ReserveInvalidInput", func(t *testing.T, s throttle.Reserver) {
		ctx := context.Background()
		if _, err := s.ReserveN(ctx, "bad", throttle.Limit{}, 1, 0, time.Second); !errors.Is(err, throttle.ErrInvalidLimit) {
			t.Errorf("zero Limit: err = %v, want ErrInvalidLimit", err)
		}
		if _, err := s.ReserveN(ctx, "bad", hourly(1, 1), -1, 0, time.Second); !errors.Is(err, throttle.ErrInvalidCount) {
			t.Errorf("n=-1: err = %v, want ErrInvalidCount", err)
		}
		canceled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.ReserveN(canceled, "bad", hourly(1, 1), 1, 0, time.Second); !errors.Is(err, context.Canceled) {
			t.Errorf("canceled context: err = %v, want context.Canceled", err)
		}
		if r, err := s.ReserveN(ctx, "inf", throttle.Inf, 1000, 0, time.Second); err != nil || !r.Allowed || r.Delay != 0 {
			t.Errorf("Inf = %+v, %v; want allowed now", r, err)
		}
	}},
}

type reserverCase struct {
	name string
	run  func(t *testing.T, s throttle.Reserver)
}

func reserve(t *testing.T, s throttle.Reserver, key string, l throttle.Limit, n int, earliest, latest time.Duration) throttle.Result {
	t.Helper()
	r, err := s.ReserveN(context.Background(), key, l, n, earliest, latest)
	if err != nil {
		t.Fatalf("ReserveN(%q, %v, %d, %v, %v): %v", key, l, n, earliest, latest, err)
	}
	return r
}

// busiest returns the most instants (sorted) in any window [t, t+w).
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
