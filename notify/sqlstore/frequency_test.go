package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/compliance/compliancetest"
	"github.com/heraldsms/herald/notify/sqlstore"
)

var _ compliance.FrequencyStore = (*sqlstore.Store)(nil)

func TestFrequencyStore(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		compliancetest.TestFrequencyStore(t, func(t *testing.T) compliance.FrequencyStore {
			return b.open(t, b.openDB(t, b.newDSN(t)))
		})
	})
}

// TestFrequencySharedAndDurable checks that two Stores (two instances of
// the host) on one database count each other's sends, and that a Store
// opened after the first one's *sql.DB is closed (a restart) still counts
// every earlier send.
func TestFrequencySharedAndDurable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
		const num = "+14155552671"
		dsn := b.newDSN(t)
		firstDB := b.openDB(t, dsn)
		a, c := b.open(t, firstDB), b.open(t, b.openDB(t, dsn))
		h := compliance.BodyHash("Sale today")
		for i, s := range []*sqlstore.Store{a, c, a} {
			r := compliance.SendRecord{To: num, Topic: "promos", Kind: compliance.Marketing, BodyHash: h, At: t0.Add(time.Duration(i) * time.Minute)}
			if err := s.RecordSend(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		q := compliance.SendQuery{To: num, Since: t0.Add(-time.Hour), Topic: "promos", MatchTopic: true, BodyHash: h, MatchBody: true}
		for name, s := range map[string]*sqlstore.Store{"first": a, "second": c} {
			got, err := s.CountSends(ctx, q)
			if err != nil || got.Count != 3 || !got.Oldest.Equal(t0) {
				t.Errorf("%s store: %+v, %v; want 3 sends, oldest %v", name, got, err, t0)
			}
		}
		if err := firstDB.Close(); err != nil {
			t.Fatal(err)
		}
		reopened := b.open(t, b.openDB(t, dsn))
		got, err := reopened.CountSends(ctx, q)
		if err != nil || got.Count != 3 || !got.Oldest.Equal(t0) {
			t.Errorf("after reopening: %+v, %v; want 3 sends, oldest %v", got, err, t0)
		}
	})
}

// TestFrequencyRetention checks that sends older than the retention are
// swept as new sends are recorded, and sends inside it are kept.
func TestFrequencyRetention(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
		db := b.openDB(t, b.newDSN(t))
		s := b.open(t, db, sqlstore.WithSendRetention(24*time.Hour))
		record := func(prefix string, n int, at time.Time) {
			t.Helper()
			for i := range n {
				if err := s.RecordSend(ctx, compliance.SendRecord{To: fmt.Sprintf("+1%s%07d", prefix, i), At: at}); err != nil {
					t.Fatal(err)
				}
			}
		}
		record("415", 300, t0)
		record("646", 10, t0.Add(30*time.Hour)) // inside the retention at hour 48
		later := t0.Add(48 * time.Hour)
		recent := 2 * sqlstore.SweepEvery
		record("212", recent, later)
		count := func(num string) int {
			t.Helper()
			got, err := s.CountSends(ctx, compliance.SendQuery{To: num})
			if err != nil {
				t.Fatal(err)
			}
			return got.Count
		}
		if n := count("+14150000001"); n != 0 {
			t.Errorf("a send past the retention is still counted (%d)", n)
		}
		if n := count("+16460000001"); n != 1 {
			t.Errorf("a send inside the retention: %d, want 1", n)
		}
		var rows int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM herald_sends").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if want := 10 + recent; rows != want {
			t.Errorf("herald_sends holds %d rows, want the %d inside the retention", rows, want)
		}
	})
}
