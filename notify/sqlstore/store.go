package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
)

// ErrDialect is returned by Open for a Dialect it does not know.
var ErrDialect = errors.New("sqlstore: unknown dialect")

// Store is a notify.Store and a compliance.ConsentStore on a *sql.DB. It is
// safe for concurrent use. The *sql.DB stays the host's: the Store never
// closes it.
type Store struct {
	db  *sql.DB
	d   dialect
	cfg config
	// wsem serialises writes on SQLite (a one-slot semaphore that honours
	// ctx); nil on PostgreSQL.
	wsem chan struct{}
	// pending holds SQLite writes waiting for the next group commit.
	pmu     sync.Mutex
	pending []*writeOp
	// stmts holds the statements prepared at Open (hotQueries) by query
	// text; read-only afterwards.
	stmts map[string]*sql.Stmt
	reads readStmts // reads.go
	// completeQ and claimQ are completeSQL and claimSQL for the dialect.
	completeQ, claimQ string
	// marks and completes group concurrent MarkSending and Complete
	// calls on PostgreSQL; on SQLite the group commit writes them together
	// as markKind and completeKind ops (outbox_batch.go).
	marks     *batcher[markItem]
	completes *batcher[completeItem]
	// records groups RecordSend calls on PostgreSQL; on SQLite the group
	// commit writes them together as sendKind ops (frequency_batch.go).
	records                          *batcher[sendItem]
	markKind, completeKind, sendKind opKind
	// counts and states group the fresh reads of CountSends and State
	// on PostgreSQL (frequency_batch.go, consent.go).
	counts *batcher[*countItem]
	states *batcher[*stateItem]
	// sends counts RecordSend calls, to sweep every sweepEvery of them.
	sends atomic.Uint64
	// inbound counts RecordInbound calls, to sweep every sweepEvery of
	// them.
	inbound atomic.Uint64
}

var (
	_ notify.Store              = (*Store)(nil)
	_ compliance.ConsentStore   = (*Store)(nil)
	_ compliance.FrequencyStore = (*Store)(nil)
)

// config holds what the options set.
type config struct {
	batchRows        int
	sendRetention    time.Duration
	inboundRetention time.Duration
}

// Option configures a Store.
type Option func(*config)

// WithBatchRows sets how many outbox rows Enqueue writes per INSERT
// statement (all of them in one transaction): 32 by default on SQLite,
// whose multi-row statement is prepared at Open (and at most what fits
// SQLite's limit on bound parameters), 5000 on PostgreSQL, where a
// statement carries one array per column.
func WithBatchRows(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.batchRows = n
		}
	}
}

// Open returns a Store on db, creating or upgrading its tables first. It is
// safe to call from several instances at once. The host opens db with the
// driver of dialect: "sqlite" (modernc.org/sqlite, see SQLiteDSN) or "pgx"
// (github.com/jackc/pgx/v5/stdlib).
func Open(ctx context.Context, db *sql.DB, dia Dialect, opts ...Option) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlstore: Open needs a *sql.DB")
	}
	d, ok := dialects[dia]
	if !ok {
		return nil, fmt.Errorf("%w: %d", ErrDialect, dia)
	}
	cfg := config{batchRows: d.batchRows, sendRetention: defaultRetention, inboundRetention: defaultRetention}
	for _, o := range opts {
		o(&cfg)
	}
	if d.kind == SQLite {
		cfg.batchRows = min(cfg.batchRows, d.maxParams/messageColumns)
	}
	s := &Store{db: db, d: d, cfg: cfg, completeQ: completeSQL(d), claimQ: claimSQL(d)}
	s.marks = newBatcher(maxBatch, markKey, s.flushMarks)
	s.completes = newBatcher(maxBatch, completeKey, s.flushCompletes)
	s.records = newBatcher(maxBatch, nil, s.flushSends)
	s.counts = newBatcher(maxBatch, nil, s.flushCounts)
	s.states = newBatcher(maxBatch, nil, s.flushStates)
	s.markKind = opKind{run: s.runMarks}
	s.completeKind = opKind{run: s.runCompletes}
	s.sendKind = opKind{run: s.runSends}
	if dia == SQLite {
		s.wsem = make(chan struct{}, 1)
		if err := setWAL(ctx, db); err != nil {
			return nil, err
		}
	}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	if err := s.prepareHot(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// setWAL switches a SQLite database to WAL journaling. The switch needs
// the database to itself for a moment, and SQLite answers SQLITE_BUSY at
// once, without its busy timeout, while another connection (another
// process opening the same file) holds it; so a busy answer is retried for
// up to walWait.
func setWAL(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(walWait)
	for pause := time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		var mode string
		err := db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		if err == nil {
			return nil
		}
		if !isBusy(err) || time.Now().Add(pause).After(deadline) {
			return fmt.Errorf("sqlstore: setting WAL mode: %w", err)
		}
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("sqlstore: setting WAL mode: %w", ctx.Err())
		}
	}
}

// walWait bounds how long Open retries a busy switch to WAL journaling.
const walWait = 10 * time.Second

// isBusy reports whether err is SQLite's "database is locked" (the driver's
// error type is not imported, so its text is read).
func isBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}

// prepareHot prepares the statements run once per recipient on the pool.
// Open calls it before any transaction of the Store is open: preparing on
// the pool needs a connection of its own, which a caller holding a
// transaction on a capped pool (SetMaxOpenConns(1)) would wait for forever.
func (s *Store) prepareHot(ctx context.Context) error {
	s.stmts = make(map[string]*sql.Stmt)
	qs := hotQueries(s.d)
	if s.d.kind == SQLite {
		qs = append(qs, s.insertMessages(1), s.insertMessages(s.cfg.batchRows), s.insertShared(s.cfg.batchRows))
	}
	for _, q := range qs {
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			s.closeStmts()
			return fmt.Errorf("sqlstore: preparing %s: %w", firstLine(q), err)
		}
		s.stmts[q] = st
	}
	return nil
}

// closeStmts closes the statements prepareHot prepared.
func (s *Store) closeStmts() {
	for _, st := range s.stmts {
		st.Close()
	}
}

// exec runs query inside tx, using the statement prepared at Open when
// there is one. Either way only tx's connection is used: a statement
// prepared on the pool is bound to tx (re-prepared on tx's connection if
// that one has not seen it), and any other query runs on tx directly.
func (s *Store) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, ok := s.stmts[query]
	if !ok {
		return tx.ExecContext(ctx, query, args...)
	}
	ts := tx.StmtContext(ctx, st)
	defer ts.Close()
	return ts.ExecContext(ctx, args...)
}

// hotQueries are the statements run once per recipient or per batch of
// recipients (or per send or inbound message), prepared at Open; d.q has
// rewritten them, as exec receives them.
func hotQueries(d dialect) []string {
	q := []string{
		d.q(markSendingSQL), completeSQL(d), claimSQL(d), d.q(tallySQL),
		d.q(insertSendSQL), sweepSendsSQL(d),
		d.q(recordInboundSQL), d.q(sweepInboundSQL), d.q(pinInboundSQL),
	}
	if d.kind == SQLite {
		q = append(q, sqliteSeqSQL, leaseSQL)
	} else {
		q = append(q, insertMessagesPG, markBatchPG, completeBatchPG, insertSendsPG, statesPG)
	}
	return q
}
