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

// OptedOut returns the error of a recipient who opted out at the carrier
// (Twilio 21610, Telnyx 40300): Permanent, matching provider.ErrOptedOut,
// with code "opted_out" as the evidence a consent ledger records.
func OptedOut() *provider.Error {
	return Permanent(provider.ErrOptedOut, "opted_out")
}

// SenderRejected returns the error of a sender the provider will not send
// from (not message-capable, not registered for 10DLC, toll-free not
// verified): Permanent, matching provider.ErrSender, a sender fault. fix is
// the text a paused notification shows ("register the number ..."), in
// the error's text and its Detail.
func SenderRejected(fix string) *provider.Error {
	return &provider.Error{Provider: Name, Code: "sender", HTTPStatus: http.StatusBadRequest,
		Class: provider.Permanent, Err: fmt.Errorf("%w: %s", provider.ErrSender, fix), Detail: fix}
}

// Filtered returns the error of a message the carrier filtered as spam:
// Permanent, matching provider.ErrFiltered (and provider.ErrBlocked).
func Filtered() *provider.Error {
	return Permanent(provider.ErrFiltered, "filtered")
}

// AuthFailed returns the error of bad credentials (HTTP 401): Permanent,
// matching provider.ErrAuth. provider.Failover moves on after it.
func AuthFailed() *provider.Error {
	return &provider.Error{Provider: Name, Code: "auth", HTTPStatus: http.StatusUnauthorized,
		Class: provider.Permanent, Err: provider.ErrAuth}
}
