package throttle_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/heraldsms/herald/throttle"
)

// TestRefundGivesCapacityBack: a send charged and then not sent gives its
// events back: the rate key admits the next send at once, a daily quota
// counts only what went out, and the Limiter's own window of releases does
// not hold the next send back for it.
func TestRefundGivesCapacityBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		l := throttle.NewLimiter(throttle.NewMemoryStore())
		rate := []throttle.Key{{Name: "sender", Limit: throttle.PerSecond(1)}}
		daily := []throttle.Key{{Name: "daily", Limit: throttle.Quota(3, 24*time.Hour)}}
		if err := l.Wait(ctx, rate, 1); err != nil {
			t.Fatal(err)
		}
		if err := l.Refund(ctx, rate, 1); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := l.Wait(ctx, rate, 1); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 0 {
			t.Fatalf("after a refund the next send waited %v, want 0", d)
		}
		for range 3 {
			if res, err := l.Allow(ctx, daily, 1); err != nil || !res.Allowed {
				t.Fatalf("daily Allow = %+v, %v", res, err)
			}
		}
		if err := l.Refund(ctx, daily, 2); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			res, err := l.Allow(ctx, daily, 1)
			if err != nil {
				t.Fatal(err)
			}
			if want := i < 2; res.Allowed != want {
				t.Fatalf("daily Allow %d after refunding 2 of 3: allowed %v, want %v", i, res.Allowed, want)
			}
		}
	})
}

// TestRefundNeedsARefunder: a store that cannot give events back says so.
func TestRefundNeedsARefunder(t *testing.T) {
	l := throttle.NewLimiter(allowOnly{throttle.NewMemoryStore()})
	err := l.Refund(context.Background(), []throttle.Key{{Name: "k", Limit: throttle.PerSecond(1)}}, 1)
	if !errors.Is(err, throttle.ErrCannotRefund) {
		t.Fatalf("Refund on an AllowN-only store: %v, want ErrCannotRefund", err)
	}
	if err := l.Refund(context.Background(), nil, 1); err != nil {
		t.Fatalf("Refund of no keys: %v", err)
	}
}

// allowOnly hides every method of a store but AllowN.
type allowOnly struct{ s throttle.Store }

func (a allowOnly) AllowN(ctx context.Context, key string, limit throttle.Limit, n int) (throttle.Result, error) {
	return a.s.AllowN(ctx, key, limit, n)
}
