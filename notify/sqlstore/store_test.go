package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/compliance/compliancetest"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/notifytest"
	"github.com/heraldsms/herald/notify/sqlstore"
)

// openSQLite opens a Store on a new SQLite file in t's temporary directory.
func openSQLite(t testing.TB) (*sqlstore.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "herald.db")
	return openSQLiteFile(t, path), path
}

// openSQLiteFile opens a Store on the SQLite file at path; the *sql.DB is
// closed when t ends.
func openSQLiteFile(t testing.TB, path string) *sqlstore.Store {
	t.Helper()
	db, err := sql.Open("sqlite", sqlstore.SQLiteDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(8) // as doc.go advises
	db.SetMaxIdleConns(8)
	t.Cleanup(func() { db.Close() })
	s, err := sqlstore.Open(context.Background(), db, sqlstore.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSQLiteStore(t *testing.T) {
	notifytest.TestStore(t, func(t *testing.T) notify.Store {
		s, _ := openSQLite(t)
		return s
	})
}

func TestSQLiteConsentStore(t *testing.T) {
	compliancetest.TestConsentStore(t, func(t *testing.T) compliance.ConsentStore {
		s, _ := openSQLite(t)
		return s
	})
}
