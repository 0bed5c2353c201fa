package redisstore_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldsms/herald/throttle"
	"github.com/heraldsms/herald/throttle/redisstore"
	"github.com/heraldsms/herald/throttle/throttletest"
	"github.com/redis/go-redis/v9"
)

// redisAddr returns the test server's address, failing (never skipping)
// when the test command did not provide one.
func redisAddr(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("HERALD_REDIS_ADDR")
	if addr == "" {
		t.Fatal("HERALD_REDIS_ADDR is not set: run the tests with `make test`, which starts a throwaway redis-server on 127.0.0.1 and sets it")
	}
	return addr
}

func newClient(t testing.TB) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: redisAddr(t)})
	t.Cleanup(func() { c.Close() })
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("redis at %s: %v (run `make test`)", redisAddr(t), err)
	}
	return c
}

// testPrefix gives every test its own key space on the shared server.
func testPrefix(t testing.TB) string {
	return fmt.Sprintf("herald-test:%s:%d:", strings.ReplaceAll(t.Name(), "/", "."), time.Now().UnixNano())
}

func TestConformance(t *testing.T) {
	c := newClient(t)
	throttletest.TestStore(t, func(t *testing.T) throttle.Store {
		return redisstore.New(c, redisstore.WithPrefix(testPrefix(t)))
	})
}

func TestKeysExpire(t *testing.T) {
	c := newClient(t)
	prefix := testPrefix(t)
	s := redisstore.New(c, redisstore.WithPrefix(prefix))
	ctx := context.Background()
	if _, err := s.AllowN(ctx, "ttl", throttle.Limit{Rate: 1, Burst: 5, Period: time.Hour}, 2); err != nil {
		t.Fatal(err)
	}
	ttl, err := c.PTTL(ctx, prefix+"ttl").Result()
	if err != nil {
		t.Fatal(err)
	}
	// Two events at one per hour: full again in 2 h.
	if ttl <= 119*time.Minute || ttl > 2*time.Hour {
		t.Errorf("TTL = %v, want about 2h (until the key is full again)", ttl)
	}
	if _, err := s.AllowN(ctx, "quota", throttle.Quota(5, time.Minute), 1); err != nil {
		t.Fatal(err)
	}
	if ttl, err := c.PTTL(ctx, prefix+"quota").Result(); err != nil || ttl <= 59*time.Second || ttl > time.Minute {
		t.Errorf("quota TTL = %v, %v; want about 1m (the window)", ttl, err)
	}
}

func TestErrorsNameKeyMasked(t *testing.T) {
	s := redisstore.New(redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1}))
	_, err := s.AllowN(context.Background(), "sender:+14155550671", throttle.PerSecond(1), 1)
	if err == nil || !strings.Contains(err.Error(), "sender:+1415****671") {
		t.Fatalf("err = %v, want it to name the masked key", err)
	}
}

// TestFourClientsShareOneLimit hammers one key from four independent clients
// (separate connection pools, as four app instances would have) and checks
// the aggregate admitted never exceeds burst + rate × elapsed.
func TestFourClientsShareOneLimit(t *testing.T) {
	addr := redisAddr(t)
	prefix := testPrefix(t)
	limit := throttle.Limit{Rate: 100, Burst: 10, Period: time.Second}
	const (
		clients = 4
		window  = 600 * time.Millisecond
	)
	var (
		admitted atomic.Int64
		calls    atomic.Int64
		wg       sync.WaitGroup
	)
	start := time.Now()
	for range clients {
		c := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { c.Close() })
		s := redisstore.New(c, redisstore.WithPrefix(prefix))
		wg.Go(func() {
			for i := 0; i < 20000 && time.Since(start) < window; i++ {
				r, err := s.AllowN(context.Background(), "shared", limit, 1)
				if err != nil {
					t.Error(err)
					return
				}
				calls.Add(1)
				if r.Allowed {
					admitted.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	ceiling := int64(limit.Burst) + int64(limit.PerSecondRate()*elapsed.Seconds())
	got := admitted.Load()
	t.Logf("%d clients, %d calls in %v: admitted %d, ceiling %d", clients, calls.Load(), elapsed, got, ceiling)
	if got > ceiling {
		t.Fatalf("admitted %d > burst + rate×elapsed = %d", got, ceiling)
	}
	// The limit is shared, not per client: four separate limits would
	// admit about four times as much. It is also not starved.
	if floor := int64(limit.PerSecondRate() * window.Seconds() * 0.8); got < floor {
		t.Fatalf("admitted %d < %d: the key was starved", got, floor)
	}
	if calls.Load() < 2*got {
		t.Fatalf("only %d calls for %d admitted: the clients did not hammer the key", calls.Load(), got)
	}
}

func BenchmarkAllowN(b *testing.B) {
	c := newClient(b)
	s := redisstore.New(c, redisstore.WithPrefix(testPrefix(b)))
	ctx := context.Background()
	l := throttle.Limit{Rate: 1e6, Burst: 1 << 20, Period: time.Second}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.AllowN(ctx, "bench", l, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAllowNParallel(b *testing.B) {
	c := newClient(b)
	s := redisstore.New(c, redisstore.WithPrefix(testPrefix(b)))
	ctx := context.Background()
	l := throttle.Limit{Rate: 1e6, Burst: 1 << 20, Period: time.Second}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.AllowN(ctx, "bench", l, 1); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkAdmittedUnderContention is throttletest.BenchmarkContention over
// Redis: instances' waiters reserve on the server. Run with -benchtime=1x.
func BenchmarkAdmittedUnderContention(b *testing.B) {
	c := newClient(b)
	throttletest.BenchmarkContention(b, func(tb testing.TB) throttle.Store {
		return redisstore.New(c, redisstore.WithPrefix(testPrefix(tb)))
	})
}
