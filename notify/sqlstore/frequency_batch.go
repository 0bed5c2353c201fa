package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/heraldsms/herald/compliance"
)

// sendItem is one RecordSend call: the send, whether this call sweeps
// expired sends, and the time before which they expired.
type sendItem struct {
	r     compliance.SendRecord
	sweep bool
	cut   int64
}

// insertSendsPG records a batch of sends in one statement.
const insertSendsPG = `INSERT INTO herald_sends (number, topic, kind, body_hash, at_ns)
	SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])`

// flushSends writes a batch of RecordSend calls (PostgreSQL) with one
// statement, in one transaction with a sweep when a call sweeps. When the
// batch fails, each call is retried on its own.
func (s *Store) flushSends(batch []*batchCall[sendItem]) {
	ctx := context.Background()
	if err := s.writeSends(ctx, batch); err == nil {
		return
	}
	for _, c := range batch {
		c.err = s.writeTx(ctx, func(tx *sql.Tx) error {
			return s.runSends(ctx, tx, []*writeOp{{item: c.item}})
		})
	}
}

// writeSends writes batch with insertSendsPG.
func (s *Store) writeSends(ctx context.Context, batch []*batchCall[sendItem]) error {
	n := len(batch)
	numbers, topics := make([]string, n), make([]string, n)
	kinds, hashes, ats := make([]int64, n), make([]int64, n), make([]int64, n)
	sweep, cut := false, int64(0)
	for i, c := range batch {
		r := &c.item.r
		numbers[i], topics[i], kinds[i], hashes[i], ats[i] = r.To, r.Topic, int64(r.Kind), int64(r.BodyHash), sendNanos(r.At)
		if c.item.sweep {
			sweep, cut = true, max(cut, c.item.cut)
		}
	}
	if !sweep {
		_, err := s.stmts[insertSendsPG].ExecContext(ctx, numbers, topics, kinds, hashes, ats)
		return err
	}
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, insertSendsPG, numbers, topics, kinds, hashes, ats); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, sweepSendsSQL(s.d), cut, sweepBatch)
		return err
	})
}

// runSends writes sends inside tx through one statement bound to it, and
// sweeps once, up to the latest cut, when one of them sweeps.
func (s *Store) runSends(ctx context.Context, tx *sql.Tx, ops []*writeOp) error {
	st := tx.StmtContext(ctx, s.stmts[s.d.q(insertSendSQL)])
	defer st.Close()
	sweep, cut := false, int64(0)
	for _, o := range ops {
		it := o.item.(sendItem)
		r := &it.r
		if _, err := st.ExecContext(ctx, r.To, r.Topic, int(r.Kind), int64(r.BodyHash), sendNanos(r.At)); err != nil {
			return fmt.Errorf("sqlstore: record send to %s: %w", compliance.MaskNumber(r.To), err)
		}
		if it.sweep {
			sweep, cut = true, max(cut, it.cut)
		}
	}
	if !sweep {
		return nil
	}
	if _, err := s.exec(ctx, tx, sweepSendsSQL(s.d), cut, sweepBatch); err != nil {
		return fmt.Errorf("sqlstore: sweeping sends: %w", err)
	}
	return nil
}

// countItem is one CountSends call and its answer.
type countItem struct {
	q   compliance.SendQuery
	out compliance.SendTally
}

// countShape is the text of the conditions a SendQuery adds to number and
// time: queries of one shape are counted with one statement.
func countShape(q *compliance.SendQuery) string {
	var b strings.Builder
	if q.MatchTopic {
		b.WriteString(` AND topic = v.topic`)
	}
	if q.Kinds != 0 {
		writeKinds(&b, q.Kinds)
	}
	if q.MatchBody {
		b.WriteString(` AND body_hash = v.body_hash`)
	}
	return b.String()
}

// flushCounts answers a batch of CountSends calls (PostgreSQL) with one
// statement per query shape. Every statement starts after each of its
// calls did, so each answer is as fresh as a query of its own.
func (s *Store) flushCounts(batch []*batchCall[*countItem]) {
	ctx := context.Background()
	shapes := make(map[string][]*batchCall[*countItem])
	var order []string
	for _, c := range batch {
		k := countShape(&c.item.q)
		if _, ok := shapes[k]; !ok {
			order = append(order, k)
		}
		shapes[k] = append(shapes[k], c)
	}
	for _, k := range order {
		calls := shapes[k]
		if err := s.countBatch(ctx, k, calls); err != nil {
			for _, c := range calls {
				c.item.out, c.err = s.countOne(ctx, c.item.q)
			}
		}
	}
}

// countBatch counts the sends of calls, all of one shape, with one
// statement.
func (s *Store) countBatch(ctx context.Context, shape string, calls []*batchCall[*countItem]) error {
	n := len(calls)
	numbers, topics := make([]string, n), make([]string, n)
	since, hashes := make([]int64, n), make([]int64, n)
	for i, c := range calls {
		q := &c.item.q
		numbers[i], topics[i], since[i], hashes[i] = q.To, q.Topic, sendNanos(q.Since), int64(q.BodyHash)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT v.i, c.n, c.oldest
		FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS v(number, topic, since, body_hash, i)
		CROSS JOIN LATERAL (SELECT COUNT(*) AS n, COALESCE(MIN(at_ns), 0) AS oldest FROM herald_sends
			WHERE number = v.number AND at_ns > v.since`+shape+`) AS c`, numbers, topics, since, hashes)
	if err != nil {
		return err
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		var (
			i, oldest int64
			t         compliance.SendTally
		)
		if err := rows.Scan(&i, &t.Count, &oldest); err != nil {
			return err
		}
		if t.Count > 0 {
			t.Oldest = fromSendNanos(oldest)
		}
		calls[i-1].item.out = t
		got++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if got != n {
		return fmt.Errorf("sqlstore: counting sends: %d answers for %d queries", got, n)
	}
	return nil
}
