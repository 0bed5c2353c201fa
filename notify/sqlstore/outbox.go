package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/heraldsms/herald/notify"
)

// finalAt is when a message's final outcome counts in the tallies.
func finalAt(m *notify.Message) time.Time {
	if m.UpdatedAt.IsZero() {
		return m.CreatedAt
	}
	return m.UpdatedAt
}

// claimSQL leases rows to an owner. On PostgreSQL concurrent claimers
// skip each other's locked rows; the rows taken are then found again by
// their physical position (ctid), which the lock keeps theirs (a row a
// commit changed after the statement began is locked but not claimed);
// and the claim's lease row (see schemaV8) is written by the same
// statement.
func claimSQL(d dialect) string {
	pick := `SELECT %s FROM herald_messages
			WHERE notification_id = ? AND outcome IN (0, 2) AND claim_owner = ''
			AND (outcome = 0 OR not_before <= ?)
			ORDER BY idx LIMIT ?` + d.skipLocked
	set := `UPDATE herald_messages SET claim_owner = ?, claim_until = ?, sending = 0 WHERE `
	if d.kind != Postgres {
		return set + `id IN (` + fmt.Sprintf(pick, "id") + `) RETURNING ` + messageCols
	}
	return `WITH claimed AS (` + d.q(set+`ctid = ANY(ARRAY(`+fmt.Sprintf(pick, "ctid")+`)) RETURNING `+messageCols) + `), leased AS (
		INSERT INTO herald_leases (notification_id, until_ns, lo, hi)
		SELECT $3, $2, MIN(idx), MAX(idx) FROM claimed HAVING COUNT(*) > 0
	)
	SELECT ` + messageCols + ` FROM claimed`
}

// leaseSQL records a claim's lease on SQLite (PostgreSQL's claimSQL
// writes it itself).
const leaseSQL = `INSERT INTO herald_leases (notification_id, until_ns, lo, hi) VALUES (?, ?, ?, ?)`

// claimPlanPG keeps PostgreSQL's claim on an ordered scan of the queue
// index (herald_messages_open), which stops after the rows it takes. The
// index holds every pending or deferred row, claimed or not, and the
// planner, misled by statistics gathered while the outbox filled, may
// otherwise read and sort all of a notification's open rows for each claim
// (a cost that grows with the notification: 50 ms a claim at 40,000 rows).
const claimPlanPG = `SET LOCAL enable_sort = off`

// Claim implements notify.OutboxStore. On PostgreSQL concurrent claimers
// skip each other's locked rows, so a row goes to exactly one owner. The
// claimed rows and their lease row (which Recover finds them by) are
// written in one transaction.
func (s *Store) Claim(ctx context.Context, notificationID, owner string, limit int, now, until time.Time) ([]notify.Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	var out []notify.Message
	err := s.write(ctx, func(tx *sql.Tx) error {
		if s.d.kind == Postgres {
			if _, err := tx.ExecContext(ctx, claimPlanPG); err != nil {
				return fmt.Errorf("sqlstore: claim from notification %s: %w", notificationID, err)
			}
		}
		st := tx.StmtContext(ctx, s.stmts[s.claimQ])
		defer st.Close()
		rows, err := st.QueryContext(ctx, owner, nanos(until), notificationID, nanos(now), limit)
		if err != nil {
			return fmt.Errorf("sqlstore: claim from notification %s: %w", notificationID, err)
		}
		if out, err = scanMessages(rows); err != nil {
			return fmt.Errorf("sqlstore: claim from notification %s: %w", notificationID, err)
		}
		if len(out) == 0 {
			return s.exists(ctx, tx, notificationID)
		}
		if s.d.kind == Postgres {
			return nil // claimSQL wrote the lease
		}
		lo, hi := indexRange(out)
		if _, err := s.exec(ctx, tx, leaseSQL, notificationID, nanos(until), lo, hi); err != nil {
			return fmt.Errorf("sqlstore: lease of a claim from notification %s: %w", notificationID, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b notify.Message) int { return a.Index - b.Index })
	return out, nil
}

// indexRange returns the lowest and highest Index of msgs (not empty).
func indexRange(msgs []notify.Message) (lo, hi int) {
	lo, hi = msgs[0].Index, msgs[0].Index
	for i := range msgs[1:] {
		lo, hi = min(lo, msgs[i+1].Index), max(hi, msgs[i+1].Index)
	}
	return lo, hi
}

// changedOne reports whether res changed a row.
func changedOne(res sql.Result) (bool, error) {
	n, err := res.RowsAffected()
	return n > 0, err
}

// markSendingSQL marks a held row as with the provider; prepared at Open.
const markSendingSQL = `UPDATE herald_messages SET sending = 1, attempts = attempts + 1
	WHERE id = ? AND claim_owner = ? AND claim_owner <> ''`

// MarkSending implements notify.OutboxStore. Concurrent calls are written
// together (see the package doc, Batching); each returns once its own
// row's mark is committed, or with its own row's error.
func (s *Store) MarkSending(ctx context.Context, id, owner string) error {
	if s.wsem != nil {
		return s.markOne(ctx, id, owner, true)
	}
	return s.marks.do(ctx, markItem{id, owner})
}

// markOne marks one row: on its own, or, when grouped (SQLite), with the
// group commit's other marks. When it fails for any reason but a
// lost claim or a missing row (a broken connection, an exhausted pool, a
// canceled context), the caller does not call the provider, so the row
// must not stay marked: a commit whose answer was lost may have marked it,
// and Recover would then record as unknown a message never sent. markOne
// then clears the mark, on a fresh context bounded by unmarkWait, before
// returning its error.
func (s *Store) markOne(ctx context.Context, id, owner string, grouped bool) error {
	fn := func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, s.d.q(markSendingSQL), id, owner)
		if err != nil {
			return fmt.Errorf("sqlstore: mark message %s sending: %w", id, err)
		}
		if ok, err := changedOne(res); err != nil || ok {
			return err
		}
		return s.notHeld(ctx, tx, id)
	}
	var err error
	if grouped {
		err = s.writeOp(ctx, &writeOp{fn: fn, kind: &s.markKind, item: markItem{id, owner}})
	} else {
		err = s.write(ctx, fn)
	}
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
// Concurrent calls are written together (see the package doc, Batching);
// each returns once its own row's change is committed, or with its own
// row's error.
func (s *Store) Complete(ctx context.Context, m notify.Message, owner string) error {
	if s.wsem != nil {
		it := completeItem{m, owner}
		return s.writeOp(ctx, &writeOp{
			fn:      func(tx *sql.Tx) error { return s.complete(ctx, tx, &it.m, owner) },
			kind:    &s.completeKind,
			item:    it,
			recheck: func(err error) error { return s.recheckComplete(context.Background(), &it.m, err) },
		})
	}
	return s.completes.do(ctx, completeItem{m, owner})
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

// completeArgs returns completeSQL's arguments for m, held by owner, at
// history position seq (nil for an outcome that is not final).
func completeArgs(m *notify.Message, owner string, seq any) ([]any, error) {
	st, md, err := encodeExtras(m)
	if err != nil {
		return nil, err
	}
	return []any{m.Account, m.Topic, m.Given, m.To, m.From, m.Body, m.Segments, m.Encoding,
		int(m.Outcome), m.Reason, m.Detail, nanos(m.NotBefore), m.Provider, m.ProviderID, int(m.Status), st,
		m.Attempts, m.Price, md, nanos(m.UpdatedAt), seq, m.ID, owner}, nil
}

// complete writes one Complete inside tx.
func (s *Store) complete(ctx context.Context, tx *sql.Tx, m *notify.Message, owner string) error {
	var seq any
	if m.Outcome.Final() {
		seqs, err := s.d.nextSeqs(ctx, tx, s.stmts, 1)
		if err != nil {
			return err
		}
		seq = seqs[0]
	}
	args, err := completeArgs(m, owner, seq)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, tx, s.completeQ, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: complete message %s: %w", m.ID, err)
	}
	if ok, err := changedOne(res); err != nil {
		return err
	} else if !ok {
		return s.notHeld(ctx, tx, m.ID)
	}
	if m.Outcome.Final() {
		t := make(tallyBatch)
		t.add(m, finalAt(m))
		return s.applyTallies(ctx, tx, t)
	}
	return nil
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
