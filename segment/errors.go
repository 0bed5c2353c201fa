package segment

import (
	"errors"
	"fmt"
)

// Sentinel errors, matched with errors.Is. Encode and Decode wrap them in an
// *Error that names the position.
var (
	// ErrInvalidText means the text holds something that cannot be sent in
	// any encoding; every error wrapping ErrInvalidUTF8 or ErrForbiddenChar
	// also matches it. See Validate.
	ErrInvalidText = errors.New("segment: text cannot be sent")
	// ErrInvalidUTF8 means the text is not valid UTF-8 (this includes UTF-16
	// surrogates encoded as CESU-8 or WTF-8).
	ErrInvalidUTF8 = errors.New("segment: invalid UTF-8")
	// ErrForbiddenChar means the text holds a control character that cannot
	// be sent, such as NUL or U+001B (ESC); Validate lists them.
	ErrForbiddenChar = errors.New("segment: character cannot be sent")
	// ErrTooManyParts means the text needs more than MaxParts (255) parts,
	// which the concatenation header cannot count.
	ErrTooManyParts = errors.New("segment: more than 255 parts")
	// ErrTooManySegments means the text needs more parts than
	// WithMaxSegments allows.
	ErrTooManySegments = errors.New("segment: more parts than allowed")
	// ErrMalformedPDU means a PDU given to Decode is inconsistent: a bad
	// header, a length beyond the data, a missing or duplicate part.
	ErrMalformedPDU = errors.New("segment: malformed PDU")
)

// Error is the error Encode and Decode return. Use errors.Is with the
// sentinels above and errors.As to read the position.
type Error struct {
	// Err is one of the sentinel errors.
	Err error
	// Offset is the byte offset in the text (Encode) or the octet offset in
	// the user data (Decode) where the problem is; -1 when it has none.
	Offset int
	// Rune is the offending character for ErrForbiddenChar, else 0.
	Rune rune
	// Part is the 1-based part concerned (Decode, ErrTooManyParts), else 0.
	Part int
	// Detail says more, e.g. "needs 300 parts".
	Detail string
}

// Error describes the problem and its position.
func (e *Error) Error() string {
	msg := e.Err.Error()
	if e.Rune != 0 || errors.Is(e.Err, ErrForbiddenChar) {
		msg += fmt.Sprintf(" %U", e.Rune)
	}
	if e.Part > 0 {
		msg += fmt.Sprintf(" in part %d", e.Part)
	}
	if e.Offset >= 0 {
		msg += fmt.Sprintf(" at byte %d", e.Offset)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// Is makes an error wrapping ErrInvalidUTF8 or ErrForbiddenChar match
// ErrInvalidText too.
func (e *Error) Is(target error) bool {
	return target == ErrInvalidText && (e.Err == ErrInvalidUTF8 || e.Err == ErrForbiddenChar)
}
