package notify

import (
	"context"
	"sort"
	"time"

	"github.com/heraldsms/herald/provider"
)

// RecentLimit is how many of a topic's most recent messages RecentMessages
// returns at most.
const RecentLimit = 1000

// TopicTally returns a topic's counts of sent, delivered, failed, denied and
// unknown messages for events in [from, to). Counts are kept per minute,
// so from and to are effectively truncated to the minute. The tally is
// permanent: it outlives the recent history.
func (s *Service) TopicTally(ctx context.Context, account, topic string, from, to time.Time) (Tally, error) {
	if topic == "" {
		topic = DefaultTopic
	}
	return s.store.Tally(ctx, account, topic, from, to)
}

// RecentMessages returns up to limit of a topic's most recent final
// messages, newest first, with their delivery state. limit <= 0 or above
// RecentLimit means RecentLimit.
func (s *Service) RecentMessages(ctx context.Context, account, topic string, limit int) ([]Message, error) {
	if topic == "" {
		topic = DefaultTopic
	}
	if limit <= 0 || limit > RecentLimit {
		limit = RecentLimit
	}
	return s.store.Recent(ctx, account, topic, limit)
}

// MessageDetail is everything known about one message.
type MessageDetail struct {
	// Message holds the body, sender, recipient, segments, every status
	// change (Statuses), the compliance decision (Outcome, Reason,
	// Detail) and the notification's metadata.
	Message Message
	// Notification is the notification the message belongs to.
	Notification NotificationRecord
	// Replies are the recipient's replies tied to this message, oldest
	// first.
	Replies []ReplyRecord
}

// MessageDetail returns one message of account with its notification and
// the replies to it. A message of another account is ErrNotFound.
func (s *Service) MessageDetail(ctx context.Context, account, id string) (MessageDetail, error) {
	m, err := s.store.Message(ctx, id)
	if err != nil {
		return MessageDetail{}, err
	}
	if m.Account != account {
		return MessageDetail{}, &notFoundError{what: "message " + id}
	}
	d := MessageDetail{Message: m}
	if d.Notification, err = s.store.Notification(ctx, m.NotificationID); err != nil {
		return MessageDetail{}, err
	}
	for _, st := range []ReplyState{ReplyOpen, ReplyResolved} {
		rs, err := s.store.Replies(ctx, account, st)
		if err != nil {
			return MessageDetail{}, err
		}
		for _, r := range rs {
			if r.MessageID == id {
				d.Replies = append(d.Replies, r)
			}
		}
	}
	sort.SliceStable(d.Replies, func(i, j int) bool { return d.Replies[i].Received.Before(d.Replies[j].Received) })
	return d, nil
}

// notFoundError wraps ErrNotFound with what was looked for.
type notFoundError struct{ what string }

func (e *notFoundError) Error() string { return e.what + ": " + ErrNotFound.Error() }
func (e *notFoundError) Unwrap() error { return ErrNotFound }

// ThreadEntry is one text of a conversation between a sender number and a
// recipient, as the recipient's phone shows it.
type ThreadEntry struct {
	At      time.Time // when we sent it, or when the reply was received
	Inbound bool      // a reply from the recipient; false for our message
	Body    string
	// For our messages:
	MessageID string
	Topic     string
	Status    provider.Status
	// For replies:
	ReplyID string
	State   ReplyState
}

// Thread returns the conversation of account between sender (one of our
// numbers) and recipient, oldest first, at most limit entries (the most
// recent ones; all when limit <= 0), in the order the recipient's phone
// shows it: our messages by the time they were sent (Message.UpdatedAt, not
// the time a receipt came back, which a carrier may delay by minutes or
// hours), and the replies between them by the time they were received.
// Messages from a pool's other numbers are in other threads, as on the
// phone.
func (s *Service) Thread(ctx context.Context, account, sender, recipient string, limit int) ([]ThreadEntry, error) {
	msgs, err := s.store.Thread(ctx, account, sender, recipient, limit)
	if err != nil {
		return nil, err
	}
	var out []ThreadEntry
	for _, m := range msgs {
		at := m.UpdatedAt // when the provider took it; receipts do not move it
		if at.IsZero() {
			at = m.CreatedAt
		}
		out = append(out, ThreadEntry{At: at, Body: m.Body, MessageID: m.ID, Topic: m.Topic, Status: m.Status})
	}
	for _, st := range []ReplyState{ReplyOpen, ReplyResolved} {
		rs, err := s.store.Replies(ctx, account, st)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if r.From == recipient && r.To == sender {
				out = append(out, ThreadEntry{At: r.Received, Inbound: true, Body: r.Body, ReplyID: r.ID, State: r.State, Topic: r.Topic})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, nil
}
