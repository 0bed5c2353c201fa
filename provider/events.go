package provider

import "time"

// StatusUpdate is a normalised delivery receipt from a provider's status
// callback.
type StatusUpdate struct {
	Provider string // the provider that sent the callback ("twilio")
	ID       string // the provider's message id, as in Receipt.ID
	Status   Status // the normalised state
	Raw      string // the provider's own status word ("undelivered", "delivery_failed")
	Code     string // the provider's error code, "" when none
	Err      error  // the code mapped to a sentinel (ErrUnreachable, ...), nil when none
	// Detail says what Code means and, for a sender fault, what to fix
	// ("US A2P 10DLC message from an unregistered number: register ..."),
	// from the adapter's code table; "" when the code is not in it.
	Detail string
	// Retryable reports that the provider documents the failure as
	// transient (e.g. Twilio 30001 queue overflow, 30003 unreachable), so a
	// new send later may succeed. Always false for successful states.
	Retryable bool
	From, To  string    // the numbers, when the callback carries them
	At        time.Time // when the provider says it happened, or when it was received
	Segments  int       // billed segments, when reported
	Price     *Price    // the charge, when reported
}

// Inbound is a message a provider received for one of the host's numbers.
type Inbound struct {
	Provider string    // the provider that delivered it ("twilio")
	ID       string    // the provider's message id
	From     string    // the sender, E.164
	To       string    // the host's number that received it, E.164
	Body     string    // the text
	Received time.Time // when the provider received it, or when the webhook arrived
	Segments int       // number of segments, when reported
	Media    []string  // media URLs (MMS), if any
}
