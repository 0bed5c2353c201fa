package notify

import (
	"context"
	"errors"
	"time"

	"github.com/heraldsms/herald/provider"
)

// ErrNotFound is returned by a Store when the record asked for does not exist.
var ErrNotFound = errors.New("notify: not found")

// ErrNotUnknown is returned by Store.SettleUnknown and Service.SettleUnknown
// for a message whose outcome is not OutcomeUnknown (it was sent, failed,
// or settled before). Service.SettleUnknown returns it as a *SettleError.
var ErrNotUnknown = errors.New("notify: message outcome is not unknown")

// ErrClaimLost is returned by Store.MarkSending and Store.Complete when the
// caller no longer holds the claim on an outbox row (its lease expired and
// another Service recovered or claimed it).
var ErrClaimLost = errors.New("notify: outbox claim lost")

// ErrSenderOwned is returned by Store.ClaimSender when a sender number that
// receives replies is already registered to another account.
var ErrSenderOwned = errors.New("notify: sender number belongs to another account")

// NotificationState is where a stored notification is in its life.
type NotificationState uint8

const (
	// NotificationPending: accepted, recipients in the outbox, not finished.
	NotificationPending NotificationState = iota
	// NotificationPaused: held by the reputation guard or by the host;
	// Service.Resume continues it.
	NotificationPaused
	// NotificationDone: every recipient has a final outcome.
	NotificationDone
	// NotificationCanceled: stopped by the host; unsent rows are canceled.
	NotificationCanceled
)

// NotificationRecord is a notification as the Store keeps it.
type NotificationRecord struct {
	ID      string
	Account string
	Topic   string
	// IdempotencyKey, when not empty, is unique per account.
	IdempotencyKey string
	// Notification is the request as accepted (recipients are in the outbox,
	// so To and Recipients are left empty here).
	Notification Notification
	State        NotificationState
	// PauseReason says why a paused notification stopped.
	PauseReason string
	// Total is the number of recipients the notification has: known at
	// acceptance for Send, and -1 while a SendStream is still reading its
	// sequence (a stream interrupted by a crash keeps -1 until a SendStream
	// with the same IdempotencyKey finishes reading it). A notification is
	// done only when its outbox holds Total rows, each final.
	Total     int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// StatusChange is one step of a message's delivery history: a provider's
// receipt, or a person's settlement of an unknown outcome
// (Service.SettleUnknown), which has Code SettledCode and names who decided
// and why.
type StatusChange struct {
	Status provider.Status
	Code   string // the provider's error or status code, if any; SettledCode for a settlement
	At     time.Time
	By     string // who settled the message (an Actor's ID); empty for a receipt
	Note   string // why they settled it; empty for a receipt
}

// SettledCode is the Code of the StatusChange a settlement adds to a
// message's history (Service.SettleUnknown).
const SettledCode = "herald.settled"

// Message is one recipient of one notification: its outbox row while it
// waits, and its history record afterwards.
type Message struct {
	ID             string // NotificationID + "/" + Index
	NotificationID string
	Index          int // position in the input list, from 0
	Account        string
	Topic          string
	Given          string // the number as the host gave it
	To             string // E.164, empty when invalid
	From           string // the sender number used (after contact point and sticky pool resolution)
	Body           string // the rendered body
	Segments       int
	Encoding       string // "GSM-7" or "UCS-2"
	Outcome        Outcome
	Reason         string // machine-readable reason for a non-sent outcome (rule id, error code)
	Detail         string // human-readable explanation
	NotBefore      time.Time
	Provider       string
	ProviderID     string
	Status         provider.Status
	Statuses       []StatusChange
	Attempts       int
	Price          string
	Metadata       map[string]string
	// CreatedAt is when the row entered the outbox.
	CreatedAt time.Time
	// UpdatedAt is when the row last changed in the outbox: for a final
	// message, when its outcome was decided, which for a sent message is
	// when the provider accepted it (the send time a conversation is
	// ordered by). Delivery receipts and settlements do not move it; their
	// times are in Statuses.
	UpdatedAt time.Time
}

// Tally counts a topic's messages by what happened to them.
type Tally struct {
	Sent      int64 // accepted by the provider
	Delivered int64 // delivery receipt said delivered
	Failed    int64 // refused by the provider or failed after acceptance
	Denied    int64 // refused by compliance
	Unknown   int64 // ambiguous provider outcome
}

// Add returns the element-wise sum of t and u.
func (t Tally) Add(u Tally) Tally {
	return Tally{t.Sent + u.Sent, t.Delivered + u.Delivered, t.Failed + u.Failed, t.Denied + u.Denied, t.Unknown + u.Unknown}
}

// Topic groups notifications. Topics are never deleted, only disabled.
type Topic struct {
	Account   string
	Name      string // the key; "default" is the default topic
	Title     string // display name; renaming changes Title, never Name
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ReplyState says whether a reply still needs an answer.
type ReplyState uint8

const (
	// ReplyOpen: nobody has handled the reply yet.
	ReplyOpen ReplyState = iota
	// ReplyResolved: the host marked the reply handled.
	ReplyResolved
)

// ReplyRecord is an inbound message kept for the host to answer.
type ReplyRecord struct {
	ID             string
	Account        string
	Topic          string
	NotificationID string // the notification replied to, if known
	MessageID      string
	From           string // the recipient who replied (E.164)
	To             string // our sender number
	Body           string
	Received       time.Time
	State          ReplyState
	Metadata       map[string]string
}

// NotificationStore keeps the notifications themselves: one record each,
// unique per account and idempotency key.
type NotificationStore interface {
	// CreateNotification stores rec. When rec.IdempotencyKey is already used
	// in rec.Account, it stores nothing and returns the existing record with
	// created == false.
	CreateNotification(ctx context.Context, rec NotificationRecord) (existing NotificationRecord, created bool, err error)
	// Notification returns one notification record.
	Notification(ctx context.Context, id string) (NotificationRecord, error)
	// UpdateNotification sets State, PauseReason and Total of a notification.
	UpdateNotification(ctx context.Context, rec NotificationRecord) error
	// Unfinished lists notifications in state Pending, oldest first.
	Unfinished(ctx context.Context) ([]NotificationRecord, error)
	// Paused lists account's notifications in state Paused, oldest first.
	Paused(ctx context.Context, account string) ([]NotificationRecord, error)
}

// OutboxStore is the durable queue of recipients. Every recipient of a
// notification is enqueued before the first provider call; a Service claims
// rows (a lease), marks each one Sending just before calling the provider,
// and completes it with its final outcome (or gives it back).
type OutboxStore interface { // Enqueue appends rows to a notification's outbox in one batch. Rows may
	// already carry a final outcome (invalid numbers, duplicates). Enqueue
	// takes msgs over: the caller neither reads nor changes them after the
	// call, so a store may keep them as they are instead of a copy.
	Enqueue(ctx context.Context, msgs []Message) error
	// Claim leases up to limit rows of the notification that are Pending, or
	// Deferred with NotBefore <= now, in Index order, to owner until until.
	Claim(ctx context.Context, notificationID, owner string, limit int, now, until time.Time) ([]Message, error)
	// MarkSending records that owner is about to call the provider for row id.
	MarkSending(ctx context.Context, id, owner string) error
	// Complete writes m's final outcome (or a deferral) and releases the
	// claim owner holds. It maintains the topic tallies and recent history.
	Complete(ctx context.Context, m Message, owner string) error
	// CancelRows makes every pending or deferred row of the notification
	// that no Service holds OutcomeCanceled (reason "canceled") and returns
	// how many it changed.
	CancelRows(ctx context.Context, notificationID string, at time.Time) (int, error)
	// Recover handles rows whose lease ended before now: claimed rows go back
	// to Pending; rows marked Sending become OutcomeUnknown. It returns how
	// many rows it changed.
	Recover(ctx context.Context, now time.Time) (int, error)
	// Messages returns the rows of a notification with Index >= from, in
	// Index order, at most limit of them.
	Messages(ctx context.Context, notificationID string, from, limit int) ([]Message, error)
	// Counts returns how many rows of a notification have each outcome.
	Counts(ctx context.Context, notificationID string) (map[Outcome]int, error)
}

// HistoryStore answers questions about messages already decided.
type HistoryStore interface {
	// Message returns one message by its ID.
	Message(ctx context.Context, id string) (Message, error)
	// ApplyStatus records a delivery status for the message with the given
	// provider id. It never moves a message backwards: a status that ranks
	// at or below the current one is kept in the history only if new, and
	// changed reports whether the current status moved. Tallies count a
	// message as delivered or failed at most once. UpdatedAt does not move.
	ApplyStatus(ctx context.Context, u provider.StatusUpdate) (m Message, changed bool, err error)
	// SettleUnknown records a person's decision that the message id, whose
	// outcome is OutcomeUnknown, was delivered: in one step its outcome
	// becomes OutcomeSent, its status Delivered, change (Code SettledCode)
	// is appended to Statuses, and the topic's tallies move it from
	// unknown to sent in the minute it was counted unknown (its UpdatedAt)
	// and count it delivered in the minute of change.At. Counts of its
	// notification follow. Reason, Detail and UpdatedAt are kept. A
	// message whose outcome is not OutcomeUnknown is not changed: it is
	// returned as stored, with an error wrapping ErrNotUnknown. An unknown
	// id is ErrNotFound.
	SettleUnknown(ctx context.Context, id string, change StatusChange) (Message, error)
	// Recent returns up to limit of the most recent final messages of a
	// topic, newest first (the Store keeps at least the last 1000).
	Recent(ctx context.Context, account, topic string, limit int) ([]Message, error)
	// Tally sums a topic's counts for events in [from, to). Counts are kept
	// in one-minute buckets, so from and to are effectively truncated to the
	// minute.
	Tally(ctx context.Context, account, topic string, from, to time.Time) (Tally, error)
	// Thread returns the most recent messages of account sent (or possibly
	// sent: OutcomeSent and OutcomeUnknown) from sender to recipient, at
	// most limit of them (all when limit <= 0), oldest first: the outbound
	// side of the conversation as the recipient's phone shows it.
	Thread(ctx context.Context, account, sender, recipient string, limit int) ([]Message, error)
}

// TopicStore keeps topics.
type TopicStore interface {
	// PutTopic creates or updates a topic.
	PutTopic(ctx context.Context, t Topic) error
	// Topic returns one topic.
	Topic(ctx context.Context, account, name string) (Topic, error)
	// Topics lists an account's topics ordered by name.
	Topics(ctx context.Context, account string) ([]Topic, error)
}

// ReplyStore keeps inbound replies and the routing state they need.
type ReplyStore interface {
	// AddReply stores a reply; an empty ID is assigned.
	AddReply(ctx context.Context, r ReplyRecord) (ReplyRecord, error)
	// Replies lists an account's replies in the given state, newest first.
	Replies(ctx context.Context, account string, state ReplyState) ([]ReplyRecord, error)
	// ResolveReply marks a reply resolved.
	ResolveReply(ctx context.Context, account, id string) error
	// ClaimSender registers a reply-receiving sender number to an account.
	// Registering it again to the same account is a no-op; to another
	// account it fails with ErrSenderOwned.
	ClaimSender(ctx context.Context, number, account string) error
	// SenderAccount returns the account a sender number belongs to.
	SenderAccount(ctx context.Context, number string) (string, error)
	// StickySender returns the pool number recipient already hears from in
	// pool, or records and returns candidate when there is none.
	StickySender(ctx context.Context, account, pool, recipient, candidate string) (string, error)
}

// Store is everything a Service keeps. The in-memory store returned by
// NewMemoryStore is the default; notify/sqlstore keeps the same on SQLite or
// PostgreSQL for restarts and many instances.
type Store interface {
	NotificationStore
	OutboxStore
	HistoryStore
	TopicStore
	ReplyStore
}
