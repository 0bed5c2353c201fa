package throttle

import (
	"context"
	"time"
)

// Store holds rate-limit state. AllowN atomically checks whether key admits
// n events under limit now and, if it does, charges them. The limit is passed
// on every call, so one store serves keys with different limits; a changed
// limit takes effect on the key's next call.
//
// Implementations must be safe for concurrent use and pass
// throttletest.TestStore, which also requires [Reserver]: over a store that
// cannot reserve, the Limiter polls AllowN, and every late wake-up of a
// waiter then costs the key capacity.
type Store interface {
	AllowN(ctx context.Context, key string, limit Limit, n int) (Result, error)
}

// Refunder is implemented by stores that can give back events charged by an
// earlier AllowN, up to the limit's burst. The Limiter discovers it by type
// assertion and uses it so that a send denied by one key does not consume
// the capacity of the keys charged before it.
type Refunder interface {
	RefundN(ctx context.Context, key string, limit Limit, n int) error
}

// Reserver is implemented by stores that can reserve events ahead of time,
// the way golang.org/x/time/rate's ReserveN does: the events are charged at
// a fixed instant, possibly in the future, and the next reservation is
// computed from the previous one, not from when its caller comes back. A
// waiter that wakes late therefore costs the key no capacity. The Limiter
// discovers it by type assertion and prefers it to polling AllowN.
type Reserver interface {
	// ReserveN charges n events to key at the earliest instant in
	// [now+earliest, now+latest] at which limit admits them, and reports
	// that instant as Result.Delay (from now). When there is none it
	// charges nothing and Result.RetryAfter says how long until such a
	// reservation could be made. A request larger than the burst is due
	// when the key is full and leaves it owing the excess, as with AllowN.
	// ReserveN(ctx, key, limit, n, 0, 0) is AllowN. Quotas are charged in
	// the window open now.
	ReserveN(ctx context.Context, key string, limit Limit, n int, earliest, latest time.Duration) (Result, error)
	// CancelN gives back a reservation that will not be used; r is what
	// ReserveN returned for it. Capacity reserved by others after it is not
	// given back twice: only the part of the reservation nobody has
	// reserved behind is returned, so later reservations keep their
	// instants and the key's bound still holds.
	CancelN(ctx context.Context, key string, limit Limit, n int, r Result) error
}

// Result is the outcome of one AllowN or ReserveN call.
type Result struct {
	// Allowed reports whether the n events were admitted and charged.
	Allowed bool
	// Remaining is how many more events the key would admit right now
	// (whole events, never negative; math.MaxInt for Inf).
	Remaining int
	// RetryAfter is, when not allowed, how long until the same request
	// could be admitted if nothing else is charged; 0 when allowed.
	RetryAfter time.Duration
	// ResetAfter is how long until the key is back to full capacity.
	ResetAfter time.Duration
	// Delay is, for a reservation admitted by [Reserver.ReserveN], how long
	// from now until the charged events are due; 0 from AllowN.
	Delay time.Duration
	// Mark identifies an admitted reservation to [Reserver.CancelN]: the
	// store's position after it, in the store's own units. Callers pass the
	// Result back unchanged and otherwise ignore it.
	Mark int64
}
