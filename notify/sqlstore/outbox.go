package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heraldsms/herald/notify"
)

// Enqueue implements notify.OutboxStore: the rows go in with multi-row
// INSERT statements inside one transaction. Rows that already carry a
// final outcome enter the history and the tallies in the same transaction.
func (s *Store) Enqueue(ctx context.Context, msgs []notify.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		checked := make(map[string]bool)
		finals := 0
		for i := range msgs {
			if nid := msgs[i].NotificationID; !checked[nid] {
				if err := s.exists(ctx, tx, nid); err != nil {
					return err
				}
				checked[nid] = true
			}
			if msgs[i].Outcome.Final() {
				finals++
			}
		}
		seqs, err := s.d.nextSeqs(ctx, tx, s.stmts, finals)
		if err != nil {
			return err
		}
		tallies := make(tallyBatch)
		var full *sql.Stmt
		defer func() {
			if full != nil {
				full.Close()
			}
		}()
		per := s.cfg.batchRows
		args := make([]any, 0, per*messageColumns)
		for start := 0; start < len(msgs); start += per {
			chunk := msgs[start:min(start+per, len(msgs))]
			args = args[:0]
			for i := range chunk {
				m := chunk[i]
				if m.ID == "" {
					m.ID = m.NotificationID + "/" + strconv.Itoa(m.Index)
				}
				a, err := messageArgs(&m)
				if err != nil {
					return err
				}
				var seq any
				if m.Outcome.Final() {
					seq, seqs = seqs[0], seqs[1:]
					tallies.add(&m, finalAt(&m))
				}
				args = append(append(args, a...), seq)
			}
			stmt := full
			if len(chunk) < per || full == nil {
				p, err := tx.PrepareContext(ctx, s.insertMessages(len(chunk)))
				if err != nil {
					return fmt.Errorf("sqlstore: enqueue: %w", err)
				}
				if len(chunk) == per {
					full = p
				} else {
					defer p.Close()
				}
				stmt = p
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("sqlstore: enqueue %d rows of notification %s from index %d: %w", len(chunk), chunk[0].NotificationID, chunk[0].Index, err)
			}
		}
		return s.applyTallies(ctx, tx, tallies)
	})
}

// insertMessages is a multi-row INSERT of n outbox rows.
func (s *Store) insertMessages(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO herald_messages (" + messageCols + ", history_seq) VALUES ")
	row := "(" + strings.Repeat("?, ", messageColumns-1) + "?)"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return s.d.q(b.String())
}

// finalAt is when a message's final outcome counts in the tallies.
func finalAt(m *notify.Message) time.Time {
	if m.UpdatedAt.IsZero() {
		return m.CreatedAt
	}
	return m.UpdatedAt
}

// Claim implements notify.OutboxStore. On PostgreSQL concurrent claimers
// skip each other's locked rows, so a row goes to exactly one owner.
func (s *Store) Claim(ctx context.Context, notificationID, owner string, limit int, now, until time.Time) ([]notify.Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	var out []notify.Message
	err := s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.d.q(`UPDATE herald_messages SET claim_owner = ?, claim_until = ?, sending = 0
			WHERE id IN (SELECT id FROM herald_messages
				WHERE notification_id = ? AND outcome IN (0, 2) AND claim_owner = ''
				AND (outcome = 0 OR not_before <= ?)
				ORDER BY idx LIMIT ?`+s.d.skipLocked+`)
			RETURNING `+messageCols),
			owner, nanos(until), notificationID, nanos(now), limit)
		if err != nil {
			return fmt.Errorf("sqlstore: claim from notification %s: %w", notificationID, err)
		}
		if out, err = scanMessages(rows); err != nil {
			return fmt.Errorf("sqlstore: claim from notification %s: %w", notificationID, err)
		}
		if len(out) == 0 {
			return s.exists(ctx, tx, notificationID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b notify.Message) int { return a.Index - b.Index })
	return out, nil
}

// lostOrMissing explains why a row id is not held by owner.
func (s *Store) lostOrMissing(ctx context.Context, tx *sql.Tx, id string) error {
	var one int
	err := tx.QueryRowContext(ctx, s.d.q(`SELECT 1 FROM herald_messages WHERE id = ?`), id).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("message %s: %w", id, notify.ErrNotFound)
	case err != nil:
		return fmt.Errorf("sqlstore: message %s: %w", id, err)
	}
	return fmt.Errorf("message %s: %w", id, notify.ErrClaimLost)
}

// changedOne reports whether res changed a row.
func changedOne(res sql.Result) (bool, error) {
	n, err := res.RowsAffected()
	return n > 0, err
}

// markSendingSQL marks a held row as with the provider; prepared at Open.
const markSendingSQL = `UPDATE herald_messages SET sending = 1, attempts = attempts + 1
	WHERE id = ? AND claim_owner = ? AND claim_owner <> ''`

// MarkSending implements notify.OutboxStore. When it fails for any reason
// but a lost claim or a missing row (a broken connection, an exhausted
// pool, a canceled context), the caller does not call the provider, so
// the row must not stay marked: a commit whose answer was lost may have
// marked it, and Recover would then record as unknown a message never
// sent. MarkSending then clears the mark, on a fresh context bounded by
// unmarkWait, before returning its error.
func (s *Store) MarkSending(ctx context.Context, id, owner string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, s.d.q(markSendingSQL), id, owner)
		if err != nil {
			return fmt.Errorf("sqlstore: mark message %s sending: %w", id, err)
		}
		if ok, err := changedOne(res); err != nil || ok {
			return err
		}
		return s.lostOrMissing(ctx, tx, id)
	})
	if err == nil || errors.Is(err, notify.ErrClaimLost) || errors.Is(err, notify.ErrNotFound) {
		return err
	}
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), unmarkWait)
	defer cancel()
	if uerr := s.write(uctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(uctx, s.d.q(`UPDATE herald_messages SET sending = 0 WHERE id = ? AND claim_owner = ? AND claim_owner <> ''`), id, owner)
		return err
	}); uerr != nil {
		return fmt.Errorf("%w (and clearing the mark failed: the row may be recovered as unknown: %v)", err, uerr)
	}
	return err
}

// unmarkWait bounds how long a failed MarkSending tries to clear its mark.
const unmarkWait = 5 * time.Second

// Complete implements notify.OutboxStore: the outcome, the released claim,
// the history position and the tallies change in one transaction.
func (s *Store) Complete(ctx context.Context, m notify.Message, owner string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return s.complete(ctx, tx, &m, owner)
	})
}

// completeSQL records a held row's outcome and releases it; prepared at
// Open.
func completeSQL(d dialect) string {
	greatest := "MAX"
	if d.kind == Postgres {
		greatest = "GREATEST"
	}
	return d.q(`UPDATE herald_messages SET
		account = ?, topic = ?, given = ?, to_num = ?, from_num = ?, body = ?, segments = ?, encoding = ?,
		outcome = ?, reason = ?, detail = ?, not_before = ?, provider = ?, provider_id = ?, status = ?, statuses = ?,
		attempts = ` + greatest + `(attempts, ?), price = ?, metadata = ?, updated_at = ?,
		claim_owner = '', claim_until = 0, sending = 0, history_seq = ?
		WHERE id = ? AND claim_owner = ? AND claim_owner <> ''`)
}

func (s *Store) complete(ctx context.Context, tx *sql.Tx, m *notify.Message, owner string) error {
	var seq any
	if m.Outcome.Final() {
		seqs, err := s.d.nextSeqs(ctx, tx, s.stmts, 1)
		if err != nil {
			return err
		}
		seq = seqs[0]
	}
	st, err := encodeStatuses(m.Statuses)
	if err != nil {
		return fmt.Errorf("sqlstore: message %s statuses: %w", m.ID, err)
	}
	md, err := encodeMap(m.Metadata)
	if err != nil {
		return fmt.Errorf("sqlstore: message %s metadata: %w", m.ID, err)
	}
	res, err := s.exec(ctx, tx, s.completeQ,
		m.Account, m.Topic, m.Given, m.To, m.From, m.Body, m.Segments, m.Encoding,
		int(m.Outcome), m.Reason, m.Detail, nanos(m.NotBefore), m.Provider, m.ProviderID, int(m.Status), st,
		m.Attempts, m.Price, md, nanos(m.UpdatedAt), seq, m.ID, owner)
	if err != nil {
		return fmt.Errorf("sqlstore: complete message %s: %w", m.ID, err)
	}
	if ok, err := changedOne(res); err != nil {
		return err
	} else if !ok {
		return s.lostOrMissing(ctx, tx, m.ID)
	}
	if m.Outcome.Final() {
		t := make(tallyBatch)
		t.add(m, finalAt(m))
		return s.applyTallies(ctx, tx, t)
	}
	return nil
}

// interruptedDetail explains a row recovered as unknown.
const interruptedDetail = "the service stopped while this message was with the provider; it may have been sent and is not resent"

// Recover implements notify.OutboxStore. Several instances may recover at
// once; each expired row is handled by exactly one of them.
func (s *Store) Recover(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, s.d.q(`SELECT `+messageCols+` FROM herald_messages
			WHERE claim_owner <> '' AND claim_until <= ?`+s.d.skipLocked), nanos(now))
		if err != nil {
			return fmt.Errorf("sqlstore: recover: %w", err)
		}
		expired, err := scanClaimedRows(rows)
		if err != nil {
			return fmt.Errorf("sqlstore: recover: %w", err)
		}
		var unknown int
		for i := range expired {
			if expired[i].sending {
				unknown++
			}
		}
		seqs, err := s.d.nextSeqs(ctx, tx, s.stmts, unknown)
		if err != nil {
			return err
		}
		tallies := make(tallyBatch)
		for i := range expired {
			m, owner := &expired[i].Message, expired[i].owner
			var res sql.Result
			if expired[i].sending {
				res, err = tx.ExecContext(ctx, s.d.q(`UPDATE herald_messages SET outcome = ?, reason = 'interrupted', detail = ?,
					updated_at = ?, claim_owner = '', claim_until = 0, sending = 0, history_seq = ?
					WHERE id = ? AND claim_owner = ?`),
					int(notify.OutcomeUnknown), interruptedDetail, nanos(now), seqs[0], m.ID, owner)
				seqs = seqs[1:]
				m.Outcome = notify.OutcomeUnknown
				tallies.add(m, now)
			} else {
				res, err = tx.ExecContext(ctx, s.d.q(`UPDATE herald_messages SET claim_owner = '', claim_until = 0
					WHERE id = ? AND claim_owner = ?`), m.ID, owner)
			}
			if err != nil {
				return fmt.Errorf("sqlstore: recover message %s: %w", m.ID, err)
			}
			if ok, err := changedOne(res); err != nil {
				return err
			} else if ok {
				n++
			}
		}
		return s.applyTallies(ctx, tx, tallies)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Messages implements notify.OutboxStore.
func (s *Store) Messages(ctx context.Context, notificationID string, from, limit int) ([]notify.Message, error) {
	if limit <= 0 {
		return nil, s.exists(ctx, s.db, notificationID)
	}
	rows, err := s.read(ctx, s.d.q(`SELECT `+messageCols+` FROM herald_messages
		WHERE notification_id = ? AND idx >= ? ORDER BY idx LIMIT ?`), notificationID, from, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: messages of notification %s: %w", notificationID, err)
	}
	out, err := scanMessages(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: messages of notification %s: %w", notificationID, err)
	}
	if len(out) == 0 {
		return nil, s.exists(ctx, s.db, notificationID)
	}
	return out, nil
}

// Counts implements notify.OutboxStore.
func (s *Store) Counts(ctx context.Context, notificationID string) (map[notify.Outcome]int, error) {
	rows, err := s.read(ctx, s.d.q(`SELECT outcome, COUNT(*) FROM herald_messages WHERE notification_id = ? GROUP BY outcome`), notificationID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: counts of notification %s: %w", notificationID, err)
	}
	defer rows.Close()
	out := make(map[notify.Outcome]int)
	for rows.Next() {
		var o, n int
		if err := rows.Scan(&o, &n); err != nil {
			return nil, err
		}
		out[notify.Outcome(o)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		if err := s.exists(ctx, s.db, notificationID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
