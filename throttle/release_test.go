package throttle

import (
	"context"
	"strconv"
	"testing"
	"testing/synctest"
	"time"
)

func TestGateBound(t *testing.T) {
	for _, tc := range []struct {
		limit Limit
		n     int
		want  int
		gated bool
	}{
		{PerSecond(100).WithBurst(3), 1, 103, true},
		{PerSecond(100).WithBurst(3), 5, 105, true},
		{PerSecond(10), 1, 11, true},
		{Per(10, 5*time.Minute), 3, 13, true},
		{Limit{Rate: 2.5, Burst: 1}, 1, 4, true},
		{Inf, 1, 0, false},
		{Quota(1000, 24*time.Hour), 1, 0, false},
		{PerSecond(1e6), 1, 0, false}, // beyond maxGated
	} {
		got, gated := gateBound(tc.limit, tc.n)
		if got != tc.want || gated != tc.gated {
			t.Errorf("gateBound(%v, %d) = %d, %v; want %d, %v", tc.limit, tc.n, got, gated, tc.want, tc.gated)
		}
	}
}

// TestGateHoldsBackUntilTheWindowHasRoom: a window of one Period that holds
// the bound lets nothing more out until enough of its oldest releases leave
// it, and says exactly when that is.
func TestGateHoldsBackUntilTheWindowHasRoom(t *testing.T) {
	var g gate
	keys := []Key{{Name: "k", Limit: PerSecond(10)}} // bound 11 for single segments
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for i := range 11 {
		if wait := g.admit(t0.Add(time.Duration(i)*10*time.Millisecond), keys, 1); wait != 0 {
			t.Fatalf("release %d held %v in a window with room", i, wait)
		}
	}
	now := t0.Add(500 * time.Millisecond)
	if wait := g.admit(now, keys, 1); wait != 500*time.Millisecond {
		t.Fatalf("12th release in the window: wait %v, want 500ms (until the first leaves)", wait)
	}
	// A 2-segment send's bound is one higher (B is the larger of Burst
	// and n): it too needs only the oldest gone.
	if wait := g.admit(now, keys, 2); wait != 500*time.Millisecond {
		t.Fatalf("2 segments: wait %v, want 500ms", wait)
	}
	// With burst 3 the bound is 13 for sends of up to 3 segments: in a
	// full window, 3 segments need the three oldest gone.
	b3 := []Key{{Name: "b3", Limit: PerSecond(10).WithBurst(3)}}
	for i := range 13 {
		if wait := g.admit(t0.Add(time.Duration(i)*10*time.Millisecond), b3, 1); wait != 0 {
			t.Fatalf("burst 3: release %d held %v", i, wait)
		}
	}
	if wait := g.admit(now, b3, 3); wait != 520*time.Millisecond {
		t.Fatalf("burst 3, 3 segments: wait %v, want 520ms", wait)
	}
	// Half-open window: the first release leaves exactly one Period after it.
	if wait := g.admit(t0.Add(time.Second), keys, 1); wait != 0 {
		t.Fatalf("at t0+1s: wait %v, want 0", wait)
	}
	// Another key has its own window; an unlimited key is not held.
	if wait := g.admit(now, []Key{{Name: "other", Limit: PerSecond(10)}, {Name: "inf", Limit: Inf}}, 1); wait != 0 {
		t.Fatalf("other key held %v", wait)
	}
	// A send charged on both keys waits for the fuller one.
	if wait := g.admit(t0.Add(time.Second), []Key{{Name: "other", Limit: PerSecond(10)}, keys[0]}, 1); wait != 10*time.Millisecond {
		t.Fatalf("two keys: wait %v, want 10ms", wait)
	}
}

// TestGateForgetsIdleKeys: a Limiter over many short-lived keys (one per
// campaign, per day) does not keep their windows.
func TestGateForgetsIdleKeys(t *testing.T) {
	var g gate
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for i := range 1000 {
		g.admit(t0, []Key{{Name: "campaign:" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Limit: PerSecond(1)}}, 1)
	}
	if n := logCount(&g); n != 1000 {
		t.Fatalf("%d logs, want 1000", n)
	}
	g.admit(t0.Add(sweepEvery+time.Second), []Key{{Name: "live", Limit: PerSecond(1)}}, 1)
	// Each shard sweeps when it is next used: use them all.
	hit := map[*gateShard]bool{}
	live := 1
	for i := 0; len(hit) < gateShards; i++ {
		name := "live:" + strconv.Itoa(i)
		hit[g.shard(name)] = true
		g.admit(t0.Add(sweepEvery+time.Second), []Key{{Name: name, Limit: PerSecond(1)}}, 1)
		live++
	}
	if n := logCount(&g); n != live {
		t.Fatalf("%d logs a minute later, want %d (the live keys)", n, live)
	}
}

// TestAllowRespectsTheReleaseWindow: Allow does not let a send out into a
// window late waiters just filled, and gives its reservation back.
func TestAllowRespectsTheReleaseWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		store := NewMemoryStore()
		l := NewLimiter(store)
		keys := []Key{{Name: "k", Limit: PerSecond(10)}}
		// Late waiters let 11 out just now (the store saw them due over
		// the last second).
		l.gate.note(time.Now(), keys, 11)
		time.Sleep(100 * time.Millisecond)
		res, err := l.Allow(ctx, keys, 1)
		if err != nil {
			t.Fatal(err)
		}
		if res.Allowed || res.RetryAfter != 900*time.Millisecond {
			t.Fatalf("Allow into a full window = %+v, want denied with RetryAfter 900ms", res)
		}
		// The store was not charged: once the window empties, the burst
		// is whole.
		time.Sleep(900 * time.Millisecond)
		if res, err := l.Allow(ctx, keys, 1); err != nil || !res.Allowed {
			t.Fatalf("Allow after the window emptied = %+v, %v", res, err)
		}
		if r, err := store.AllowN(ctx, "k", keys[0].Limit, 1); err != nil || r.Allowed {
			t.Fatalf("store after one Allow: %+v, %v; want the one-event burst used", r, err)
		}
	})
}

func logCount(g *gate) int {
	n := 0
	for i := range g.shards {
		n += len(g.shards[i].logs)
	}
	return n
}
