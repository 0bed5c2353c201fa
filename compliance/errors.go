package compliance

import "errors"

// Sentinel errors carried by the Reasons of a Decision. Match them with
// errors.Is on Reason.Err or on Decision.Err().
var (
	// ErrOptedOut: the recipient revoked consent for this scope and kind.
	ErrOptedOut = errors.New("compliance: recipient opted out")
	// ErrNoConsent: the send needs an opt-in that is not on record.
	ErrNoConsent = errors.New("compliance: no consent on record")
	// ErrQuietHours: the recipient's local time is outside the allowed window.
	ErrQuietHours = errors.New("compliance: quiet hours")
	// ErrFrequencyCap: too many messages to this recipient in a window.
	ErrFrequencyCap = errors.New("compliance: frequency cap reached")
	// ErrDuplicate: the same body went to the same number inside the
	// duplicate window. errors.Is(ErrDuplicate, ErrFrequencyCap) is true.
	ErrDuplicate = &wrapped{msg: "compliance: duplicate message", base: ErrFrequencyCap}
	// ErrContentPolicy: the body breaks a content rule of blocking severity.
	ErrContentPolicy = errors.New("compliance: content policy")
	// ErrInvalidNumber: Request.To is not an E.164 number.
	ErrInvalidNumber = errors.New("compliance: invalid E.164 number")
	// ErrUnknownKind: Request.Kind is not a Kind the package defines
	// (the error is a *KindError).
	ErrUnknownKind = errors.New("compliance: unknown message kind")
	// ErrInvalidRecord: a consent Record is missing a required field.
	ErrInvalidRecord = errors.New("compliance: invalid consent record")
)

// wrapped is a sentinel that also matches a broader sentinel.
type wrapped struct {
	msg  string
	base error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.base }
