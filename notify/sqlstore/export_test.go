package sqlstore

import (
	"context"
	"database/sql"
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
