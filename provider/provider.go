package provider

import (
	"context"
	"time"
)

// Provider sends one SMS through a carrier or aggregator.
//
// Send returns once the provider has accepted (or refused) the message; it
// never retries on its own. A non-nil error is a *[Error] for every failure
// the provider or the network caused, so callers can branch on its [Class].
type Provider interface {
	Send(ctx context.Context, m Message) (Receipt, error)
}

// Message is one outbound text to one recipient.
type Message struct {
	// From is the sender: an E.164 number, short code or alphanumeric ID.
	// Adapters configured with a messaging service may allow it empty.
	From string
	// To is the recipient in E.164 form (+14155550100).
	To string
	// Body is the text as the recipient should see it.
	Body string
	// StatusCallback is the URL the provider posts delivery receipts to;
	// empty means the provider's account default.
	StatusCallback string
	// ValidityPeriod is how long the provider may keep trying to deliver;
	// zero means the provider's default.
	ValidityPeriod time.Duration
	// ClientRef is the caller's own reference, passed to providers that
	// support one and echoed into the Receipt.
	ClientRef string
}

// Price is an amount a provider charged, as the decimal string it reported
// (providers report negative amounts for charges, e.g. "-0.00750").
type Price struct {
	Amount   string // decimal, as reported
	Currency string // ISO 4217, e.g. "USD"
}

// Receipt is what a provider returns when it accepts a message.
type Receipt struct {
	// ID is the provider's message id (Twilio SM…, a Telnyx UUID).
	ID string
	// Provider names the provider that accepted the message ("twilio").
	Provider string
	// Status is the state the provider reported on acceptance, usually
	// [StatusQueued].
	Status Status
	// Segments is the number of billed segments when the provider reports
	// it, or 0 when unknown.
	Segments int
	// Price is the charge when already known; nil otherwise.
	Price *Price
	// ClientRef echoes Message.ClientRef.
	ClientRef string
}

// Lookuper is implemented by providers that can look up a number's line
// type, so a host can tell whether a number can receive texts. Discover it
// with a type assertion: lk, ok := p.(provider.Lookuper).
type Lookuper interface {
	Lookup(ctx context.Context, number string) (LineInfo, error)
}

// Canceler is implemented by providers that can cancel a message they have
// accepted but not yet sent (for example a scheduled one).
type Canceler interface {
	Cancel(ctx context.Context, id string) error
}

// LineType is the kind of line a number belongs to.
type LineType uint8

// Line types reported by [Lookuper]. The zero value is LineUnknown.
const (
	LineUnknown  LineType = iota // the provider could not tell
	LineMobile                   // a mobile number
	LineLandline                 // a fixed line; cannot receive SMS
	LineVoIP                     // fixed or non-fixed VoIP
	LineTollFree                 // a toll-free number
	LineOther                    // pager, voicemail, shared cost, ...
)

var lineTypeNames = [...]string{"unknown", "mobile", "landline", "voip", "toll-free", "other"}

// String returns a lower-case name such as "mobile".
func (t LineType) String() string {
	if int(t) < len(lineTypeNames) {
		return lineTypeNames[t]
	}
	return "unknown"
}

// CanReceiveSMS reports whether numbers of this type can normally receive
// texts (mobile and VoIP lines).
func (t LineType) CanReceiveSMS() bool { return t == LineMobile || t == LineVoIP }

// LineInfo is the result of a number lookup.
type LineInfo struct {
	Number  string   // the number in E.164 form, as the provider returned it
	Valid   bool     // whether the provider considers the number valid
	Type    LineType // the line type
	Carrier string   // the carrier name, when known
	Country string   // ISO 3166-1 alpha-2 country code, when known
}
