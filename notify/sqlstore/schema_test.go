package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/sqlstore"
)

func TestOpenTwiceKeepsData(t *testing.T) {
	s, path := openSQLite(t)
	ctx := context.Background()
	if err := s.PutTopic(ctx, notify.Topic{Account: "a", Name: "alerts", Title: "Alerts"}); err != nil {
		t.Fatal(err)
	}
	again := openSQLiteFile(t, path)
	got, err := again.Topic(ctx, "a", "alerts")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Alerts" {
		t.Errorf("topic after reopening: %+v", got)
	}
}

func TestOpenConcurrentMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "herald.db")
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		db, err := sql.Open("sqlite", sqlstore.SQLiteDSN(path))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		wg.Go(func() {
			_, err := sqlstore.Open(context.Background(), db, sqlstore.SQLite)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Open: %v", err)
		}
	}
}

func TestOpenUnknownDialect(t *testing.T) {
	db, err := sql.Open("sqlite", sqlstore.SQLiteDSN(filepath.Join(t.TempDir(), "x.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := sqlstore.Open(context.Background(), db, sqlstore.Dialect(9)); !errors.Is(err, sqlstore.ErrDialect) {
		t.Errorf("Open with dialect 9: %v, want ErrDialect", err)
	}
}
