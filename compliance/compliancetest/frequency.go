package compliancetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/heraldsms/herald/compliance"
)

// TestFrequencyStore checks that a FrequencyStore counts the sends to one
// number after a time (strictly after Since), narrowed by topic, kinds and
// body hash, reports the oldest matching send, is safe for concurrent use
// and honours a canceled context. newStore must return an empty store for
// each call; the suite's sends fall within one day, so a store keeping
// sends at least that long passes.
func TestFrequencyStore(t *testing.T, newStore func(t *testing.T) compliance.FrequencyStore) {
	t0 := time.Date(2025, 4, 11, 15, 0, 0, 0, time.UTC)
	const num, other = "+14155552671", "+14155550000"
	ctx := context.Background()
	record := func(t *testing.T, s compliance.FrequencyStore, rs ...compliance.SendRecord) {
		t.Helper()
		for _, r := range rs {
			if err := s.RecordSend(ctx, r); err != nil {
				t.Fatalf("RecordSend(%+v): %v", r, err)
			}
		}
	}
	count := func(t *testing.T, s compliance.FrequencyStore, q compliance.SendQuery) compliance.SendTally {
		t.Helper()
		tally, err := s.CountSends(ctx, q)
		if err != nil {
			t.Fatalf("CountSends(%+v): %v", q, err)
		}
		return tally
	}
	check := func(t *testing.T, what string, got compliance.SendTally, count int, oldest time.Time) {
		t.Helper()
		if got.Count != count || !got.Oldest.Equal(oldest) {
			t.Errorf("%s: %d sends, oldest %v; want %d, oldest %v", what, got.Count, got.Oldest, count, oldest)
		}
	}

	t.Run("Empty", func(t *testing.T) {
		s := newStore(t)
		check(t, "no sends", count(t, s, compliance.SendQuery{To: num}), 0, time.Time{})
	})

	t.Run("SinceIsExclusive", func(t *testing.T) {
		s := newStore(t)
		record(t, s,
			compliance.SendRecord{To: num, At: t0},
			compliance.SendRecord{To: num, At: t0.Add(time.Hour)},
			compliance.SendRecord{To: num, At: t0.Add(2 * time.Hour)},
			compliance.SendRecord{To: other, At: t0.Add(time.Hour)},
		)
		check(t, "since before all", count(t, s, compliance.SendQuery{To: num, Since: t0.Add(-time.Nanosecond)}), 3, t0)
		check(t, "since the first", count(t, s, compliance.SendQuery{To: num, Since: t0}), 2, t0.Add(time.Hour))
		check(t, "since the last", count(t, s, compliance.SendQuery{To: num, Since: t0.Add(2 * time.Hour)}), 0, time.Time{})
		check(t, "zero since", count(t, s, compliance.SendQuery{To: num}), 3, t0)
		check(t, "other number", count(t, s, compliance.SendQuery{To: other}), 1, t0.Add(time.Hour))
		check(t, "unknown number", count(t, s, compliance.SendQuery{To: "+14155559999"}), 0, time.Time{})
	})

	t.Run("OutOfOrder", func(t *testing.T) {
		s := newStore(t)
		record(t, s,
			compliance.SendRecord{To: num, At: t0.Add(3 * time.Hour)},
			compliance.SendRecord{To: num, At: t0.Add(time.Hour)},
			compliance.SendRecord{To: num, At: t0.Add(2 * time.Hour)},
		)
		check(t, "oldest of three", count(t, s, compliance.SendQuery{To: num}), 3, t0.Add(time.Hour))
	})

	t.Run("Filters", func(t *testing.T) {
		s := newStore(t)
		h1, h2 := compliance.BodyHash("Your order shipped"), compliance.BodyHash("Sale today")
		record(t, s,
			compliance.SendRecord{To: num, Topic: "orders", Kind: compliance.Service, BodyHash: h1, At: t0},
			compliance.SendRecord{To: num, Topic: "promos", Kind: compliance.Marketing, BodyHash: h2, At: t0.Add(time.Minute)},
			compliance.SendRecord{To: num, Topic: "promos", Kind: compliance.Marketing, BodyHash: h2, At: t0.Add(2 * time.Minute)},
			compliance.SendRecord{To: num, Topic: "", Kind: compliance.Service, BodyHash: h1, At: t0.Add(3 * time.Minute)},
		)
		for _, c := range []struct {
			what   string
			q      compliance.SendQuery
			count  int
			oldest time.Time
		}{
			{"every send", compliance.SendQuery{To: num}, 4, t0},
			{"topic promos", compliance.SendQuery{To: num, Topic: "promos", MatchTopic: true}, 2, t0.Add(time.Minute)},
			{"default topic", compliance.SendQuery{To: num, Topic: "", MatchTopic: true}, 1, t0.Add(3 * time.Minute)},
			{"topic ignored unless matched", compliance.SendQuery{To: num, Topic: "promos"}, 4, t0},
			{"marketing only", compliance.SendQuery{To: num, Kinds: compliance.MarketingOnly}, 2, t0.Add(time.Minute)},
			{"service only", compliance.SendQuery{To: num, Kinds: compliance.ServiceOnly}, 2, t0},
			{"all kinds", compliance.SendQuery{To: num, Kinds: compliance.AllKinds}, 4, t0},
			{"body h1", compliance.SendQuery{To: num, BodyHash: h1, MatchBody: true}, 2, t0},
			{"body h2 since", compliance.SendQuery{To: num, Since: t0.Add(time.Minute), BodyHash: h2, MatchBody: true}, 1, t0.Add(2 * time.Minute)},
			{"body ignored unless matched", compliance.SendQuery{To: num, BodyHash: h2}, 4, t0},
			{"zero body hash", compliance.SendQuery{To: num, MatchBody: true}, 0, time.Time{}},
			{"topic and kind", compliance.SendQuery{To: num, Topic: "orders", MatchTopic: true, Kinds: compliance.MarketingOnly}, 0, time.Time{}},
		} {
			check(t, c.what, count(t, s, c.q), c.count, c.oldest)
		}
	})

	t.Run("HighBodyHash", func(t *testing.T) {
		// Hashes with the top bit set must round-trip through stores that
		// keep them as signed 64-bit integers.
		s := newStore(t)
		const high = uint64(1)<<63 | 12345
		record(t, s, compliance.SendRecord{To: num, BodyHash: high, At: t0}, compliance.SendRecord{To: num, BodyHash: 12345, At: t0})
		check(t, "high hash", count(t, s, compliance.SendQuery{To: num, BodyHash: high, MatchBody: true}), 1, t0)
	})

	t.Run("Concurrent", func(t *testing.T) {
		s := newStore(t)
		const workers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					at := t0.Add(time.Duration(w*each+i) * time.Second)
					if err := s.RecordSend(ctx, compliance.SendRecord{To: num, Topic: fmt.Sprint(w % 2), At: at}); err != nil {
						errs <- err
						return
					}
					if _, err := s.CountSends(ctx, compliance.SendQuery{To: num}); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		check(t, "after concurrent sends", count(t, s, compliance.SendQuery{To: num}), workers*each, t0)
		check(t, "topic 1", count(t, s, compliance.SendQuery{To: num, Topic: "1", MatchTopic: true}), workers/2*each, t0.Add(each*time.Second))
	})

	t.Run("CanceledContext", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.RecordSend(cctx, compliance.SendRecord{To: num, At: t0}); !errors.Is(err, context.Canceled) {
			t.Errorf("RecordSend with a canceled context: %v, want context.Canceled", err)
		}
		if _, err := s.CountSends(cctx, compliance.SendQuery{To: num}); !errors.Is(err, context.Canceled) {
			t.Errorf("CountSends with a canceled context: %v, want context.Canceled", err)
		}
		check(t, "after a canceled send", count(t, s, compliance.SendQuery{To: num}), 0, time.Time{})
	})
}
