package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/heraldsms/herald/compliance"
)

// defaultRetention is how long sends (and inbound message IDs) are kept
// by default: 7 days, as compliance.NewMemoryFrequencyStore(0) keeps them.
const defaultRetention = 7 * 24 * time.Hour

// sweepEvery is how many RecordSend calls of one Store pass between sweeps
// of expired sends; each sweep deletes at most sweepBatch of them, so the
// table shrinks back to the retention faster than it grows, and no one
// write carries an unbounded delete.
const (
	sweepEvery = 256
	sweepBatch = 4 * sweepEvery
)

// WithSendRetention sets how long the Store keeps sends for frequency
// caps and the duplicate guard: at least the longest cap window and the
// duplicate window. The default is 7 days, as the in-memory
// compliance.FrequencyStore. Sends older than the retention, measured from
// the newest send recorded, are deleted as new sends are recorded.
func WithSendRetention(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.sendRetention = d
		}
	}
}

// insertSendSQL records one send; prepared at Open.
const insertSendSQL = `INSERT INTO herald_sends (number, topic, kind, body_hash, at_ns) VALUES (?, ?, ?, ?, ?)`

// sweepSendsSQL deletes the oldest sends up to a time, at most a number of
// them; prepared at Open. On PostgreSQL the rows have no key column (see
// schemaV9) and are named by their physical position, which stays theirs
// for the statement.
func sweepSendsSQL(d dialect) string {
	if d.kind == Postgres {
		return `DELETE FROM herald_sends WHERE ctid = ANY(ARRAY(
			SELECT ctid FROM herald_sends WHERE at_ns <= $1 ORDER BY at_ns LIMIT $2))`
	}
	return `DELETE FROM herald_sends WHERE seq IN
		(SELECT seq FROM herald_sends WHERE at_ns <= ? ORDER BY at_ns LIMIT ?)`
}

// sendNanos stores a send time as Unix nanoseconds; the zero time sorts
// before every other time, as time.Time.After compares it.
func sendNanos(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return t.UnixNano()
}

// fromSendNanos is the inverse of sendNanos for a stored send.
func fromSendNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// RecordSend implements compliance.FrequencyStore: the send is written
// before RecordSend returns, so every Store on the database (every
// instance of the host, and the host after a restart) counts it. Every
// sweepEvery sends, sends older than the retention before r.At are
// deleted in the same transaction. Concurrent calls are written together
// (see the package doc, Batching).
func (s *Store) RecordSend(ctx context.Context, r compliance.SendRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	it := sendItem{r: r, sweep: s.sends.Add(1)%sweepEvery == 0 && !r.At.IsZero(), cut: sendNanos(r.At.Add(-s.cfg.sendRetention))}
	if s.wsem == nil {
		return s.records.do(ctx, it)
	}
	return s.writeOp(ctx, &writeOp{
		fn: func(tx *sql.Tx) error {
			return s.runSends(ctx, tx, []*writeOp{{item: it}})
		},
		kind: &s.sendKind,
		item: it,
	})
}

// CountSends implements compliance.FrequencyStore. It reads the database
// on every call; on PostgreSQL concurrent calls are read together (see
// the package doc, Batching), each with a query that starts after the
// call did.
func (s *Store) CountSends(ctx context.Context, q compliance.SendQuery) (compliance.SendTally, error) {
	if err := ctx.Err(); err != nil {
		return compliance.SendTally{}, err
	}
	if s.wsem != nil {
		return s.countOne(ctx, q)
	}
	c := countItem{q: q}
	if err := s.counts.do(ctx, &c); err != nil {
		return compliance.SendTally{}, err
	}
	return c.out, nil
}

// countOne counts the sends q matches with a query of its own.
func (s *Store) countOne(ctx context.Context, q compliance.SendQuery) (compliance.SendTally, error) {
	var b strings.Builder
	b.WriteString(`SELECT COUNT(*), COALESCE(MIN(at_ns), 0) FROM herald_sends WHERE number = ? AND at_ns > ?`)
	args := []any{q.To, sendNanos(q.Since)}
	if q.MatchTopic {
		b.WriteString(` AND topic = ?`)
		args = append(args, q.Topic)
	}
	if q.Kinds != 0 {
		writeKinds(&b, q.Kinds)
	}
	if q.MatchBody {
		b.WriteString(` AND body_hash = ?`)
		args = append(args, int64(q.BodyHash))
	}
	var (
		t      compliance.SendTally
		oldest int64
	)
	if err := s.readRow(ctx, s.d.q(b.String()), args...).Scan(&t.Count, &oldest); err != nil {
		return compliance.SendTally{}, fmt.Errorf("sqlstore: counting sends to %s: %w", compliance.MaskNumber(q.To), err)
	}
	if t.Count > 0 {
		t.Oldest = fromSendNanos(oldest)
	}
	return t, nil
}

// writeKinds writes the condition " AND kind IN (...)" for the kinds of ks.
func writeKinds(b *strings.Builder, ks compliance.KindSet) {
	b.WriteString(` AND kind IN (`)
	n := 0
	for k := range 8 {
		if ks.Has(compliance.Kind(k)) {
			if n > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Itoa(k))
			n++
		}
	}
	b.WriteString(`)`)
}
