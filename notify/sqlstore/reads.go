package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// readStmts caches the statements of the Store's reads, prepared on first
// use: SQLite would otherwise parse a read again on every call (a consent
// lookup per recipient cost more in parsing than in running), and
// PostgreSQL plan it again. A read runs on the pool, never inside a
// transaction of the caller, so preparing it needs no second connection
// while one is held (a capped pool stays safe).
type readStmts struct {
	m sync.Map // query -> *sql.Stmt
}

// stmt returns the prepared statement of query, preparing it once.
func (s *Store) readStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.reads.m.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.reads.m.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// read runs a query on the pool through its cached statement.
func (s *Store) read(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.readStmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// readRow runs a one-row query on the pool through its cached statement.
// A preparation error is returned by the row's Scan.
func (s *Store) readRow(ctx context.Context, query string, args ...any) rowScanner {
	st, err := s.readStmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

// rowScanner is *sql.Row or a failed preparation.
type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
