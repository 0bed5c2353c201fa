package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/heraldsms/herald/notify"
)

// maxBatch is the most MarkSending or Complete calls written together.
const maxBatch = 128

// markItem is one MarkSending call.
type markItem struct{ id, owner string }

// completeItem is one Complete call.
type completeItem struct {
	m     notify.Message
	owner string
}

func markKey(it *markItem) string         { return it.id }
func completeKey(it *completeItem) string { return it.m.ID }

// flushMarks writes a batch of MarkSending calls (PostgreSQL) with one
// statement. When it fails, each call is retried on its own, so each gets
// the answer of its own row.
func (s *Store) flushMarks(batch []*batchCall[markItem]) {
	ctx := context.Background()
	marked, err := s.markBatch(ctx, batch)
	if err == nil {
		for _, c := range batch {
			if !marked[c.item.id] {
				c.err = s.notHeld(ctx, nil, c.item.id)
			}
		}
		return
	}
	for _, c := range batch {
		c.err = s.markOne(ctx, c.item.id, c.item.owner, false)
	}
}

// markBatchPG marks held rows as with the provider, in one statement.
const markBatchPG = `UPDATE herald_messages AS m SET sending = 1, attempts = m.attempts + 1
	FROM unnest($1::text[], $2::text[]) AS v(id, owner)
	WHERE m.id = v.id AND m.claim_owner = v.owner AND m.claim_owner <> ''
	RETURNING m.id`

// markBatch marks the batch's rows with markBatchPG and returns the ids it
// marked.
func (s *Store) markBatch(ctx context.Context, batch []*batchCall[markItem]) (map[string]bool, error) {
	marked := make(map[string]bool, len(batch))
	ids, owners := make([]string, len(batch)), make([]string, len(batch))
	for i, c := range batch {
		ids[i], owners[i] = c.item.id, c.item.owner
	}
	rows, err := s.stmts[markBatchPG].QueryContext(ctx, ids, owners)
	if err != nil {
		return nil, err
	}
	return marked, collectIDs(rows, marked)
}

// runMarks writes a group commit's MarkSending ops (SQLite) through one
// statement bound to tx.
func (s *Store) runMarks(ctx context.Context, tx *sql.Tx, ops []*writeOp) error {
	st := tx.StmtContext(ctx, s.stmts[s.d.q(markSendingSQL)])
	defer st.Close()
	for _, o := range ops {
		it := o.item.(markItem)
		res, err := st.ExecContext(ctx, it.id, it.owner)
		if err != nil {
			return fmt.Errorf("sqlstore: mark message %s sending: %w", it.id, err)
		}
		if ok, err := changedOne(res); err != nil {
			return err
		} else if !ok {
			if o.res = s.notHeld(ctx, tx, it.id); !isNotHeld(o.res) {
				return o.res
			}
		}
	}
	return nil
}

// isNotHeld reports whether err says a row is missing or not the caller's.
func isNotHeld(err error) bool {
	return errors.Is(err, notify.ErrClaimLost) || errors.Is(err, notify.ErrNotFound)
}

// collectIDs adds the ids rows returns to set, and closes rows.
func collectIDs(rows *sql.Rows, set map[string]bool) error {
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		set[id] = true
	}
	return rows.Err()
}

// notHeld explains why row id is not held by the caller: it is missing,
// or its claim is no longer the caller's. It reads in tx, or, with tx nil
// (after a batch), on the pool.
func (s *Store) notHeld(ctx context.Context, tx *sql.Tx, id string) error {
	q := s.d.q(`SELECT 1 FROM herald_messages WHERE id = ?`)
	var row rowScanner
	if tx != nil {
		row = tx.QueryRowContext(ctx, q, id)
	} else {
		row = s.readRow(ctx, q, id)
	}
	var one int
	switch err := row.Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("message %s: %w", id, notify.ErrNotFound)
	case err != nil:
		return fmt.Errorf("sqlstore: message %s: %w", id, err)
	}
	return fmt.Errorf("message %s: %w", id, notify.ErrClaimLost)
}

// flushCompletes writes a batch of Complete calls (PostgreSQL) with one
// statement. When it fails, each call is retried in a transaction of its
// own; a retry that finds its row already holding the outcome it carries
// (the batch committed, but its answer was lost) succeeds.
func (s *Store) flushCompletes(batch []*batchCall[completeItem]) {
	ctx := context.Background()
	done, err := s.completeBatch(ctx, batch)
	if err == nil {
		for _, c := range batch {
			if !done[c.item.m.ID] {
				c.err = s.notHeld(ctx, nil, c.item.m.ID)
			}
		}
		return
	}
	for _, c := range batch {
		err := s.write(ctx, func(tx *sql.Tx) error { return s.complete(ctx, tx, &c.item.m, c.item.owner) })
		c.err = s.recheckComplete(ctx, &c.item.m, err)
	}
}

// recheckComplete corrects the answer err of a Complete of m retried on
// its own after its batch failed: when the retry finds the claim gone
// because the row already holds m's outcome (the batch committed, but its
// answer was lost), the Complete succeeded.
func (s *Store) recheckComplete(ctx context.Context, m *notify.Message, err error) error {
	if errors.Is(err, notify.ErrClaimLost) && s.holds(ctx, m) {
		return nil
	}
	return err
}

// holds reports whether m's row is released and carries m's outcome as
// Complete writes it: the Complete of m committed.
func (s *Store) holds(ctx context.Context, m *notify.Message) bool {
	var (
		owner, reason, providerID string
		outcome                   int
		updated                   int64
	)
	err := s.readRow(ctx, s.d.q(`SELECT claim_owner, outcome, reason, provider_id, updated_at FROM herald_messages WHERE id = ?`), m.ID).
		Scan(&owner, &outcome, &reason, &providerID, &updated)
	return err == nil && owner == "" && outcome == int(m.Outcome) && reason == m.Reason &&
		providerID == m.ProviderID && updated == nanos(m.UpdatedAt)
}

// tallyKind codes the tally column a final outcome counts in: 1 sent,
// 2 failed, 3 denied, 4 unknown, 0 none.
func tallyKind(o notify.Outcome) int64 {
	switch o {
	case notify.OutcomeSent:
		return 1
	case notify.OutcomeFailed:
		return 2
	case notify.OutcomeDenied:
		return 3
	case notify.OutcomeUnknown:
		return 4
	}
	return 0
}

// completeBatchPG completes held rows in one statement: the rows' new
// values, their history positions (nextval inline) and one tally upsert
// per bucket with the batch's summed counts, in key order so that
// instances completing at once take the bucket rows' locks in one order.
const completeBatchPG = `WITH v AS (
	SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
		$9::bigint[], $10::text[], $11::bigint[], $12::text[], $13::text[], $14::bigint[], $15::text[], $16::text[],
		$17::bigint[], $18::text[], $19::bigint[], $20::text[], $21::text[], $22::bigint[], $23::boolean[], $24::bigint[],
		$25::bigint[])
	AS u(id, owner, account, topic, given, to_num, from_num, body, segments, encoding, outcome, reason, detail, not_before,
		provider, provider_id, status, statuses, attempts, price, metadata, updated_at, final, minute, tk)
), done AS (
	UPDATE herald_messages AS m SET
		account = v.account, topic = v.topic, given = v.given, to_num = v.to_num, from_num = v.from_num, body = v.body,
		segments = v.segments, encoding = v.encoding, outcome = v.outcome, reason = v.reason, detail = v.detail,
		not_before = v.not_before, provider = v.provider, provider_id = v.provider_id, status = v.status,
		statuses = v.statuses, attempts = GREATEST(m.attempts, v.attempts), price = v.price, metadata = v.metadata,
		updated_at = v.updated_at, claim_owner = '', claim_until = 0, sending = 0,
		history_seq = CASE WHEN v.final THEN nextval('herald_history_seq') END
	FROM v WHERE m.id = v.id AND m.claim_owner = v.owner AND m.claim_owner <> ''
	RETURNING m.id, v.account, v.topic, v.minute, v.tk
), tallied AS (
	INSERT INTO herald_tallies (account, topic, minute, shard, sent, delivered, failed, denied, unknown)
	SELECT account, topic, minute, $26, COUNT(*) FILTER (WHERE tk = 1), 0, COUNT(*) FILTER (WHERE tk = 2),
		COUNT(*) FILTER (WHERE tk = 3), COUNT(*) FILTER (WHERE tk = 4)
	FROM done WHERE tk > 0 GROUP BY account, topic, minute ORDER BY account, topic, minute
	ON CONFLICT (account, topic, minute, shard) DO UPDATE SET
		sent = herald_tallies.sent + excluded.sent,
		delivered = herald_tallies.delivered + excluded.delivered,
		failed = herald_tallies.failed + excluded.failed,
		denied = herald_tallies.denied + excluded.denied,
		unknown = herald_tallies.unknown + excluded.unknown
)
SELECT id FROM done`

// completeBatch completes the batch's rows with completeBatchPG and
// returns the ids it completed.
func (s *Store) completeBatch(ctx context.Context, batch []*batchCall[completeItem]) (map[string]bool, error) {
	args, err := completeBatchArgs(batch)
	if err != nil {
		return nil, err
	}
	rows, err := s.stmts[completeBatchPG].QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	done := make(map[string]bool, len(batch))
	return done, collectIDs(rows, done)
}

// runCompletes writes a group commit's Complete ops (SQLite): one history
// counter update, the rows through one statement bound to tx, one tally
// upsert per bucket.
func (s *Store) runCompletes(ctx context.Context, tx *sql.Tx, ops []*writeOp) error {
	finals := 0
	for _, o := range ops {
		if o.item.(completeItem).m.Outcome.Final() {
			finals++
		}
	}
	seqs, err := s.d.nextSeqs(ctx, tx, s.stmts, finals)
	if err != nil {
		return err
	}
	st := tx.StmtContext(ctx, s.stmts[s.completeQ])
	defer st.Close()
	tallies := make(tallyBatch)
	for _, o := range ops {
		it := o.item.(completeItem)
		m := &it.m
		var seq any
		if m.Outcome.Final() {
			seq, seqs = seqs[0], seqs[1:]
		}
		args, err := completeArgs(m, it.owner, seq)
		if err != nil {
			return err
		}
		res, err := st.ExecContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: complete message %s: %w", m.ID, err)
		}
		if ok, err := changedOne(res); err != nil {
			return err
		} else if !ok {
			if o.res = s.notHeld(ctx, tx, m.ID); !isNotHeld(o.res) {
				return o.res
			}
		} else if m.Outcome.Final() {
			tallies.add(m, finalAt(m))
		}
	}
	return s.applyTallies(ctx, tx, tallies)
}

// completeBatchArgs returns completeBatchPG's arguments for batch: one
// array per column.
func completeBatchArgs(batch []*batchCall[completeItem]) ([]any, error) {
	n := len(batch)
	texts := make([][]string, 16)
	for i := range texts {
		texts[i] = make([]string, n)
	}
	ints := make([][]int64, 7)
	for i := range ints {
		ints[i] = make([]int64, n)
	}
	final := make([]bool, n)
	for i, c := range batch {
		m := &c.item.m
		st, md, err := encodeExtras(m)
		if err != nil {
			return nil, err
		}
		var bucket int64
		if final[i] = m.Outcome.Final(); final[i] {
			bucket = minute(finalAt(m))
		}
		for j, v := range [...]string{m.ID, c.item.owner, m.Account, m.Topic, m.Given, m.To, m.From, m.Body,
			m.Encoding, m.Reason, m.Detail, m.Provider, m.ProviderID, st, m.Price, md} {
			texts[j][i] = v
		}
		for j, v := range [...]int64{int64(m.Segments), int64(m.Outcome), nanos(m.NotBefore), int64(m.Status),
			int64(m.Attempts), nanos(m.UpdatedAt), bucket} {
			ints[j][i] = v
		}
	}
	kinds := make([]int64, n)
	for i, c := range batch {
		if final[i] {
			kinds[i] = tallyKind(c.item.m.Outcome)
		}
	}
	// In completeBatchPG's order.
	return []any{texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], texts[6], texts[7],
		ints[0], texts[8], ints[1], texts[9], texts[10], ints[2], texts[11], texts[12],
		ints[3], texts[13], ints[4], texts[14], texts[15], ints[5], final, ints[6], kinds,
		rand.IntN(tallyShards)}, nil
}
