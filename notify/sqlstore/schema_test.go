package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/heraldsms/herald/compliance"
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

// TestMigrationV8KeepsClaims checks that claims made before schema 8 (no
// lease rows then) are found by Recover after the migration: it writes
// their lease rows.
func TestMigrationV8KeepsClaims(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.openDB(t, b.newDSN(t))
		if err := sqlstore.MigrateTo(ctx, db, b.dialect, 7); err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
		until := t0.Add(time.Minute).UnixNano()
		// Rows 0 and 1 held by A (1 with the provider), 2 free, 3 held by
		// B until a minute later.
		for i, r := range []struct {
			owner   string
			until   int64
			sending int
		}{{"A", until, 0}, {"A", until, 1}, {"", 0, 0}, {"B", until + int64(time.Minute), 0}} {
			_, err := db.ExecContext(ctx, `INSERT INTO herald_messages (id, notification_id, idx, account, topic, given,
				to_num, from_num, body, segments, encoding, outcome, reason, detail, not_before, provider, provider_id, status,
				statuses, attempts, price, metadata, created_at, updated_at, claim_owner, claim_until, sending)
				VALUES ($1, 'n', $2, 'acme', 'alerts', '+14155550001', '+14155550001', '+14155550100', 'hi', 1, 'GSM-7',
				0, '', '', 0, '', '', 0, '', $3, '', '', $4, $4, $5, $6, $3)`,
				fmt.Sprintf("n/%d", i), i, r.sending, t0.UnixNano(), r.owner, r.until)
			if err != nil {
				t.Fatal(err)
			}
		}
		s := b.open(t, db)
		if n, err := s.Recover(ctx, t0.Add(90*time.Second)); err != nil || n != 2 {
			t.Errorf("Recover after A's lease: %d rows (%v), want 2", n, err)
		}
		if n, err := s.Recover(ctx, t0.Add(time.Hour)); err != nil || n != 1 {
			t.Errorf("Recover after B's lease: %d rows (%v), want 1", n, err)
		}
		for i, want := range []notify.Outcome{notify.OutcomePending, notify.OutcomeUnknown, notify.OutcomePending, notify.OutcomePending} {
			m, err := s.Message(ctx, fmt.Sprintf("n/%d", i))
			if err != nil {
				t.Fatal(err)
			}
			if m.Outcome != want {
				t.Errorf("row %d after the migration and Recover: %v, want %v", i, m.Outcome, want)
			}
		}
	})
}

// TestMigrationV9KeepsSends checks that sends recorded before schema 9
// (which drops PostgreSQL's key column of sends) are still counted after
// it, and swept once past the retention.
func TestMigrationV9KeepsSends(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.openDB(t, b.newDSN(t))
		if err := sqlstore.MigrateTo(ctx, db, b.dialect, 8); err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
		for i := range 3 {
			if _, err := db.ExecContext(ctx, `INSERT INTO herald_sends (number, topic, kind, body_hash, at_ns) VALUES ($1, 'alerts', 0, 0, $2)`,
				fmt.Sprintf("+1415555000%d", i), t0.UnixNano()); err != nil {
				t.Fatal(err)
			}
		}
		s := b.open(t, db, sqlstore.WithSendRetention(time.Hour))
		if got, err := s.CountSends(ctx, compliance.SendQuery{To: "+14155550001"}); err != nil || got.Count != 1 {
			t.Errorf("a send recorded before the migration: %d (%v), want 1", got.Count, err)
		}
		for i := range sqlstore.SweepEvery {
			if err := s.RecordSend(ctx, compliance.SendRecord{To: fmt.Sprintf("+1646%07d", i), At: t0.Add(2 * time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.CountSends(ctx, compliance.SendQuery{To: "+14155550001"}); err != nil || got.Count != 0 {
			t.Errorf("a send recorded before the migration, past the retention: %d (%v), want 0 (swept)", got.Count, err)
		}
	})
}
