package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

// recentDefault is how many messages Recent returns when limit <= 0.
const recentDefault = 1000

// tallyKey is one bucket row of herald_tallies.
type tallyKey struct {
	account, topic string
	minute         int64
}

// tallyBatch collects the bucket increments of one transaction.
type tallyBatch map[tallyKey]notify.Tally

// add counts m's final outcome at time at.
func (b tallyBatch) add(m *notify.Message, at time.Time) {
	var t notify.Tally
	switch m.Outcome {
	case notify.OutcomeSent:
		t.Sent = 1
	case notify.OutcomeFailed:
		t.Failed = 1
	case notify.OutcomeDenied:
		t.Denied = 1
	case notify.OutcomeUnknown:
		t.Unknown = 1
	default:
		return // invalid, duplicate, canceled: history only
	}
	k := tallyKey{m.Account, m.Topic, minute(at)}
	b[k] = b[k].Add(t)
}

// tallyShards spreads one minute's counts over several rows on
// PostgreSQL, so instances completing messages at once do not queue on one
// row lock: each transaction (a batch of Completes) adds to one shard,
// picked at random. Tally sums the shards.
const tallyShards = 16

// tallySQL adds to one bucket row; prepared at Open.
const tallySQL = `INSERT INTO herald_tallies (account, topic, minute, shard, sent, delivered, failed, denied, unknown)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (account, topic, minute, shard) DO UPDATE SET
		sent = herald_tallies.sent + excluded.sent,
		delivered = herald_tallies.delivered + excluded.delivered,
		failed = herald_tallies.failed + excluded.failed,
		denied = herald_tallies.denied + excluded.denied,
		unknown = herald_tallies.unknown + excluded.unknown`

// applyTallies adds the batch to the bucket rows inside tx.
func (s *Store) applyTallies(ctx context.Context, tx *sql.Tx, b tallyBatch) error {
	shard := 0
	if s.d.kind == Postgres {
		shard = rand.IntN(tallyShards)
	}
	for k, t := range b {
		_, err := s.exec(ctx, tx, s.d.q(tallySQL),
			k.account, k.topic, k.minute, shard, t.Sent, t.Delivered, t.Failed, t.Denied, t.Unknown)
		if err != nil {
			return fmt.Errorf("sqlstore: tally %s/%s: %w", k.account, k.topic, err)
		}
	}
	return nil
}

// Message implements notify.HistoryStore.
func (s *Store) Message(ctx context.Context, id string) (notify.Message, error) {
	m, err := scanMessage(s.readRow(ctx, s.d.q(`SELECT `+messageCols+` FROM herald_messages WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return notify.Message{}, fmt.Errorf("message %s: %w", id, notify.ErrNotFound)
	}
	if err != nil {
		return notify.Message{}, fmt.Errorf("sqlstore: message %s: %w", id, err)
	}
	return m, nil
}

// byProviderQuery selects the accepted message with a provider id.
const byProviderQuery = `SELECT ` + messageCols + ` FROM herald_messages WHERE provider = ? AND provider_id = ? AND provider_id <> '' AND outcome = 1`

// ApplyStatus implements notify.HistoryStore. The row is locked while the
// update is applied, so concurrent receipts for one message (on several
// instances) are applied one after the other and counted once.
func (s *Store) ApplyStatus(ctx context.Context, u provider.StatusUpdate) (notify.Message, bool, error) {
	var (
		m       notify.Message
		changed bool
	)
	err := s.write(ctx, func(tx *sql.Tx) error {
		changed = false
		var err error
		m, err = scanMessage(tx.QueryRowContext(ctx, s.d.q(byProviderQuery+s.d.forUpdate), u.Provider, u.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("provider message %s %s: %w", u.Provider, u.ID, notify.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: provider message %s %s: %w", u.Provider, u.ID, err)
		}
		for _, c := range m.Statuses {
			if c.Status == u.Status && c.Code == u.Code {
				return nil // a duplicate receipt
			}
		}
		m.Statuses = append(m.Statuses, notify.StatusChange{Status: u.Status, Code: u.Code, At: u.At})
		next := m.Status.Advance(u.Status)
		if changed = next != m.Status; changed {
			m.Status = next
		}
		st, err := encodeStatuses(m.Statuses)
		if err != nil {
			return fmt.Errorf("sqlstore: message %s statuses: %w", m.ID, err)
		}
		if _, err := tx.ExecContext(ctx, s.d.q(`UPDATE herald_messages SET status = ?, statuses = ? WHERE id = ?`),
			int(m.Status), st, m.ID); err != nil {
			return fmt.Errorf("sqlstore: apply status to message %s: %w", m.ID, err)
		}
		if !changed {
			return nil
		}
		var t notify.Tally
		switch next {
		case provider.StatusDelivered:
			t.Delivered = 1
		case provider.StatusUndelivered, provider.StatusFailed:
			t.Failed = 1
		default:
			return nil
		}
		at := u.At
		if at.IsZero() {
			at = m.UpdatedAt
		}
		return s.applyTallies(ctx, tx, tallyBatch{{m.Account, m.Topic, minute(at)}: t})
	})
	if err != nil {
		return notify.Message{}, false, err
	}
	return m, changed, nil
}

// Recent implements notify.HistoryStore. Every final message is kept, so
// any limit is honoured; limit <= 0 means the last 1000.
func (s *Store) Recent(ctx context.Context, account, topic string, limit int) ([]notify.Message, error) {
	if limit <= 0 {
		limit = recentDefault
	}
	rows, err := s.read(ctx, s.d.q(`SELECT `+messageCols+` FROM herald_messages
		WHERE account = ? AND topic = ? AND history_seq IS NOT NULL ORDER BY history_seq DESC LIMIT ?`), account, topic, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: recent messages of %s/%s: %w", account, topic, err)
	}
	return scanMessages(rows)
}

// Tally implements notify.HistoryStore: it sums the bucket rows in range.
func (s *Store) Tally(ctx context.Context, account, topic string, from, to time.Time) (notify.Tally, error) {
	var t notify.Tally
	err := s.readRow(ctx, s.d.q(`SELECT COALESCE(SUM(sent), 0), COALESCE(SUM(delivered), 0), COALESCE(SUM(failed), 0),
		COALESCE(SUM(denied), 0), COALESCE(SUM(unknown), 0) FROM herald_tallies
		WHERE account = ? AND topic = ? AND minute >= ? AND minute < ?`), account, topic, minute(from), minute(to)).
		Scan(&t.Sent, &t.Delivered, &t.Failed, &t.Denied, &t.Unknown)
	if err != nil {
		return notify.Tally{}, fmt.Errorf("sqlstore: tally of %s/%s: %w", account, topic, err)
	}
	return t, nil
}

// Thread returns the most recent messages of account sent (or possibly
// sent) from sender to recipient, at most limit of them (all when limit <=
// 0), oldest first.
func (s *Store) Thread(ctx context.Context, account, sender, recipient string, limit int) ([]notify.Message, error) {
	q := `SELECT ` + messageCols + ` FROM herald_messages
		WHERE from_num = ? AND to_num = ? AND account = ? AND history_seq IS NOT NULL AND outcome IN (1, 7)
		ORDER BY history_seq DESC`
	args := []any{sender, recipient, account}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.read(ctx, s.d.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: thread from %s to %s: %w", provider.MaskNumber(sender), provider.MaskNumber(recipient), err)
	}
	out, err := scanMessages(rows)
	if err != nil {
		return nil, err
	}
	slices.Reverse(out)
	if out == nil {
		out = []notify.Message{}
	}
	return out, nil
}
