package console

import (
	"context"
	"errors"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
)

// ErrNotProvided is returned (and shown on the page) when the notify
// package this console is built with does not offer an operation a page
// needs.
var ErrNotProvided = errors.New("console: the notify Service does not provide this operation")

// contactPoint is a named sender an actor may send from.
type contactPoint struct {
	Name    string
	Senders []string
	Help    string
}

// problem is one recipient that will not or did not get the message.
type problem struct {
	Given   string
	Outcome string
	Reason  string
	Error   string
}

// preflight is what a send would do, shown before the confirmation.
type preflight struct {
	Recipients int
	Valid      int
	Invalid    int
	Duplicate  int
	Denied     int
	Deferred   int
	Failed     int
	Reasons    map[string]int // compliance denials and deferrals by rule id
	Problems   []problem
	Segments   int // per message (the longest rendered body)
	// TotalSegments and SmartSegments are the segments of the whole send,
	// as typed and with smart encoding.
	TotalSegments int
	SmartSegments int
	Encoding      string // "GSM-7" or "UCS-2"
	UCS2Chars     []string
	Cost          float64
	Currency      string
	Duration      time.Duration // with every number of the sender pool
	Senders       int           // numbers the contact point sends from; 0 when unknown
	Warnings      []string
	// Partial is set when notify offers no Plan and the summary only
	// counts what the console can see itself.
	Partial bool
}

// backend is everything the console asks of notify. serviceBackend adapts
// *notify.Service to it; tests may supply their own.
type backend interface {
	ContactPoints(ctx context.Context, account string, a notify.Actor) ([]contactPoint, error)
	Topics(ctx context.Context, account string) ([]notify.Topic, error)
	CreateTopic(ctx context.Context, account, name, title string, a notify.Actor) error
	RenameTopic(ctx context.Context, account, name, title string, a notify.Actor) error
	SetTopicDisabled(ctx context.Context, account, name string, disabled bool, a notify.Actor) error
	Plan(ctx context.Context, n notify.Notification) (preflight, error)
	Send(ctx context.Context, n notify.Notification) (*notify.Report, error)
	Tally(ctx context.Context, account, topic string, from, to time.Time) (notify.Tally, error)
	Recent(ctx context.Context, account, topic string, limit int) ([]notify.Message, error)
	Message(ctx context.Context, account, id string) (notify.MessageDetail, error)
	ConsentTrail(ctx context.Context, account, number string) ([]compliance.Record, error)
	OptOut(ctx context.Context, account, number, reason string, a notify.Actor) error
	// OptIn appends rec (an opt-in with its evidence) to account's ledger.
	OptIn(ctx context.Context, account string, rec compliance.Record) error
	Replies(ctx context.Context, account string) ([]notify.ReplyRecord, error)
	ResolveReply(ctx context.Context, account, id string, a notify.Actor) error
	Resume(ctx context.Context, notificationID string) (*notify.Report, error)
	// SettleUnknown records that a person settled account's message id,
	// whose outcome is unknown, as delivered.
	SettleUnknown(ctx context.Context, account, id string, st notify.Settlement) (notify.Message, error)
	// Paused lists account's paused notifications, oldest first.
	Paused(ctx context.Context, account string) ([]notify.NotificationRecord, error)
	RepliesIn(ctx context.Context, account string, state notify.ReplyState) ([]notify.ReplyRecord, error)
	Thread(ctx context.Context, account, sender, number string, limit int) ([]notify.ThreadEntry, error)
}
