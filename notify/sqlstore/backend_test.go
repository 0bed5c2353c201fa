package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/heraldsms/herald/notify/sqlstore"
)

// backend is one database a test runs on: SQLite or PostgreSQL.
type backend struct {
	name    string
	dialect sqlstore.Dialect
	driver  string
	// newDSN returns the DSN of a new, empty database (a SQLite file in
	// t's temporary directory, or a PostgreSQL schema dropped when t ends).
	newDSN func(t testing.TB) string
}

// backends are SQLite and PostgreSQL, the server named by
// HERALD_POSTGRES_DSN (scripts/test.sh starts a throwaway one).
var backends = []backend{
	{name: "SQLite", dialect: sqlstore.SQLite, driver: "sqlite", newDSN: func(t testing.TB) string {
		return sqlstore.SQLiteDSN(filepath.Join(t.TempDir(), "herald.db"))
	}},
	{name: "Postgres", dialect: sqlstore.Postgres, driver: "pgx", newDSN: postgresDSN},
}

// forEachBackend runs f as a subtest on each backend.
func forEachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { f(t, b) })
	}
}

// openDB opens dsn; the *sql.DB is closed when t ends.
func (b backend) openDB(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(b.driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// open opens a Store on db.
func (b backend) open(t testing.TB, db *sql.DB, opts ...sqlstore.Option) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), db, b.dialect, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var schemaSeq atomic.Int64

// postgresDSN returns a DSN for a new, empty schema of the server named by
// HERALD_POSTGRES_DSN; the schema is dropped when t ends.
func postgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("HERALD_POSTGRES_DSN")
	if dsn == "" {
		t.Fatal("HERALD_POSTGRES_DSN is not set: run these tests with `make test`, which starts a throwaway PostgreSQL")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("sqlstore_test_%d_%d", os.Getpid(), schemaSeq.Add(1))
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	if strings.Contains(dsn, "://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("HERALD_POSTGRES_DSN: %v", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}
