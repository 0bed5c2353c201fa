package notify

import (
	"time"

	"github.com/heraldsms/herald/compliance"
)

// DefaultTopic is the topic of a notification that names none. It always
// exists and can be neither renamed nor disabled.
const DefaultTopic = "default"

// EveryoneRole is the role every actor has. A contact point with no roles
// listed may be used by everyone.
const EveryoneRole = "everyone"

// Actor is who asks for a send: the host's user or system, with its roles.
type Actor struct {
	ID    string
	Roles []string
}

// Recipient is one addressee with the values its templated body needs.
type Recipient struct {
	To   string            // any common format; normalised to E.164
	Vars map[string]string // values for {{name}} placeholders in the body
}

// Notification is one message to one or many recipients.
type Notification struct {
	// Account scopes topics, history, consent and contact points; "" is the
	// default account.
	Account string
	// From is a contact point name or a sender number in E.164.
	From string
	// To lists recipients in any common format; each is normalised to E.164.
	To []string
	// Recipients lists recipients with per-recipient template values. It
	// may be used instead of, or together with, To (To entries come first).
	Recipients []Recipient
	// Body is the text, possibly with {{placeholders}} filled per recipient
	// and {{> snippet}} references to named snippets.
	Body string
	// Topic groups the notification; "" means DefaultTopic.
	Topic string
	// Kind is compliance.Service unless the message is marketing.
	Kind compliance.Kind
	// Campaign names the carrier campaign, for consent scope and throttling.
	Campaign string
	// Categories declares the restricted content categories a marketing
	// campaign is approved for (compliance.RuleAlcohol for an age-gated
	// campaign, ...): the content rules deny marketing in an undeclared
	// restricted category.
	Categories []string
	// Transactional puts the sends in the priority lane ahead of bulk.
	Transactional bool
	// IdempotencyKey, when set, makes a repeated Send return the first
	// report and send nothing again.
	IdempotencyKey string
	// Actor is the caller; its roles must permit the contact point.
	Actor Actor
	// SendAfter holds the notification until this time.
	SendAfter time.Time
	// ExpiresAt, when set, is the time after which a text is no use (a
	// delivery window, a one-time code): a recipient not sent by then is
	// failed with ErrExpired instead of sent late, and a sent text carries
	// the time left as the provider's validity period, so the carrier does
	// not deliver it after ExpiresAt either.
	ExpiresAt time.Time
	// AcknowledgeMultipart accepts a body longer than one segment.
	AcknowledgeMultipart bool
	// MaxSegments, when > 0, accepts bodies up to this many segments and
	// refuses longer ones.
	MaxSegments int
	// Metadata travels to history, hooks and reports (for example a CRM
	// record id).
	Metadata map[string]string
}
