package notify

import (
	"errors"
	"fmt"
	"strings"

	"github.com/heraldsms/herald/provider"
)

// Sentinel errors of the pipeline. Match them with errors.Is; the typed
// errors below wrap them with the details a caller needs.
var (
	// ErrNoRecipients: the notification names nobody.
	ErrNoRecipients = errors.New("notify: notification has no recipients")
	// ErrEmptyBody: the notification has no text.
	ErrEmptyBody = errors.New("notify: notification body is empty")
	// ErrMultipart is matched by *NeedsAcknowledgementError.
	ErrMultipart = errors.New("notify: body needs more than one segment")
	// ErrTooManySegments: a rendered body needs more segments than
	// Notification.MaxSegments allows.
	ErrTooManySegments = errors.New("notify: body needs more segments than allowed")
	// ErrEmojiNotAllowed: the sender does not allow emoji and the body has one.
	ErrEmojiNotAllowed = errors.New("notify: sender does not allow emoji")
	// ErrInvalidNumber: a recipient is not a valid phone number.
	ErrInvalidNumber = errors.New("notify: invalid phone number")
	// ErrDuplicateRecipient: the number appeared earlier in the list.
	ErrDuplicateRecipient = errors.New("notify: duplicate recipient")
	// ErrLandline: the provider's lookup says the number cannot receive texts.
	ErrLandline = errors.New("notify: number cannot receive texts")
	// ErrMissingVariable is matched by *MissingVariableError.
	ErrMissingVariable = errors.New("notify: template variable missing")
	// ErrTemplate is matched by *TemplateError.
	ErrTemplate = errors.New("notify: bad template")
	// ErrPaused: the notification is paused (Service.Resume continues it).
	ErrPaused = errors.New("notify: notification paused")
	// ErrNotPaused: Resume was asked for a notification that is not paused.
	ErrNotPaused = errors.New("notify: notification not paused")
	// ErrNoSender: no sender number could be chosen for the recipient.
	ErrNoSender = errors.New("notify: no sender number for the recipient")
	// ErrDailyCap: the account's daily segment cap (Limits.Daily) is used
	// up; the recipient is deferred until the cap's day turns.
	ErrDailyCap = errors.New("notify: daily cap reached")
	// ErrThrottle: the throttle refused the send (its store failed or a
	// limit is invalid).
	ErrThrottle = errors.New("notify: throttle refused the send")
	// ErrScheduled: the recipient is held until Notification.SendAfter.
	ErrScheduled = errors.New("notify: held until SendAfter")
	// ErrCompliance: the compliance policy could not decide (its consent
	// or frequency store failed); nothing was sent.
	ErrCompliance = errors.New("notify: compliance check failed")
	// ErrLookup: the line-type lookup failed and WithLookupFailure says to
	// defer.
	ErrLookup = errors.New("notify: line-type lookup failed")
	// ErrExpired: Notification.ExpiresAt passed before the recipient could
	// be sent.
	ErrExpired = errors.New("notify: notification expired before it could be sent")
	// ErrCanceled: the notification was canceled before this recipient was
	// sent.
	ErrCanceled = errors.New("notify: notification canceled")
	// ErrInterrupted: the Service stopped (a crash, a lost lease) after the
	// row was handed to the provider and before its answer was recorded.
	// errors.Is(ErrInterrupted, provider.ErrAmbiguous) is true: the text may
	// have gone out, and it is never resent automatically.
	ErrInterrupted error = interrupted{}
)

type interrupted struct{}

func (interrupted) Error() string {
	return "notify: interrupted after the provider call started; the text may have gone out"
}
func (interrupted) Is(target error) bool { return target == provider.ErrAmbiguous }

// ErrNeedsAcknowledgement is returned by Send and Plan, before anything is
// sent, when a rendered body needs more than one segment and the
// notification neither sets AcknowledgeMultipart nor MaxSegments. It names
// the segment count, the encoding, and the characters that forced UCS-2 (a
// curly quote or an emoji can triple the cost), with the count smart
// encoding would give. errors.Is(err, ErrMultipart) is true.
type ErrNeedsAcknowledgement struct {
	Segments  int    // segments the longest rendered body needs
	Encoding  string // "GSM-7" or "UCS-2"
	UCS2      []rune // distinct characters forcing UCS-2, in order of appearance
	Smart     int    // segments with smart encoding (WithSmartEncoding); equal to Segments when it does not help
	Recipient string // the recipient (as given) whose body was measured
}

// Error names the count and the characters.
func (e *ErrNeedsAcknowledgement) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "notify: body needs %d segments (%s); set AcknowledgeMultipart or MaxSegments", e.Segments, e.Encoding)
	if len(e.UCS2) > 0 {
		b.WriteString("; UCS-2 forced by ")
		for i, r := range e.UCS2 {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q (U+%04X)", r, r)
		}
		if e.Smart < e.Segments {
			fmt.Fprintf(&b, "; smart encoding would need %d", e.Smart)
		}
	}
	return b.String()
}

// Is matches ErrMultipart.
func (e *ErrNeedsAcknowledgement) Is(target error) bool { return target == ErrMultipart }

// SegmentLimitError is returned when a rendered body needs more segments than
// Notification.MaxSegments. errors.Is(err, ErrTooManySegments) is true.
type SegmentLimitError struct {
	Segments, Max int
	Recipient     string // as given
}

// Error names both counts.
func (e *SegmentLimitError) Error() string {
	return fmt.Sprintf("notify: body for %s needs %d segments, MaxSegments is %d", maskGiven(e.Recipient), e.Segments, e.Max)
}

// Unwrap returns ErrTooManySegments.
func (e *SegmentLimitError) Unwrap() error { return ErrTooManySegments }

// EmojiError is returned when the sender disallows emoji and a body has one.
// errors.Is(err, ErrEmojiNotAllowed) is true.
type EmojiError struct {
	Sender string
	Emoji  rune
	Offset int // byte offset in the rendered body
}

// Error names the sender and the character.
func (e *EmojiError) Error() string {
	return fmt.Sprintf("notify: sender %s does not allow emoji, body has %q at byte %d", maskGiven(e.Sender), e.Emoji, e.Offset)
}

// Unwrap returns ErrEmojiNotAllowed.
func (e *EmojiError) Unwrap() error { return ErrEmojiNotAllowed }

// NumberError says why a recipient was not sent to before any check ran:
// an invalid number, a duplicate, a landline. errors.Is matches Err.
type NumberError struct {
	Given string // the number as given
	Err   error  // ErrInvalidNumber, ErrDuplicateRecipient or ErrLandline
	Cause error  // the parser's or lookup's error, if any
}

// Error names the (masked) number and the problem.
func (e *NumberError) Error() string {
	s := fmt.Sprintf("%v: %q", e.Err, maskGiven(e.Given))
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap returns the sentinel and the cause.
func (e *NumberError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// MissingVariableError fails one recipient whose data lacks a placeholder's
// value; nothing is sent to that recipient. errors.Is(err,
// ErrMissingVariable) is true.
type MissingVariableError struct {
	Name      string // the placeholder
	Recipient string // as given
}

// Error names the variable and the recipient.
func (e *MissingVariableError) Error() string {
	return fmt.Sprintf("notify: template variable {{%s}} missing for recipient %s", e.Name, maskGiven(e.Recipient))
}

// Unwrap returns ErrMissingVariable.
func (e *MissingVariableError) Unwrap() error { return ErrMissingVariable }

// TemplateError reports a body that cannot be parsed: an unclosed
// placeholder, an unknown snippet. errors.Is(err, ErrTemplate) is true.
type TemplateError struct {
	Offset int    // byte offset in the body
	Msg    string // what is wrong
}

// Error names the offset and the problem.
func (e *TemplateError) Error() string {
	return fmt.Sprintf("notify: bad template at byte %d: %s", e.Offset, e.Msg)
}

// Unwrap returns ErrTemplate.
func (e *TemplateError) Unwrap() error { return ErrTemplate }

// maskGiven masks what looks like a phone number in s for a log or error
// line.
func maskGiven(s string) string {
	s = shorten(s)
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	if digits < 6 {
		return s
	}
	return provider.MaskNumber(s)
}
