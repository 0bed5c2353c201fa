package main

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
)

// statements reads pg_stat_statements when the server preloads it.
type statements struct {
	db *sql.DB
}

// newStatements returns a reader of pg_stat_statements on db, or nil with
// the reason when the server does not collect them.
func newStatements(ctx context.Context, db *sql.DB) (*statements, error) {
	var lib string
	if err := db.QueryRowContext(ctx, "SHOW shared_preload_libraries").Scan(&lib); err != nil {
		return nil, err
	}
	if !strings.Contains(lib, "pg_stat_statements") {
		return nil, fmt.Errorf("the server does not preload pg_stat_statements (start it with -c shared_preload_libraries=pg_stat_statements)")
	}
	if _, err := db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public"); err != nil {
		return nil, err
	}
	return &statements{db: db}, nil
}

// reset forgets the statements counted so far.
func (s *statements) reset(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, "SELECT public.pg_stat_statements_reset()")
	return err
}

// stmtCount is one normalised statement and how often it ran.
type stmtCount struct {
	query  string
	calls  int64
	meanMS float64
}

// top returns the total number of statements run since reset and the top
// most frequent ones.
func (s *statements) top(ctx context.Context, top int) (int64, []stmtCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT query, calls, mean_exec_time FROM public.pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var (
		total int64
		out   []stmtCount
	)
	for rows.Next() {
		var c stmtCount
		if err := rows.Scan(&c.query, &c.calls, &c.meanMS); err != nil {
			return 0, nil, err
		}
		total += c.calls
		if len(out) < top {
			c.query = shorten(c.query, 110)
			out = append(out, c)
		}
	}
	return total, out, rows.Err()
}

var spaces = regexp.MustCompile(`\s+`)

// shorten collapses white space in q and cuts it to n bytes.
func shorten(q string, n int) string {
	q = strings.TrimSpace(spaces.ReplaceAllString(q, " "))
	if len(q) > n {
		q = q[:n-3] + "..."
	}
	return q
}
