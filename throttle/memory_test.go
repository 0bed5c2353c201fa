package throttle_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldsms/herald/throttle"
	"github.com/heraldsms/herald/throttle/throttletest"
)

func TestMemoryStoreConformance(t *testing.T) {
	throttletest.TestStore(t, func(*testing.T) throttle.Store { return throttle.NewMemoryStore() })
}

func TestMemoryStoreEvictsOnlyFullKeys(t *testing.T) {
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s := throttle.NewMemoryStore(throttle.WithSweepInterval(time.Minute))
	perSec := throttle.PerSecond(1)
	slow := throttle.Per(1, time.Hour)
	for i := range 1000 {
		if _, err := s.AllowNAt(t0, fmt.Sprintf("fast%d", i), perSec, 1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AllowNAt(t0, "slow", slow, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AllowNAt(t0, "quota", throttle.Quota(5, 2*time.Hour), 1); err != nil {
		t.Fatal(err)
	}
	if got := s.Len(); got != 1002 {
		t.Fatalf("Len = %d, want 1002", got)
	}
	// Two minutes later every per-second key is full again: new keys sweep
	// them away, but not the hourly key still refilling or the open quota.
	t1 := t0.Add(2 * time.Minute)
	for i := range 640 { // ten per shard on average: every shard sweeps
		if _, err := s.AllowNAt(t1, fmt.Sprintf("new%d", i), perSec, 1); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Len(); got != 642 {
		t.Fatalf("Len = %d after the sweep, want the 1000 idle keys gone", got)
	}
	if r, _ := s.AllowNAt(t1, "slow", slow, 1); r.Allowed {
		t.Fatalf("hourly key lost its state to eviction: %+v", r)
	}
	if r, _ := s.AllowNAt(t1, "quota", throttle.Quota(5, 2*time.Hour), 5); r.Allowed {
		t.Fatalf("quota lost its state to eviction: %+v", r)
	}
}

func TestMemoryStoreLimitChanges(t *testing.T) {
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s := throttle.NewMemoryStore()
	if r, _ := s.AllowNAt(t0, "k", throttle.PerSecond(1), 1); !r.Allowed {
		t.Fatal("first event denied")
	}
	// Raised to 10/s: the next event is due after 100 ms, not 1 s.
	r, _ := s.AllowNAt(t0, "k", throttle.PerSecond(10), 1)
	if r.Allowed || r.RetryAfter != 100*time.Millisecond {
		t.Fatalf("after raising the rate: %+v, want denied with RetryAfter 100ms", r)
	}
	// Switching a key between quota and rate starts it afresh.
	if r, _ := s.AllowNAt(t0, "k", throttle.Quota(2, time.Hour), 2); !r.Allowed {
		t.Fatalf("quota on a rate key: %+v", r)
	}
}

func TestMemoryStoreUsesClock(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s := throttle.NewMemoryStore(throttle.WithClock(func() time.Time { return now }))
	ctx := context.Background()
	l := throttle.Per(1, time.Minute)
	s.AllowN(ctx, "k", l, 1)
	if r, _ := s.AllowN(ctx, "k", l, 1); r.Allowed {
		t.Fatal("admitted twice in the same instant")
	}
	now = now.Add(time.Minute)
	if r, _ := s.AllowN(ctx, "k", l, 1); !r.Allowed {
		t.Fatal("denied a minute later")
	}
}

func BenchmarkMemoryAllowNExistingKey(b *testing.B) {
	s := throttle.NewMemoryStore()
	ctx := context.Background()
	l := throttle.Limit{Rate: 1e9, Burst: 1 << 30, Period: time.Second}
	s.AllowN(ctx, "sender:+14155550100", l, 1)
	b.ReportAllocs()
	for b.Loop() {
		s.AllowN(ctx, "sender:+14155550100", l, 1)
	}
}

// BenchmarkMemoryAllowNAtExistingKey is the same without reading the clock.
func BenchmarkMemoryAllowNAtExistingKey(b *testing.B) {
	s := throttle.NewMemoryStore()
	l := throttle.Limit{Rate: 1e9, Burst: 1 << 30, Period: time.Second}
	t := time.Now()
	s.AllowNAt(t, "sender:+14155550100", l, 1)
	b.ReportAllocs()
	for b.Loop() {
		s.AllowNAt(t, "sender:+14155550100", l, 1)
	}
}

func BenchmarkTimeNow(b *testing.B) {
	for b.Loop() {
		time.Now()
	}
}

func BenchmarkMemoryAllowNParallel10000Keys(b *testing.B) {
	s := throttle.NewMemoryStore()
	ctx := context.Background()
	l := throttle.Limit{Rate: 1e9, Burst: 1 << 30, Period: time.Second}
	keys := make([]string, 10000)
	for i := range keys {
		keys[i] = fmt.Sprintf("sender:+1415555%04d", i)
		s.AllowN(ctx, keys[i], l, 1)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var seq atomic.Uint64
	b.RunParallel(func(pb *testing.PB) {
		i := int(seq.Add(7919))
		for pb.Next() {
			i = (i + 1) % len(keys)
			s.AllowN(ctx, keys[i], l, 1)
		}
	})
}
