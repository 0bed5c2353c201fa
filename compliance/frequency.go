package compliance

import (
	"context"
	"time"
)

// Cap limits how many messages one recipient gets in a rolling window.
type Cap struct {
	// Name identifies the cap in Reasons ("cap.marketing-daily").
	Name string
	// Limit is the most messages allowed inside Window; 0 disables the cap.
	Limit int
	// Window is the rolling window length.
	Window time.Duration
	// PerTopic counts only messages of the same topic (Florida's "same
	// subject") instead of every message.
	PerTopic bool
	// Kinds restricts the cap to these kinds, counting only sends of those
	// kinds; 0 means AllKinds.
	Kinds KindSet
}

// SendRecord is one message that was sent, as a FrequencyStore keeps it.
type SendRecord struct {
	// To is the recipient in E.164.
	To string
	// Topic is the message topic; "" is the default topic.
	Topic string
	// Kind is the message kind.
	Kind Kind
	// BodyHash identifies the body for the duplicate guard (BodyHash).
	BodyHash uint64
	// At is when it was sent.
	At time.Time
}

// SendQuery selects sends to one recipient since a time.
type SendQuery struct {
	// To is the recipient in E.164.
	To string
	// Since: only sends with At > Since count.
	Since time.Time
	// Topic, when MatchTopic is set, counts only sends of that topic.
	Topic      string
	MatchTopic bool
	// Kinds counts only sends of these kinds; 0 means every kind.
	Kinds KindSet
	// BodyHash, when MatchBody is set, counts only sends of that body.
	BodyHash  uint64
	MatchBody bool
}

// SendTally is the answer to a SendQuery.
type SendTally struct {
	// Count is how many sends matched.
	Count int
	// Oldest is the earliest At among them (zero when Count is 0).
	Oldest time.Time
}

// FrequencyStore remembers what was sent, for frequency caps and the
// duplicate guard. Implementations must be safe for concurrent use and
// honour ctx.
type FrequencyStore interface {
	// RecordSend remembers one send.
	RecordSend(ctx context.Context, s SendRecord) error
	// CountSends counts the remembered sends matching q.
	CountSends(ctx context.Context, q SendQuery) (SendTally, error)
}

// BodyHash is the stable 64-bit FNV-1a hash of a body that the duplicate
// guard compares; durable stores can persist it.
func BodyHash(body string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(body); i++ {
		h ^= uint64(body[i])
		h *= prime
	}
	return h
}
