package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/sqlstore"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

// crashScript is the fake carrier shared by every incarnation of the
// Service: numbers whose index is a multiple of 97 time out ambiguously,
// multiples of 13 are refused (surely not sent) on their first attempt,
// multiples of 101 are refused permanently. It counts provider calls and
// signals crash once the count reaches the armed threshold.
type crashScript struct {
	mu       sync.Mutex
	attempts map[string]int
	calls    atomic.Int64
	armAt    atomic.Int64
	crash    chan struct{}
}

func (c *crashScript) rule(ctx context.Context, m provider.Message) error {
	if n := c.calls.Add(1); n == c.armAt.Load() {
		c.crash <- struct{}{}
	}
	var i int
	fmt.Sscanf(m.To, "+1415%07d", &i)
	i -= 2000000
	c.mu.Lock()
	c.attempts[m.To]++
	first := c.attempts[m.To] == 1
	c.mu.Unlock()
	switch {
	case i%97 == 0:
		return fake.Timeout()
	case i%101 == 0:
		return fake.Permanent(nil, "21610")
	case i%13 == 0 && first:
		return fake.Refused()
	}
	return nil
}

func TestCrashResume(t *testing.T) {
	const total = 10000
	path := filepath.Join(t.TempDir(), "herald.db")
	script := &crashScript{attempts: make(map[string]int), crash: make(chan struct{}, 1)}
	fp := fake.New(fake.WithRule(script.rule))
	defer fp.Close()
	rng := rand.New(rand.NewPCG(8, 8))
	base := time.Date(2026, 3, 2, 19, 0, 0, 0, time.UTC) // late morning in California

	to := make([]string, total)
	for i := range to {
		to[i] = fmt.Sprintf("+1415%07d", 2000000+i)
	}
	var nid string
	for epoch := 0; epoch <= 5; epoch++ {
		db, err := sql.Open("sqlite", sqlstore.SQLiteDSN(path))
		if err != nil {
			t.Fatal(err)
		}
		store, err := sqlstore.Open(context.Background(), db, sqlstore.SQLite)
		if err != nil {
			t.Fatal(err)
		}
		// Each incarnation's clock is past the leases of the previous one, so
		// its start-up Recover finds every claim the crash left behind.
		now := base.Add(time.Duration(epoch) * 10 * time.Minute)
		svc, err := notify.New(fp, notify.WithStore(store), notify.WithClock(func() time.Time { return now }),
			notify.WithRetry(notify.RetryPolicy{MaxAttempts: 3, Initial: time.Millisecond, Max: 2 * time.Millisecond, Multiplier: 2}),
			notify.WithConcurrency(16))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		if epoch == 0 {
			go func() {
				_, err := svc.Send(ctx, notify.Notification{From: "+14155550100", To: to, Body: "Your order shipped", IdempotencyKey: "crash"})
				done <- err
			}()
		} else {
			go func() {
				_, err := svc.Wait(ctx, nid)
				done <- err
			}()
		}
		if epoch < 5 {
			script.armAt.Store(script.calls.Load() + int64(300+rng.IntN(1200)))
			select {
			case <-script.crash:
			case err := <-done:
				t.Fatalf("epoch %d finished before its crash: %v", epoch, err)
			}
			// The crash: the database goes away first (nothing more is
			// recorded), then every goroutine is told to stop; nothing drains.
			db.Close()
			cancel()
			<-done
			if err := svc.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
		} else {
			if err := <-done; err != nil {
				t.Fatalf("final run: %v", err)
			}
			if err := svc.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			cancel()
		}
		if epoch == 0 {
			nid = firstNotification(t, path)
		}
		if epoch == 5 {
			checkCrashOutcome(t, store, fp, nid, total)
		}
		db.Close()
	}
}

// firstNotification reads the id of the only notification in the file.
func firstNotification(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", sqlstore.SQLiteDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id string
	if err := db.QueryRow("SELECT id FROM herald_notifications").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func checkCrashOutcome(t *testing.T, store *sqlstore.Store, fp *fake.Provider, nid string, total int) {
	t.Helper()
	ctx := context.Background()
	sent := make(map[string]int)
	for _, m := range fp.Sent() {
		sent[m.To]++
	}
	rows, err := store.Messages(ctx, nid, 0, total+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != total {
		t.Fatalf("%d outbox rows, want %d", len(rows), total)
	}
	counts := make(map[notify.Outcome]int)
	interrupted := 0
	for _, m := range rows {
		counts[m.Outcome]++
		i := m.Index
		n := sent[m.To]
		if n > 1 {
			t.Errorf("row %d (%s): accepted %d times", i, m.To, n)
		}
		if !m.Outcome.Final() {
			t.Errorf("row %d: outcome %v; want a final row", i, m.Outcome)
		}
		switch {
		case i%97 == 0:
			if m.Outcome != notify.OutcomeUnknown {
				t.Errorf("row %d timed out ambiguously but is %v", i, m.Outcome)
			}
		case m.Outcome == notify.OutcomeSent:
			if n != 1 {
				t.Errorf("row %d is sent but the provider accepted it %d times", i, n)
			}
		case m.Outcome == notify.OutcomeUnknown:
			if m.Reason != "interrupted" {
				t.Errorf("row %d unknown with reason %q", i, m.Reason)
			}
			interrupted++
		case i%101 == 0:
			if m.Outcome != notify.OutcomeFailed || n != 0 {
				t.Errorf("row %d refused permanently: outcome %v, accepted %d times", i, m.Outcome, n)
			}
		default:
			t.Errorf("row %d: outcome %v (%s), accepted %d times", i, m.Outcome, m.Reason, n)
		}
	}
	t.Logf("outcomes %v; %d rows interrupted by a crash; %d provider calls", counts, interrupted, len(fp.Sent()))
}
