package compliance

import "strconv"

// Kind is the kind of a message, which decides which consent and which
// quiet-hour rules apply. The zero value is Service.
type Kind uint8

const (
	// Service is a transactional or informational message the recipient
	// expects (delivery updates, reminders, codes). It is the default.
	Service Kind = iota
	// Marketing is a promotional message; it always needs an express
	// opt-in on record and obeys the solicitation quiet hours.
	Marketing
)

// String returns "service" or "marketing".
func (k Kind) String() string {
	switch k {
	case Service:
		return "service"
	case Marketing:
		return "marketing"
	default:
		return "kind(" + strconv.Itoa(int(k)) + ")"
	}
}
