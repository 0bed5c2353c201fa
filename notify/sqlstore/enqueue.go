package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/heraldsms/herald/notify"
)

// Enqueue implements notify.OutboxStore: the rows go in inside one
// transaction, on PostgreSQL with one INSERT ... SELECT FROM unnest
// statement per WithBatchRows rows, on SQLite through multi-row INSERT
// statements prepared at Open. Rows that already carry a final outcome
// enter the history and the tallies in the same transaction.
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
		for i := range msgs {
			if msgs[i].Outcome.Final() {
				tallies.add(&msgs[i], finalAt(&msgs[i]))
			}
		}
		if s.d.kind == Postgres {
			err = s.enqueuePG(ctx, tx, msgs, seqs)
		} else {
			err = s.enqueueSQLite(ctx, tx, msgs, seqs)
		}
		if err != nil {
			return err
		}
		return s.applyTallies(ctx, tx, tallies)
	})
}

// rowID is m's ID, or the one Enqueue gives a row without one.
func rowID(m *notify.Message) string {
	if m.ID == "" {
		return m.NotificationID + "/" + strconv.Itoa(m.Index)
	}
	return m.ID
}

// enqueueSQLite inserts msgs through the statements prepared at Open. The
// rows of a bulk send differ in few columns, and binding a parameter costs
// more than inserting its value: the rows that share every other column
// with the first pending row go in through insertShared, WithBatchRows at
// a time, with those columns bound once per statement; the rest through
// the multi-row statement of every column, then one row at a time. seqs
// are the history positions of the final rows, in order.
func (s *Store) enqueueSQLite(ctx context.Context, tx *sql.Tx, msgs []notify.Message, seqs []int64) error {
	per := s.cfg.batchRows
	var shared, rest []*notify.Message
	var base *notify.Message
	for i := range msgs {
		m := &msgs[i]
		if !m.Outcome.Final() && base == nil {
			base = m
		}
		if base != nil && !m.Outcome.Final() && sameShared(m, base) {
			shared = append(shared, m)
		} else {
			rest = append(rest, m)
		}
	}
	var stmts []*sql.Stmt
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	bound := make(map[string]*sql.Stmt)
	stmt := func(q string) *sql.Stmt {
		st, ok := bound[q]
		if !ok {
			st = tx.StmtContext(ctx, s.stmts[q])
			bound[q] = st
			stmts = append(stmts, st)
		}
		return st
	}
	args := make([]any, 0, per*messageColumns)
	for len(shared) >= per {
		chunk := shared[:per]
		shared = shared[per:]
		args = args[:0]
		c := chunk[0]
		sts, md, err := encodeExtras(c)
		if err != nil {
			return err
		}
		args = append(args, c.NotificationID, c.Account, c.Topic, c.From, int64(c.Outcome), c.Reason, c.Detail,
			nanos(c.NotBefore), c.Provider, c.ProviderID, int64(c.Status), sts, int64(c.Attempts), c.Price, md,
			nanos(c.CreatedAt), nanos(c.UpdatedAt))
		for _, m := range chunk {
			args = append(args, rowID(m), int64(m.Index), m.Given, m.To, m.Body, int64(m.Segments), m.Encoding)
		}
		if _, err := stmt(s.insertShared(per)).ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("sqlstore: enqueue %d rows of notification %s from index %d: %w", per, c.NotificationID, c.Index, err)
		}
	}
	rest = append(rest, shared...)
	for start := 0; start < len(rest); {
		n := per
		if len(rest)-start < per {
			n = 1
		}
		chunk := rest[start : start+n]
		args = args[:0]
		for _, m := range chunk {
			a, err := messageArgs(m, rowID(m))
			if err != nil {
				return err
			}
			var seq any
			if m.Outcome.Final() {
				seq, seqs = seqs[0], seqs[1:]
			}
			args = append(append(args, a...), seq)
		}
		if _, err := stmt(s.insertMessages(n)).ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("sqlstore: enqueue %d rows of notification %s from index %d: %w", n, chunk[0].NotificationID, chunk[0].Index, err)
		}
		start += n
	}
	return nil
}

// sameShared reports whether m and base agree in every column that
// insertShared binds once per statement.
func sameShared(m, base *notify.Message) bool {
	return m.NotificationID == base.NotificationID && m.Account == base.Account && m.Topic == base.Topic &&
		m.From == base.From && m.Outcome == base.Outcome && m.Reason == base.Reason && m.Detail == base.Detail &&
		m.NotBefore.Equal(base.NotBefore) && m.Provider == base.Provider && m.ProviderID == base.ProviderID &&
		m.Status == base.Status && len(m.Statuses) == 0 && len(base.Statuses) == 0 && m.Attempts == base.Attempts &&
		m.Price == base.Price && len(m.Metadata) == 0 && len(base.Metadata) == 0 &&
		m.CreatedAt.Equal(base.CreatedAt) && m.UpdatedAt.Equal(base.UpdatedAt)
}

// encodeExtras encodes m's statuses and metadata for their columns.
func encodeExtras(m *notify.Message) (statuses, metadata string, err error) {
	if statuses, err = encodeStatuses(m.Statuses); err != nil {
		return "", "", fmt.Errorf("sqlstore: message %s statuses: %w", m.ID, err)
	}
	if metadata, err = encodeMap(m.Metadata); err != nil {
		return "", "", fmt.Errorf("sqlstore: message %s metadata: %w", m.ID, err)
	}
	return statuses, metadata, nil
}

// insertShared is an INSERT of n pending outbox rows (SQLite) that share
// every column but id, idx, given, to_num, body, segments and encoding:
// the 17 shared values are bound first, then 7 per row.
func (s *Store) insertShared(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO herald_messages (` + messageCols + `, history_seq)
	SELECT r.column1, c.column1, r.column2, c.column2, c.column3, r.column3, r.column4, c.column4, r.column5, r.column6,
		r.column7, c.column5, c.column6, c.column7, c.column8, c.column9, c.column10, c.column11, c.column12, c.column13,
		c.column14, c.column15, c.column16, c.column17, '', 0, 0, NULL
	FROM (VALUES (` + strings.Repeat("?, ", 16) + `?)) AS c, (VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?)")
	}
	b.WriteString(") AS r")
	return s.d.q(b.String())
}

// insertMessages is a multi-row INSERT of n outbox rows (SQLite).
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

// insertMessagesPG inserts outbox rows from one array per column; a
// history_seq of 0 is NULL (a row that is not final).
const insertMessagesPG = `INSERT INTO herald_messages (` + messageCols + `, history_seq)
	SELECT id, notification_id, idx, account, topic, given, to_num, from_num, body, segments, encoding,
		outcome, reason, detail, not_before, provider, provider_id, status, statuses, attempts, price, metadata,
		created_at, updated_at, '', 0, 0, NULLIF(seq, 0)
	FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
		$9::text[], $10::bigint[], $11::text[], $12::bigint[], $13::text[], $14::text[], $15::bigint[], $16::text[],
		$17::text[], $18::bigint[], $19::text[], $20::bigint[], $21::text[], $22::text[], $23::bigint[], $24::bigint[],
		$25::bigint[])
	AS u(id, notification_id, idx, account, topic, given, to_num, from_num, body, segments, encoding,
		outcome, reason, detail, not_before, provider, provider_id, status, statuses, attempts, price, metadata,
		created_at, updated_at, seq)`

// enqueuePG inserts msgs with insertMessagesPG, WithBatchRows rows per
// statement.
func (s *Store) enqueuePG(ctx context.Context, tx *sql.Tx, msgs []notify.Message, seqs []int64) error {
	per := s.cfg.batchRows
	st := tx.StmtContext(ctx, s.stmts[insertMessagesPG])
	defer st.Close()
	for start := 0; start < len(msgs); start += per {
		chunk := msgs[start:min(start+per, len(msgs))]
		n := len(chunk)
		texts := make([][]string, 16)
		for i := range texts {
			texts[i] = make([]string, n)
		}
		ints := make([][]int64, 9)
		for i := range ints {
			ints[i] = make([]int64, n)
		}
		for i := range chunk {
			m := &chunk[i]
			sts, md, err := encodeExtras(m)
			if err != nil {
				return err
			}
			var seq int64
			if m.Outcome.Final() {
				seq, seqs = seqs[0], seqs[1:]
			}
			for j, v := range [...]string{rowID(m), m.NotificationID, m.Account, m.Topic, m.Given, m.To, m.From, m.Body,
				m.Encoding, m.Reason, m.Detail, m.Provider, m.ProviderID, sts, m.Price, md} {
				texts[j][i] = v
			}
			for j, v := range [...]int64{int64(m.Index), int64(m.Segments), int64(m.Outcome), nanos(m.NotBefore),
				int64(m.Status), int64(m.Attempts), nanos(m.CreatedAt), nanos(m.UpdatedAt), seq} {
				ints[j][i] = v
			}
		}
		// In insertMessagesPG's order.
		_, err := st.ExecContext(ctx, texts[0], texts[1], ints[0], texts[2], texts[3], texts[4], texts[5], texts[6],
			texts[7], ints[1], texts[8], ints[2], texts[9], texts[10], ints[3], texts[11],
			texts[12], ints[4], texts[13], ints[5], texts[14], texts[15], ints[6], ints[7], ints[8])
		if err != nil {
			return fmt.Errorf("sqlstore: enqueue %d rows of notification %s from index %d: %w", n, chunk[0].NotificationID, chunk[0].Index, err)
		}
	}
	return nil
}
