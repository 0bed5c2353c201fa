package fake

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/heraldsms/herald/provider"
)

// Name is the default provider name of a fake.
const Name = "fake"

// ErrClosed is the reason a send to a closed fake fails.
var ErrClosed = errors.New("fake provider closed")

// RateLimited returns the error of an HTTP 429 with Retry-After retryAfter:
// RejectedRetryable, matching provider.ErrRateLimited.
func RateLimited(retryAfter time.Duration) *provider.Error {
	return &provider.Error{Provider: Name, Code: "429", HTTPStatus: http.StatusTooManyRequests,
		Class: provider.RejectedRetryable, RetryAfter: retryAfter, Err: provider.ErrRateLimited}
}

// QueueFull returns a RejectedRetryable error matching provider.ErrQueueFull.
func QueueFull() *provider.Error {
	return &provider.Error{Provider: Name, Code: "queue_full", HTTPStatus: http.StatusBadRequest,
		Class: provider.RejectedRetryable, Err: provider.ErrQueueFull}
}

// Refused returns the error of a connection refused before anything was
// sent: RejectedRetryable, matching provider.ErrNotSent.
func Refused() *provider.Error {
	return &provider.Error{Provider: Name, Class: provider.RejectedRetryable,
		Err: fmt.Errorf("%w: connection refused", provider.ErrNotSent)}
}

// Timeout returns the error of a timeout after the request was sent:
// Ambiguous, matching provider.ErrTimeout and context.DeadlineExceeded.
func Timeout() *provider.Error {
	return &provider.Error{Provider: Name, Class: provider.Ambiguous,
		Err: fmt.Errorf("%w: %w", provider.ErrTimeout, context.DeadlineExceeded)}
}

// Unavailable returns the error of an HTTP 500 from the provider: Ambiguous,
// matching provider.ErrUnavailable.
func Unavailable() *provider.Error {
	return &provider.Error{Provider: Name, HTTPStatus: http.StatusInternalServerError,
		Class: provider.Ambiguous, Err: provider.ErrUnavailable}
}

// Permanent returns a Permanent error with the given reason (for example
// provider.ErrInvalidNumber or provider.ErrOptedOut) and provider code.
func Permanent(reason error, code string) *provider.Error {
	return &provider.Error{Provider: Name, Code: code, HTTPStatus: http.StatusBadRequest,
		Class: provider.Permanent, Err: reason}
}
