package compliance

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestMemoryFrequencyStoreForgetsNumbersPastRetention(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryFrequencyStore(24 * time.Hour)
	t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
	const old = 1000
	recordNumbers(t, s, "415", old, t0)
	if n := s.Len(); n != old {
		t.Fatalf("holds %d numbers after the first day, want %d", n, old)
	}
	// Two days later other numbers are texted; the first day's numbers
	// are never texted again and must not stay for good.
	later := t0.Add(48 * time.Hour)
	// Enough sends that every shard records well over sweepEvery of them
	// (about 6,000 each, whatever the hash seed) and so sweeps.
	recent := 3 * sendShards * sweepEvery / 2
	recordNumbers(t, s, "212", recent, later)
	if n := s.Len(); n != recent {
		t.Errorf("holds %d numbers, want the %d texted within the retention", n, recent)
	}
	// A number still inside the retention keeps its sends through sweeps.
	tally, err := s.CountSends(ctx, SendQuery{To: "+12120000001", Since: later.Add(-time.Hour)})
	if err != nil || tally.Count != 1 {
		t.Errorf("recent number: %+v, %v; want its one send", tally, err)
	}
	tally, err = s.CountSends(ctx, SendQuery{To: "+14150000001", Since: t0.Add(-time.Hour)})
	if err != nil || tally.Count != 0 {
		t.Errorf("forgotten number: %+v, %v; want no sends", tally, err)
	}
}

// TestMemoryFrequencyStoreOtherNumbers checks numbers that are not E.164
// (kept apart from the E.164 ones): counted, kept apart from an E.164
// number with the same digits, and forgotten past the retention.
func TestMemoryFrequencyStoreOtherNumbers(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryFrequencyStore(24 * time.Hour)
	t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
	for _, to := range []string{"14155550100", "14155550100", "+14155550100", "55555"} {
		if err := s.RecordSend(ctx, SendRecord{To: to, At: t0}); err != nil {
			t.Fatal(err)
		}
	}
	for to, want := range map[string]int{"14155550100": 2, "+14155550100": 1, "55555": 1, "+15555": 0} {
		tally, err := s.CountSends(ctx, SendQuery{To: to, Since: t0.Add(-time.Hour)})
		if err != nil || tally.Count != want {
			t.Errorf("%q: %d sends, %v; want %d", to, tally.Count, err, want)
		}
	}
	if n := s.Len(); n != 3 {
		t.Errorf("holds %d numbers, want 3", n)
	}
	later := t0.Add(48 * time.Hour)
	recordNumbers(t, s, "212", 3*sendShards*sweepEvery/2, later)
	for _, to := range []string{"14155550100", "55555"} {
		if tally, _ := s.CountSends(ctx, SendQuery{To: to, Since: t0.Add(-time.Hour)}); tally.Count != 0 {
			t.Errorf("%q still has %d sends past the retention", to, tally.Count)
		}
	}
}

// TestMemoryFrequencyStoreSweepsInTurn checks that the store keeps
// forgetting numbers as each batch's expire: a sweep skipped while nothing
// could expire must start again once something can, including numbers
// recorded out of time order.
func TestMemoryFrequencyStoreSweepsInTurn(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryFrequencyStore(24 * time.Hour)
	t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
	day := func(hours int, prefix string, n int) {
		t.Helper()
		for i := range n {
			at := t0.Add(time.Duration(hours) * time.Hour)
			if i%2 == 1 {
				at = at.Add(-time.Hour) // out of order within the day
			}
			if err := s.RecordSend(ctx, SendRecord{To: fmt.Sprintf("+1%s%07d", prefix, i), At: at}); err != nil {
				t.Fatal(err)
			}
		}
	}
	many := 3 * sendShards * sweepEvery / 2
	day(0, "415", 1000)
	day(20, "646", 1000) // hour 0's numbers are still inside the retention
	if n := s.Len(); n != 2000 {
		t.Fatalf("after hour 20: %d numbers, want 2000", n)
	}
	day(36, "212", many) // hour 0's expire, hour 20's not
	if n := s.Len(); n != 1000+many {
		t.Fatalf("after hour 36: %d numbers, want %d", n, 1000+many)
	}
	// Hour 20's expire; hour 36's, recorded after the last sweep, do not.
	day(50, "718", many)
	if n := s.Len(); n != 2*many {
		t.Errorf("after hour 50: %d numbers, want the %d of hours 36 and 50", n, 2*many)
	}
}

// TestMemoryFrequencyStoreZeroTime checks that a send recorded at the zero
// time is forgotten like any other.
func TestMemoryFrequencyStoreZeroTime(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryFrequencyStore(24 * time.Hour)
	if err := s.RecordSend(ctx, SendRecord{To: "+14155550100"}); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
	many := 3 * sendShards * sweepEvery / 2
	recordNumbers(t, s, "212", many, t0)
	if n := s.Len(); n != many {
		t.Errorf("holds %d numbers, want the %d texted within the retention", n, many)
	}
}

// recordNumbers records one send at at to each of n numbers +1 prefix
// 0000000, +1 prefix 0000001, ...
func recordNumbers(t *testing.T, s *MemoryFrequencyStore, prefix string, n int, at time.Time) {
	t.Helper()
	for i := range n {
		if err := s.RecordSend(context.Background(), SendRecord{To: fmt.Sprintf("+1%s%07d", prefix, i), At: at}); err != nil {
			t.Fatal(err)
		}
	}
}
