package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// Dialect names the SQL database behind a Store.
type Dialect uint8

const (
	// SQLite is the embedded default (modernc.org/sqlite, driver "sqlite"):
	// one process, many goroutines.
	SQLite Dialect = iota + 1
	// Postgres is PostgreSQL (github.com/jackc/pgx/v5/stdlib, driver
	// "pgx"): many instances sharing one database.
	Postgres
)

// String returns "sqlite" or "postgres".
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	default:
		return "dialect(" + strconv.Itoa(int(d)) + ")"
	}
}

// dialect holds what differs between the databases.
type dialect struct {
	kind Dialect
	// maxParams is the most bound parameters one statement may carry.
	maxParams int
	// batchRows is how many outbox rows Enqueue writes per statement by
	// default.
	batchRows int
	// identity is the column definition of an auto-numbered primary key.
	identity string
	// forUpdate locks selected rows inside a write transaction.
	forUpdate string
	// skipLocked lets concurrent claimers pass each other's locked rows.
	skipLocked string
	// positional rewrites ? placeholders as $1, $2, ...
	positional bool
}

var dialects = map[Dialect]dialect{
	SQLite: {
		kind:      SQLite,
		maxParams: 32766,
		batchRows: 32,
		identity:  "INTEGER PRIMARY KEY AUTOINCREMENT",
	},
	Postgres: {
		kind:       Postgres,
		maxParams:  65535,
		batchRows:  5000,
		identity:   "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
		forUpdate:  " FOR UPDATE",
		skipLocked: " FOR UPDATE SKIP LOCKED",
		positional: true,
	},
}

// q rewrites a query written with ? placeholders for the dialect.
func (d dialect) q(query string) string {
	if !d.positional {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// nextSeqs reserves n increasing history sequence numbers inside tx.
//
// stmts are the Store's statements prepared at Open (the SQLite counter
// update is one of them).
func (d dialect) nextSeqs(ctx context.Context, tx *sql.Tx, stmts map[string]*sql.Stmt, n int) ([]int64, error) {
	out := make([]int64, 0, n)
	if n == 0 {
		return out, nil
	}
	if d.kind == SQLite {
		// Writes are serialised, so a counter row costs no contention.
		var last int64
		err := queryRowTx(ctx, tx, stmts[sqliteSeqSQL], sqliteSeqSQL, n).Scan(&last)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: history sequence: %w", err)
		}
		for i := range int64(n) {
			out = append(out, last-int64(n)+1+i)
		}
		return out, nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT nextval('herald_history_seq') FROM generate_series(1, $1)", n)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: history sequence: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// sqliteSeqSQL reserves n history sequence numbers on SQLite.
const sqliteSeqSQL = "UPDATE herald_counters SET value = value + ? WHERE name = 'history' RETURNING value"

// queryRowTx runs a one-row query inside tx through st (prepared at Open)
// when there is one, bound to tx's connection, or as plain text.
func queryRowTx(ctx context.Context, tx *sql.Tx, st *sql.Stmt, query string, args ...any) *sql.Row {
	if st == nil {
		return tx.QueryRowContext(ctx, query, args...)
	}
	return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
}
