package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
}

var (
	_ notify.Store            = (*Store)(nil)
	_ compliance.ConsentStore = (*Store)(nil)
)

// config holds what the options set.
type config struct {
	batchRows int
}

// Option configures a Store.
type Option func(*config)

// WithBatchRows sets how many outbox rows Enqueue writes per multi-row
// INSERT statement (all of them in one transaction). The default fits the
// dialect's limit on bound parameters.
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
	cfg := config{batchRows: d.maxParams / messageColumns}
	for _, o := range opts {
		o(&cfg)
	}
	cfg.batchRows = min(cfg.batchRows, d.maxParams/messageColumns)
	s := &Store{db: db, d: d, cfg: cfg}
	if dia == SQLite {
		s.wsem = make(chan struct{}, 1)
		var mode string
		if err := db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
			return nil, fmt.Errorf("sqlstore: setting WAL mode: %w", err)
		}
	}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// write runs fn in a transaction, serialised with every other write of
// this Store on SQLite.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.wsem != nil {
		select {
		case s.wsem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-s.wsem }()
	}
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
