package provider

import "errors"

// Fault says whose problem a failed send or delivery is, and so what a
// caller should do next: stop texting the recipient, pause the sender until
// someone fixes it, count a carrier filter against the sender's reputation,
// or wait for the provider. It is derived from the reason sentinel in an
// error's chain (see [FaultOf]), so a reason rebuilt from a stored code
// gives the same answer as the live error.
type Fault uint8

// Faults. The zero value is FaultUnknown.
const (
	// FaultUnknown: no error, an error of unknown kind, or an outcome that
	// may be ambiguous without a reason that says more.
	FaultUnknown Fault = iota
	// FaultRecipient: the error is about the recipient (opted out at the
	// carrier, invalid number, not a mobile, unreachable, unroutable,
	// blocked for this recipient). Another provider would fail the same
	// way; never fail over.
	FaultRecipient
	// FaultSender: the sender cannot send (number not message-capable or
	// not on the account, 10DLC or toll-free registration missing, campaign
	// limits, region permissions). Pause and fix the sender; the reason's
	// text names the fix.
	FaultSender
	// FaultFiltered: the carrier filtered the message as spam or for its
	// content. Count it against the sender's reputation.
	FaultFiltered
	// FaultProvider: the provider or the way to it (credentials, rate
	// limits, queue full, outages, timeouts, unreadable responses).
	FaultProvider
	// FaultRequest: the provider rejected the request itself as malformed.
	FaultRequest
)

var faultNames = [...]string{"unknown", "recipient", "sender", "filtered", "provider", "request"}

// String returns a lower-case name such as "sender".
func (f Fault) String() string {
	if int(f) < len(faultNames) {
		return faultNames[f]
	}
	return "unknown"
}

// faultOrder lists the reasons FaultOf checks, most specific first:
// ErrSenderBlocked matches both ErrSender and ErrFiltered and is a sender
// fault; ErrFiltered also matches ErrBlocked and is a filter.
var faultOrder = []struct {
	reason error
	fault  Fault
}{
	{ErrSender, FaultSender},
	{ErrGeoPermission, FaultSender},
	{ErrFiltered, FaultFiltered},
	{ErrOptedOut, FaultRecipient},
	{ErrInvalidNumber, FaultRecipient},
	{ErrLandline, FaultRecipient},
	{ErrUnreachable, FaultRecipient},
	{ErrUnroutable, FaultRecipient},
	{ErrBlocked, FaultRecipient},
	{ErrAuth, FaultProvider},
	{ErrRateLimited, FaultProvider},
	{ErrQueueFull, FaultProvider},
	{ErrUnavailable, FaultProvider},
	{ErrTimeout, FaultProvider},
	{ErrNotSent, FaultProvider},
	{ErrConnectionLost, FaultProvider},
	{ErrBadResponse, FaultProvider},
	{ErrInvalidRequest, FaultRequest},
}

// FaultOf returns whose problem err is, from the first reason sentinel it
// matches (errors.Is). It works on a *Error, on a bare sentinel such as
// StatusUpdate.Err, and on either wrapped; anything else is FaultUnknown.
func FaultOf(err error) Fault {
	if err == nil {
		return FaultUnknown
	}
	for _, r := range faultOrder {
		if errors.Is(err, r.reason) {
			return r.fault
		}
	}
	return FaultUnknown
}

// Fault returns FaultOf(e).
func (e *Error) Fault() Fault { return FaultOf(e) }

// Fault returns whose problem a failed delivery is, from u.Err:
// FaultFiltered for a carrier filter, FaultSender for a sender or
// registration problem, FaultRecipient for an opt-out or a bad number, and
// FaultUnknown when the update carries no reason (a delivered message).
func (u StatusUpdate) Fault() Fault { return FaultOf(u.Err) }

// SafeToTryElsewhere reports whether a send that failed with err may be
// handed to another provider: only when the provider surely did not take
// the message AND the error is not about the recipient. That is a
// *Error of class RejectedRetryable (connection refused before the request
// was written, HTTP 429, a documented queue-full code) or an
// authentication failure, and never a recipient fault (opt-out, invalid
// number, not a mobile, unreachable) or a filter, whatever its class. An
// ambiguous outcome (timeout after the request was written, 5xx), a sender
// or request fault, and any error that is not a *Error all report false.
//
// [Failover] follows this rule; callers that fail over themselves should
// use it too.
func SafeToTryElsewhere(err error) bool {
	var pe *Error
	if !errors.As(err, &pe) {
		return false
	}
	switch FaultOf(err) {
	case FaultRecipient, FaultFiltered, FaultSender, FaultRequest:
		return false
	}
	switch pe.Class {
	case RejectedRetryable:
		return true
	case Permanent:
		return errors.Is(err, ErrAuth)
	}
	return false
}
