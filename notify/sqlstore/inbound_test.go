package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify/sqlstore"
)

// TestRecordInbound checks that RecordInbound reports a provider's message
// ID as new exactly once, across Stores sharing the database, racing
// callers and a reopen.
func TestRecordInbound(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
		dsn := b.newDSN(t)
		firstDB := b.openDB(t, dsn)
		a, c := b.open(t, firstDB), b.open(t, b.openDB(t, dsn))
		expect := func(s *sqlstore.Store, prov, id string, want bool) {
			t.Helper()
			first, err := s.RecordInbound(ctx, prov, id, t0)
			if err != nil {
				t.Fatal(err)
			}
			if first != want {
				t.Errorf("RecordInbound(%s, %s) = %v, want %v", prov, id, first, want)
			}
		}
		expect(a, "twilio", "SM1", true)
		expect(a, "twilio", "SM1", false)
		expect(c, "twilio", "SM1", false) // another instance
		expect(c, "telnyx", "SM1", true)  // another provider's ID space
		expect(a, "twilio", "SM2", true)

		// Racing callers for one new ID: exactly one is first.
		var firsts atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			s := a
			if i%2 == 1 {
				s = c
			}
			wg.Go(func() {
				first, err := s.RecordInbound(ctx, "twilio", "SM3", t0)
				if err != nil {
					t.Error(err)
				}
				if first {
					firsts.Add(1)
				}
			})
		}
		wg.Wait()
		if n := firsts.Load(); n != 1 {
			t.Errorf("%d racing callers were told SM3 is new, want 1", n)
		}

		if err := firstDB.Close(); err != nil {
			t.Fatal(err)
		}
		reopened := b.open(t, b.openDB(t, dsn))
		expect(reopened, "twilio", "SM1", false)
		expect(reopened, "twilio", "SM3", false)
		expect(reopened, "twilio", "SM4", true)
	})
}

// TestInboundRetention checks that IDs older than the retention are swept
// as new ones arrive, and that pinned IDs (opt-in and opt-out changes)
// never are.
func TestInboundRetention(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
		db := b.openDB(t, b.newDSN(t))
		s := b.open(t, db, sqlstore.WithInboundRetention(24*time.Hour))
		record := func(id string, at time.Time) bool {
			t.Helper()
			first, err := s.RecordInbound(ctx, "twilio", id, at)
			if err != nil {
				t.Fatal(err)
			}
			return first
		}
		record("old", t0)
		record("stop", t0)
		if err := s.PinInbound(ctx, "twilio", "stop"); err != nil {
			t.Fatal(err)
		}
		// Pinning an ID not yet recorded records it for good.
		if err := s.PinInbound(ctx, "twilio", "start"); err != nil {
			t.Fatal(err)
		}
		record("recent", t0.Add(30*time.Hour))
		later := t0.Add(48 * time.Hour)
		for i := range 2 * sqlstore.SweepEvery {
			record(fmt.Sprintf("new%d", i), later)
		}
		if !record("old", later) {
			t.Error("an ID past the retention is still remembered")
		}
		for _, id := range []string{"stop", "start", "recent"} {
			if record(id, later) {
				t.Errorf("%s was forgotten", id)
			}
		}
		var rows int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM herald_inbound").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if want := 2*sqlstore.SweepEvery + 4; rows != want {
			t.Errorf("herald_inbound holds %d rows, want %d", rows, want)
		}
	})
}
