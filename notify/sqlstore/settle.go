package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

// SettleUnknown implements notify.HistoryStore. The row is locked (on
// PostgreSQL) or the write serialised (on SQLite) while it changes, and the
// UPDATE is conditional on the outcome still being unknown, so of two
// settlements at once exactly one succeeds and the tallies move once.
func (s *Store) SettleUnknown(ctx context.Context, id string, change notify.StatusChange) (notify.Message, error) {
	var m notify.Message
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		m, err = scanMessage(tx.QueryRowContext(ctx, s.d.q(`SELECT `+messageCols+` FROM herald_messages WHERE id = ?`+s.d.forUpdate), id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("message %s: %w", id, notify.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: message %s: %w", id, err)
		}
		if m.Outcome != notify.OutcomeUnknown {
			return fmt.Errorf("message %s is %s: %w", id, m.Outcome, notify.ErrNotUnknown)
		}
		stored, unknownAt := m, finalAt(&m)
		m.Outcome = notify.OutcomeSent
		m.Status = m.Status.Advance(provider.StatusDelivered)
		m.Statuses = append(m.Statuses, change)
		st, err := encodeStatuses(m.Statuses)
		if err != nil {
			return fmt.Errorf("sqlstore: message %s statuses: %w", id, err)
		}
		res, err := tx.ExecContext(ctx, s.d.q(`UPDATE herald_messages SET outcome = ?, status = ?, statuses = ? WHERE id = ? AND outcome = ?`),
			int(m.Outcome), int(m.Status), st, id, int(notify.OutcomeUnknown))
		if err != nil {
			return fmt.Errorf("sqlstore: settle message %s: %w", id, err)
		}
		if ok, err := changedOne(res); err != nil {
			return err
		} else if !ok {
			m = stored
			return fmt.Errorf("message %s: %w", id, notify.ErrNotUnknown)
		}
		b := make(tallyBatch, 2)
		b.put(tallyKey{m.Account, m.Topic, minute(unknownAt)}, notify.Tally{Sent: 1, Unknown: -1})
		b.put(tallyKey{m.Account, m.Topic, minute(change.At)}, notify.Tally{Delivered: 1})
		return s.applyTallies(ctx, tx, b)
	})
	if errors.Is(err, notify.ErrNotUnknown) {
		return m, err // m is the row as stored
	}
	if err != nil {
		return notify.Message{}, err
	}
	return m, nil
}

// put adds t to the bucket k.
func (b tallyBatch) put(k tallyKey, t notify.Tally) { b[k] = b[k].Add(t) }
