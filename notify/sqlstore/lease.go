package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/heraldsms/herald/notify"
)

// lease is one row of herald_leases: a Claim of rows lo..hi (by Index) of
// a notification, held until until (Unix nanoseconds). Lease rows never
// change; Recover deletes them.
type lease struct {
	seq            int64
	notificationID string
	until, lo, hi  int64
}

// endedLeases returns the lease rows that ended at or before now, in seq
// order: instances recovering at once then delete lease rows (and wait
// for each other's) in one order, never each holding one the other needs.
func (s *Store) endedLeases(ctx context.Context, now time.Time) ([]lease, error) {
	rows, err := s.read(ctx, s.d.q(`SELECT seq, notification_id, until_ns, lo, hi FROM herald_leases WHERE until_ns <= ? ORDER BY seq`), nanos(now))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: recover: ended leases: %w", err)
	}
	defer rows.Close()
	var out []lease
	for rows.Next() {
		var l lease
		if err := rows.Scan(&l.seq, &l.notificationID, &l.until, &l.lo, &l.hi); err != nil {
			return nil, fmt.Errorf("sqlstore: recover: ended leases: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// leaseArrays returns the leases as one array per column, for the
// PostgreSQL statements below.
func leaseArrays(ls []lease) (seqs []int64, nids []string, untils, los, his []int64) {
	for _, l := range ls {
		seqs, nids = append(seqs, l.seq), append(nids, l.notificationID)
		untils, los, his = append(untils, l.until), append(los, l.lo), append(his, l.hi)
	}
	return seqs, nids, untils, los, his
}

// expiredPG locks, skipping rows others hold, the rows whose claim ended
// at or before $1 in the ranges of the leases $2-$4 (notification,
// lowest and highest index).
const expiredPG = `SELECT ` + messageCols + ` FROM herald_messages
	WHERE claim_owner <> '' AND claim_until <= $1 AND id IN (
		SELECT m.id FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS l(notification_id, lo, hi)
		JOIN herald_messages AS m ON m.notification_id = l.notification_id AND m.idx BETWEEN l.lo AND l.hi
		WHERE m.claim_owner <> '' AND m.claim_until <= $1)
	FOR UPDATE SKIP LOCKED`

// expiredSQLite selects the rows whose claim ended at or before a time
// (all three arguments) in the ranges of the leases that ended by then.
const expiredSQLite = `SELECT ` + messageCols + ` FROM herald_messages
	WHERE claim_owner <> '' AND claim_until <= ? AND id IN (
		SELECT m.id FROM herald_leases AS l JOIN herald_messages AS m
			ON m.notification_id = l.notification_id AND m.idx BETWEEN l.lo AND l.hi
		WHERE l.until_ns <= ? AND m.claim_owner <> '' AND m.claim_until <= ?)`

// expired returns the rows whose claim ended at or before now: on
// PostgreSQL those in the ranges of the ended leases ls, locked; on SQLite,
// where writes are serialised, those of every lease ended by now, which
// are ls.
func (s *Store) expired(ctx context.Context, tx *sql.Tx, ls []lease, now time.Time) ([]claimed, error) {
	if s.d.kind == Postgres {
		_, nids, _, los, his := leaseArrays(ls)
		rows, err := tx.QueryContext(ctx, expiredPG, nanos(now), nids, los, his)
		if err != nil {
			return nil, err
		}
		return scanClaimedRows(rows)
	}
	t := nanos(now)
	rows, err := tx.QueryContext(ctx, expiredSQLite, t, t, t)
	if err != nil {
		return nil, err
	}
	return scanClaimedRows(rows)
}

// dropLeasesPG deletes those of the leases $1-$5 (seq, notification,
// expiry, lowest and highest index) whose claim holds no row any more. A
// row of the claim has the lease's expiry as its claim_until (another
// claim's row with the same expiry only keeps the lease a little longer).
const dropLeasesPG = `DELETE FROM herald_leases WHERE seq IN (
	SELECT l.seq FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS l(seq, notification_id, until_ns, lo, hi)
	WHERE NOT EXISTS (SELECT 1 FROM herald_messages AS m
		WHERE m.notification_id = l.notification_id AND m.idx BETWEEN l.lo AND l.hi
		AND m.claim_owner <> '' AND m.claim_until = l.until_ns))`

// dropLeasesSQLite is dropLeasesPG for the leases that ended at or before
// a time.
const dropLeasesSQLite = `DELETE FROM herald_leases WHERE until_ns <= ? AND NOT EXISTS (
	SELECT 1 FROM herald_messages AS m
	WHERE m.notification_id = herald_leases.notification_id AND m.idx BETWEEN herald_leases.lo AND herald_leases.hi
		AND m.claim_owner <> '' AND m.claim_until = herald_leases.until_ns)`

// dropLeases deletes those of the ended leases ls whose claim holds no row
// any more; a row another transaction holds (a late Complete or
// MarkSending, another Recover) keeps its lease for the next Recover.
func (s *Store) dropLeases(ctx context.Context, tx *sql.Tx, ls []lease, now time.Time) error {
	if s.d.kind == Postgres {
		seqs, nids, untils, los, his := leaseArrays(ls)
		_, err := tx.ExecContext(ctx, dropLeasesPG, seqs, nids, untils, los, his)
		return err
	}
	_, err := tx.ExecContext(ctx, dropLeasesSQLite, nanos(now))
	return err
}

// interruptedDetail explains a row recovered as unknown.
const interruptedDetail = "the service stopped while this message was with the provider; it may have been sent and is not resent"

// Recover implements notify.OutboxStore. Several instances may recover at
// once; each expired row is handled by exactly one of them. Expired claims
// are found through the lease rows that ended (see schemaV8), read first:
// when none did, as between two lease periods, Recover writes nothing.
func (s *Store) Recover(ctx context.Context, now time.Time) (int, error) {
	ended, err := s.endedLeases(ctx, now)
	if err != nil || len(ended) == 0 {
		return 0, err
	}
	n := 0
	err = s.write(ctx, func(tx *sql.Tx) error {
		n = 0
		expired, err := s.expired(ctx, tx, ended, now)
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
		if err := s.applyTallies(ctx, tx, tallies); err != nil {
			return err
		}
		if err := s.dropLeases(ctx, tx, ended, now); err != nil {
			return fmt.Errorf("sqlstore: recover: dropping ended leases: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
