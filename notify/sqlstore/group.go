package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
)

// writeOp is one write waiting for a group commit (SQLite).
type writeOp struct {
	// fn is the write on its own, in a transaction of its own or of the
	// group.
	fn func(tx *sql.Tx) error
	// kind, when not nil, writes this op together with the group's other
	// ops of its kind (sharing statements, one history counter update and
	// one tally upsert per bucket) instead of fn; item is the op's input.
	kind *opKind
	item any
	// res is the answer kind.run gave the op, which it gets if the group
	// commits.
	res error
	// recheck, when not nil, corrects the answer of a retry on its own
	// after the group failed (its commit may have gone through).
	recheck func(err error) error
	err     error
	done    chan struct{}
}

// opKind writes the ops of one kind in a group commit together.
type opKind struct {
	// run writes ops inside tx and sets each op's res; an error fails the
	// whole group.
	run func(ctx context.Context, tx *sql.Tx, ops []*writeOp) error
}

// write runs fn in a transaction. On SQLite, writes are serialised and
// grouped: whoever takes the write slot commits every write queued so far
// in one transaction (see groupCommit). fn must be safe to run from another
// goroutine and to run again after a rollback, setting its results afresh.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.wsem == nil {
		return s.writeTx(ctx, fn)
	}
	return s.writeOp(ctx, &writeOp{fn: fn})
}

// writeOp queues o for the next group commit (SQLite) and returns its
// answer.
func (s *Store) writeOp(ctx context.Context, o *writeOp) error {
	o.done = make(chan struct{})
	s.pmu.Lock()
	s.pending = append(s.pending, o)
	s.pmu.Unlock()
	for {
		select {
		case <-o.done:
			return o.err
		case s.wsem <- struct{}{}:
			// Let goroutines that are ready to run (typically the callers
			// the last group answered, on their way to their next write)
			// queue first, so that they join this group instead of each
			// committing alone right after it. This yields the processor
			// once; it does not wait for anyone.
			runtime.Gosched()
			s.pmu.Lock()
			batch := s.pending
			s.pending = nil
			s.pmu.Unlock()
			if len(batch) > 0 {
				s.groupCommit(batch)
			}
			<-s.wsem
		case <-ctx.Done():
			s.pmu.Lock()
			if i := slices.Index(s.pending, o); i >= 0 {
				s.pending = slices.Delete(s.pending, i, i+1)
				s.pmu.Unlock()
				return ctx.Err()
			}
			s.pmu.Unlock()
			<-o.done // a group commit holding it is running
			return o.err
		}
	}
}

// groupCommit runs batch in one transaction and reports to each op. When
// the group fails, the transaction is rolled back and every op runs again
// in a transaction of its own, so each write stays atomic on its own and
// one failure never undoes another's work.
func (s *Store) groupCommit(batch []*writeOp) {
	defer func() {
		for _, o := range batch {
			close(o.done)
		}
	}()
	if len(batch) > 1 && s.runGroup(batch) {
		for _, o := range batch {
			o.err = o.res
		}
		return
	}
	for _, o := range batch {
		o.err = s.writeTx(context.Background(), o.fn)
		if len(batch) > 1 && o.recheck != nil {
			o.err = o.recheck(o.err)
		}
	}
}

// runGroup runs every op of batch in one transaction and reports whether
// all of them, and the commit, succeeded. An op with a kind is written
// with the other ops of its kind, after the ops without one.
func (s *Store) runGroup(batch []*writeOp) bool {
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false
	}
	var kinds map[*opKind][]*writeOp
	for _, o := range batch {
		o.res = nil
		if o.kind != nil {
			if kinds == nil {
				kinds = make(map[*opKind][]*writeOp)
			}
			kinds[o.kind] = append(kinds[o.kind], o)
			continue
		}
		if err := o.fn(tx); err != nil {
			_ = tx.Rollback()
			return false
		}
	}
	for k, ops := range kinds {
		if err := k.run(ctx, tx, ops); err != nil {
			_ = tx.Rollback()
			return false
		}
	}
	return tx.Commit() == nil
}

// writeTx runs fn in its own transaction (PostgreSQL).
func (s *Store) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}
