package provider

// Status is the normalised delivery state of a message.
//
// States are ordered: Unknown < Queued < Sending < Sent < final states
// (Delivered, Undelivered, Failed, Canceled). Use [Status.Advance] to apply
// an update so that callbacks arriving out of order never move a message
// backwards.
type Status uint8

// Delivery states. The zero value is StatusUnknown.
const (
	StatusUnknown     Status = iota // no information, or the outcome of an ambiguous send
	StatusQueued                    // accepted by the provider, waiting to be sent
	StatusSending                   // being handed to the carrier
	StatusSent                      // handed to the carrier; no receipt yet
	StatusDelivered                 // the handset confirmed delivery
	StatusUndelivered               // the carrier could not deliver it
	StatusFailed                    // the provider could not send it
	StatusCanceled                  // canceled before it was sent
)

var statusNames = [...]string{"unknown", "queued", "sending", "sent", "delivered", "undelivered", "failed", "canceled"}

// String returns the lower-case name of the status, e.g. "delivered".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// ParseStatus returns the Status named by s (as produced by String), and
// false when s names none.
func ParseStatus(s string) (Status, bool) {
	for i, n := range statusNames {
		if n == s {
			return Status(i), true
		}
	}
	return StatusUnknown, false
}

// rank orders states: all final states share the highest rank.
func (s Status) rank() int {
	switch s {
	case StatusQueued:
		return 1
	case StatusSending:
		return 2
	case StatusSent:
		return 3
	case StatusDelivered, StatusUndelivered, StatusFailed, StatusCanceled:
		return 4
	default:
		return 0
	}
}

// Final reports whether s is a final state that no later update changes.
func (s Status) Final() bool { return s.rank() == 4 }

// After reports whether s is strictly later in the delivery lifecycle than
// other. Two different final states are not ordered: neither is After the
// other.
func (s Status) After(other Status) bool { return s.rank() > other.rank() }

// Advance returns the state a message in state s is in after an update to
// next: next when it is later, s otherwise. Once final, a state never
// changes, so a late "sent" never overwrites "delivered", and a duplicate
// final callback never flips one final state to another.
func (s Status) Advance(next Status) Status {
	if next.After(s) {
		return next
	}
	return s
}
