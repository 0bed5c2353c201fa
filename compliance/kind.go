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

// Valid reports whether k is a kind the package defines (Service or
// Marketing).
func (k Kind) Valid() bool { return k <= Marketing }

// KindError is the error Policy.Check returns for a Request whose Kind the
// package does not define: no rule table knows it, so nothing may be
// sent. errors.Is(err, ErrUnknownKind) is true.
type KindError struct {
	Kind Kind
}

// Error names the kind.
func (e *KindError) Error() string {
	return "compliance: unknown message kind " + e.Kind.String() + " (want Service or Marketing)"
}

// Unwrap returns ErrUnknownKind.
func (e *KindError) Unwrap() error { return ErrUnknownKind }

// checkKind returns a *KindError for a kind the package does not define.
func checkKind(k Kind) error {
	if k.Valid() {
		return nil
	}
	return &KindError{Kind: k}
}
