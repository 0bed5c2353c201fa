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
// throttletest.TestStore.
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

// Result is the outcome of one AllowN call.
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
}
