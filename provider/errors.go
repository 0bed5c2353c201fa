package provider

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Class says what a failed send means for the message, and so whether it is
// safe to retry.
type Class uint8

// Error classes. The zero value is Ambiguous, the safe default: a failure of
// unknown kind is never retried and never failed over.
const (
	// Ambiguous: the request may have reached the provider and the message
	// may have gone out (timeout after the request was written, 5xx,
	// connection reset mid-response). Never retry automatically.
	Ambiguous Class = iota
	// RejectedRetryable: the provider surely did not accept the message
	// (connection refused, HTTP 429, documented queue-full). Safe to retry,
	// after Error.RetryAfter when set.
	RejectedRetryable
	// Permanent: the provider refused the message for a reason a retry will
	// not fix (invalid number, opted out, landline, blocked, bad
	// credentials).
	Permanent
)

// String returns "ambiguous", "retryable" or "permanent".
func (c Class) String() string {
	switch c {
	case RejectedRetryable:
		return "retryable"
	case Permanent:
		return "permanent"
	default:
		return "ambiguous"
	}
}

// Class sentinels: errors.Is(err, ErrRetryable) is true for every *Error of
// class RejectedRetryable, and likewise for the others.
var (
	ErrRetryable = errors.New("provider: rejected before accept, safe to retry")
	ErrAmbiguous = errors.New("provider: outcome unknown, the message may have been sent")
	ErrPermanent = errors.New("provider: permanently rejected")
)

// Reason sentinels. Adapters put one in Error.Err (wrapped with the
// provider's message), so errors.Is(err, ErrOptedOut) works whatever the
// provider.
var (
	ErrInvalidNumber  = errors.New("invalid phone number")
	ErrOptedOut       = errors.New("recipient opted out at the carrier")
	ErrRateLimited    = errors.New("rate limited by the provider")
	ErrQueueFull      = errors.New("sender queue full at the provider")
	ErrLandline       = errors.New("number cannot receive SMS (landline or not mobile)")
	ErrBlocked        = errors.New("message blocked or filtered by the carrier")
	ErrUnreachable    = errors.New("recipient unreachable")
	ErrUnroutable     = errors.New("destination not routable")
	ErrGeoPermission  = errors.New("sending to this region is not permitted")
	ErrAuth           = errors.New("provider authentication failed")
	ErrInvalidRequest = errors.New("provider rejected the request")
	ErrUnavailable    = errors.New("provider server error")
	ErrTimeout        = errors.New("timed out waiting for the provider")
	ErrNotSent        = errors.New("request never reached the provider")
	ErrConnectionLost = errors.New("connection lost after the request was sent")
	ErrBadResponse    = errors.New("unreadable provider response")
	// ErrNoLineType: a number lookup answered but could not tell the line
	// type (the lookup package is not enabled, or the provider reported an
	// error for the line type). Do not read it as "not a mobile".
	ErrNoLineType = errors.New("lookup could not tell the line type")

	// ErrSender: the sender cannot send this message (the number is not
	// message-capable or not on the account, its 10DLC or toll-free
	// registration is missing, a campaign limit was reached). Not about the
	// recipient: pause the sender and fix what the wrapped text names.
	ErrSender = errors.New("the sender cannot send (number, registration or campaign)")
	// ErrFiltered: the carrier filtered the message as spam or for its
	// content. It also matches ErrBlocked.
	ErrFiltered error = &reason{"message filtered by the carrier", []error{ErrBlocked}}
	// ErrSenderBlocked: the carrier blocked the sending number itself as a
	// spam source. It matches both ErrSender and ErrFiltered (and so
	// ErrBlocked).
	ErrSenderBlocked error = &reason{"sending number blocked by the carrier as spam", []error{ErrSender, ErrFiltered}}
)

// reason is a sentinel that also matches broader sentinels, so a refined
// reason keeps satisfying the errors.Is checks of the one it refines.
type reason struct {
	msg     string
	parents []error
}

func (r *reason) Error() string   { return r.msg }
func (r *reason) Unwrap() []error { return r.parents }

// Error is a failed provider operation. Every adapter returns *Error for
// failures the provider or the network caused.
type Error struct {
	Provider   string        // "twilio", "telnyx", "fake", ...
	Code       string        // the provider's error code ("21211"), "" when none
	HTTPStatus int           // the HTTP status, 0 when no response was received
	Class      Class         // what the failure means for the message
	RetryAfter time.Duration // how long to wait before retrying, 0 when not given
	Err        error         // the reason: a sentinel above, wrapped with details
	// Detail is what Code means and, for a sender fault, what to fix, from
	// the adapter's code table ("" when the code is not in it). Unlike the
	// provider's own message it is stable, so a paused notification can
	// show it; Error() does not include it.
	Detail string
}

// Error formats the failure as "twilio: permanent error, code 21211, HTTP
// 400: invalid phone number: ...".
func (e *Error) Error() string {
	var b strings.Builder
	if e.Provider != "" {
		b.WriteString(e.Provider)
		b.WriteString(": ")
	}
	b.WriteString(e.Class.String())
	b.WriteString(" error")
	if e.Code != "" {
		b.WriteString(", code ")
		b.WriteString(e.Code)
	}
	if e.HTTPStatus != 0 {
		b.WriteString(", HTTP ")
		b.WriteString(strconv.Itoa(e.HTTPStatus))
	}
	if e.RetryAfter > 0 {
		b.WriteString(", retry after ")
		b.WriteString(e.RetryAfter.String())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the reason, so errors.Is(err, ErrOptedOut) and
// errors.Is(err, context.DeadlineExceeded) see through the *Error.
func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether the send is safe to retry: true only for
// RejectedRetryable. An ambiguous failure is not temporary, because a retry
// could text the recipient twice.
func (e *Error) Temporary() bool { return e.Class == RejectedRetryable }

// Is matches the class sentinels (ErrRetryable, ErrAmbiguous, ErrPermanent)
// and ErrRateLimited for any HTTP 429.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrRetryable:
		return e.Class == RejectedRetryable
	case ErrAmbiguous:
		return e.Class == Ambiguous
	case ErrPermanent:
		return e.Class == Permanent
	case ErrRateLimited:
		return e.HTTPStatus == 429
	}
	return false
}

// ClassOf returns the class of err: the Class of the first *Error in its
// chain, or Ambiguous for any other non-nil error (an unknown failure is
// never assumed safe to retry).
func ClassOf(err error) Class {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Class
	}
	return Ambiguous
}
