package integration

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/compliance/compliancetest"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/notifytest"
	"github.com/heraldsms/herald/notify/sqlstore"
)

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
	schema := fmt.Sprintf("herald_test_%d_%d", os.Getpid(), schemaSeq.Add(1))
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

// openDB opens dsn with pgx; it is closed when t ends.
func openDB(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openStore opens a Store on dsn.
func openStore(t testing.TB, dsn string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), openDB(t, dsn), sqlstore.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPostgresStore(t *testing.T) {
	notifytest.TestStore(t, func(t *testing.T) notify.Store { return openStore(t, postgresDSN(t)) })
}

func TestPostgresConsentStore(t *testing.T) {
	compliancetest.TestConsentStore(t, func(t *testing.T) compliance.ConsentStore { return openStore(t, postgresDSN(t)) })
}

func TestPostgresConcurrentMigrations(t *testing.T) {
	dsn := postgresDSN(t)
	errs := make(chan error, 4)
	for range 4 {
		db := openDB(t, dsn)
		go func() {
			_, err := sqlstore.Open(context.Background(), db, sqlstore.Postgres)
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent Open: %v", err)
		}
	}
}
