package notify

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/heraldsms/herald/segment"
)

// Size limits. They are checked before any expensive work, so a hostile
// request costs at most a scan of its own bytes.
const (
	// MaxBodyBytes is the longest body (template or rendered) a
	// notification may have: segment.MaxTextBytes, what 255 concatenated
	// parts can carry at best. Longer bodies are refused with
	// segment.ErrTooManyParts.
	MaxBodyBytes = segment.MaxTextBytes
	// MaxRecipients is the most recipients one Send (To and Recipients
	// together) may name; SendStream reads any number.
	MaxRecipients = 1_000_000
	// MaxNumberBytes is the longest recipient string parsed as a phone
	// number; a longer one is invalid at once. Error texts quote at most
	// this much of what was given.
	MaxNumberBytes = 64
)

// ErrInvalidNotification is matched by *FieldError: a Notification field
// has a value Herald refuses rather than read as "off".
var ErrInvalidNotification = errors.New("notify: invalid notification")

// FieldError names a Notification field with an invalid value.
// errors.Is(err, ErrInvalidNotification) is true.
type FieldError struct {
	Field  string
	Value  string
	Reason string
}

// Error names the field, its value and what is wrong.
func (e *FieldError) Error() string {
	return fmt.Sprintf("notify: Notification.%s = %s: %s", e.Field, e.Value, e.Reason)
}

// Unwrap returns ErrInvalidNotification.
func (e *FieldError) Unwrap() error { return ErrInvalidNotification }

// BodyError refuses a body that cannot be sent: a control character
// carriers reject, invalid UTF-8, a lone surrogate (segment.ErrInvalidText),
// or more than 255 parts (segment.ErrTooManyParts). It names the byte
// offset; errors.Is matches the segment sentinel and errors.As the
// *segment.Error.
type BodyError struct {
	Recipient string // the recipient whose rendered body it is; "" for the template
	Err       error  // the *segment.Error
}

// Error names the recipient (masked) and the problem.
func (e *BodyError) Error() string {
	if e.Recipient == "" {
		return "notify: body cannot be sent: " + e.Err.Error()
	}
	return fmt.Sprintf("notify: body for %s cannot be sent: %v", maskGiven(e.Recipient), e.Err)
}

// Unwrap returns the segment error.
func (e *BodyError) Unwrap() error { return e.Err }

// checkNotification refuses field values that would otherwise switch a rule
// off or make unbounded work.
func checkNotification(n *Notification) error {
	if n.MaxSegments < 0 {
		return &FieldError{Field: "MaxSegments", Value: fmt.Sprint(n.MaxSegments), Reason: "must be 0 (one segment unless AcknowledgeMultipart) or positive"}
	}
	if n.MaxSegments > segment.MaxParts {
		return &FieldError{Field: "MaxSegments", Value: fmt.Sprint(n.MaxSegments), Reason: fmt.Sprintf("a concatenated text has at most %d parts", segment.MaxParts)}
	}
	if c := len(n.To) + len(n.Recipients); c > MaxRecipients {
		return &FieldError{Field: "To", Value: fmt.Sprint(c, " recipients"), Reason: fmt.Sprintf("at most %d per Send; use SendStream", MaxRecipients)}
	}
	if err := segment.Validate(n.Body); err != nil {
		return &BodyError{Err: err}
	}
	return nil
}

// shorten returns at most MaxNumberBytes of s (cut on a rune boundary),
// marked when cut, for error texts that quote input.
func shorten(s string) string {
	if len(s) <= MaxNumberBytes {
		return s
	}
	cut := MaxNumberBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("…(%d bytes)", len(s))
}
