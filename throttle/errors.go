package throttle

import "errors"

// Sentinel errors; match them with errors.Is. Returned errors wrap them with
// the offending key, limit or count.
var (
	// ErrInvalidLimit reports a Limit that cannot be used (see Limit.Validate).
	ErrInvalidLimit = errors.New("throttle: invalid limit")
	// ErrInvalidCount reports a negative event count.
	ErrInvalidCount = errors.New("throttle: invalid event count")
	// ErrDeadline reports that the wait for capacity would outlast the
	// context's deadline; the Limiter returns it at once instead of waiting.
	// The error also matches context.DeadlineExceeded.
	ErrDeadline = errors.New("throttle: wait would exceed the context deadline")
	// ErrStore wraps a store failure when the Limiter fails closed.
	ErrStore = errors.New("throttle: store failed")
	// ErrBlocked reports a sender type that carriers do not let send at all
	// (an unverified toll-free number).
	ErrBlocked = errors.New("throttle: sender type is blocked from sending")
	// ErrCannotRefund reports a Refund on a Limiter whose store is not a
	// Refunder: the events stay charged.
	ErrCannotRefund = errors.New("throttle: store cannot refund")
)
