package notify

import (
	"strconv"
	"time"
)

// Outcome is what happened to one recipient.
type Outcome uint8

const (
	// OutcomePending: in the outbox, not decided yet.
	OutcomePending Outcome = iota
	// OutcomeSent: accepted by the provider.
	OutcomeSent
	// OutcomeDeferred: held by compliance (quiet hours) or scheduling until
	// Result.NotBefore; it is sent then while the Service runs.
	OutcomeDeferred
	// OutcomeDenied: refused by compliance; Result.Reason says why.
	OutcomeDenied
	// OutcomeInvalid: not a valid number, or a number that cannot receive
	// texts (a landline when the provider can look that up).
	OutcomeInvalid
	// OutcomeDuplicate: the same number appeared earlier in the list.
	OutcomeDuplicate
	// OutcomeFailed: the provider refused the message, or a template value
	// was missing; nothing went out.
	OutcomeFailed
	// OutcomeUnknown: the provider may or may not have accepted the message
	// (a timeout after the request was written, a 5xx). It is never resent
	// automatically: a missed text is recoverable, a double text is not.
	OutcomeUnknown
	// OutcomeCanceled: the notification was canceled before this recipient
	// was sent.
	OutcomeCanceled
)

var outcomeNames = [...]string{"pending", "sent", "deferred", "denied", "invalid", "duplicate", "failed", "unknown", "canceled"}

// String returns the outcome's lower-case name.
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "outcome(" + strconv.Itoa(int(o)) + ")"
}

// Final reports whether the outcome will not change any more. Pending and
// deferred recipients are still to be decided.
func (o Outcome) Final() bool { return o != OutcomePending && o != OutcomeDeferred }

// Result is what happened to one recipient of a notification.
type Result struct {
	Index      int    // position in the input, from 0
	Given      string // the number as given
	To         string // E.164; empty when invalid
	From       string // the sender number used
	Outcome    Outcome
	Reason     string    // machine-readable: a compliance rule id, a provider code, "invalid_number", ...
	Err        error     // the typed error behind a non-sent outcome, for errors.Is/As
	NotBefore  time.Time // for deferred results
	ProviderID string
	Segments   int
	MessageID  string
}

// Report is the answer to a Send: one Result per recipient in input order,
// and totals.
type Report struct {
	NotificationID string
	Topic          string
	Results        []Result
	Counts         map[Outcome]int
	Segments       int    // segments sent (accepted by the provider)
	Encoding       string // "GSM-7" or "UCS-2" (of the first rendered body)
	EstimatedCost  float64
	Currency       string
	// Replayed is set when the notification's IdempotencyKey had already
	// been accepted: the report is the first notification's, and nothing
	// was sent again by this call.
	Replayed bool
	// Paused is set when the reputation guard or the host paused the send;
	// PauseReason says why.
	Paused      bool
	PauseReason string
	StartedAt   time.Time
	FinishedAt  time.Time
}
