// Package provider defines how Herald talks to an SMS carrier: the
// [Provider] interface, the [Message] and [Receipt] types, normalised
// [StatusUpdate] and [Inbound] events, and the typed [*Error] that tells a
// caller whether a failed send is safe to retry.
//
// # Error classes
//
// Providers offer no send idempotency, so every failure falls into one of
// three classes:
//
//   - [RejectedRetryable]: the provider surely did not accept the message
//     (connection refused before the request was written, HTTP 429, a
//     documented "queue full" code). Safe to retry, after
//     [Error.RetryAfter] when set.
//   - [Ambiguous]: the message may have gone out (a timeout after the request
//     was written, a 5xx, a connection reset mid-response). Never retry
//     automatically; record the outcome as unknown.
//   - [Permanent]: the provider refused the message for a reason a retry will
//     not fix (invalid number, opted out, landline, blocked).
//
// Callers never parse strings: use errors.As with *Error, or errors.Is with
// the sentinels ([ErrInvalidNumber], [ErrOptedOut], [ErrRateLimited], ...)
// and the class sentinels ([ErrRetryable], [ErrAmbiguous], [ErrPermanent]).
//
// # Faults: whose problem a failure is
//
// Independently of the class, [FaultOf] says whose problem a failure is:
// [FaultRecipient] (opted out at the carrier, invalid number, not a mobile,
// unreachable), [FaultSender] (number not message-capable, 10DLC or
// toll-free registration missing, campaign limits; [ErrSender]),
// [FaultFiltered] (the carrier filtered the message; [ErrFiltered], which
// also matches [ErrBlocked]), [FaultProvider] or [FaultRequest]. A
// [StatusUpdate] has the same through [StatusUpdate.Fault], and its Detail
// says what the code means and what to fix. [SafeToTryElsewhere] is the one
// rule for moving a send to another provider; [Failover] uses it.
//
// Adapters live in sub-packages (provider/twilio, provider/telnyx); a
// scriptable in-memory provider for tests is in provider/fake, and the
// conformance suite every adapter passes is provider/providertest.
package provider
