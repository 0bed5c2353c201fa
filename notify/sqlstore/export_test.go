package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// SweepEvery is sweepEvery, for the retention tests.
const SweepEvery = sweepEvery

// HoldBatches makes the calls that are written (MarkSending, Complete,
// RecordSend) or, on PostgreSQL, read (State, CountSends) together queue
// until release is called; then the queued calls are handled together, as
// calls arriving while a batch is handled.
func (s *Store) HoldBatches() (release func()) {
	if s.wsem != nil {
		s.wsem <- struct{}{}
		return func() { <-s.wsem }
	}
	holds := []interface{ hold() (release func()) }{s.marks, s.completes, s.records, s.states, s.counts}
	var releases []func()
	for _, h := range holds {
		releases = append(releases, h.hold())
	}
	return func() {
		for _, r := range releases {
			r()
		}
	}
}

// Queued returns how many calls wait to be handled together.
func (s *Store) Queued() int {
	if s.wsem != nil {
		s.pmu.Lock()
		defer s.pmu.Unlock()
		return len(s.pending)
	}
	return s.marks.queued() + s.completes.queued() + s.records.queued() + s.states.queued() + s.counts.queued()
}

// hold takes the lead of b until release.
func (b *batcher[T]) hold() (release func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.leading {
		panic("sqlstore: hold while a batch is written")
	}
	b.leading = true
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.handOffLocked()
	}
}

func (b *batcher[T]) queued() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queue)
}

// MigrateTo brings db's schema to version (not further), as a Store of an
// older release left it, for the migration tests.
func MigrateTo(ctx context.Context, db *sql.DB, d Dialect, version int) error {
	saved := migrations
	defer func() { migrations = saved }()
	migrations = migrations[:version]
	return (&Store{db: db, d: dialects[d]}).migrate(ctx)
}

// ClaimPlan returns PostgreSQL's generic plan (the one a prepared
// statement settles on) for a Claim of limit rows from notification nid,
// planned as Claim plans it (after claimPlanPG) when planned is true, or
// with the planner's defaults.
func (s *Store) ClaimPlan(ctx context.Context, nid string, limit int, planned bool) (string, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback() //nolint:errcheck // read only
	setup := []string{`SET LOCAL plan_cache_mode = force_generic_plan`, `PREPARE herald_claim_plan AS ` + s.claimQ}
	if planned {
		setup = append(setup, claimPlanPG)
	}
	for _, q := range setup {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return "", err
		}
	}
	defer tx.ExecContext(ctx, `DEALLOCATE herald_claim_plan`) //nolint:errcheck // a prepared statement outlives the transaction
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`EXPLAIN EXECUTE herald_claim_plan('x', 1, '%s', 0, %d)`, nid, limit))
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		b.WriteString(line + "\n")
	}
	return b.String(), rows.Err()
}
