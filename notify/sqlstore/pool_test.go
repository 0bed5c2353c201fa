package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/compliance/compliancetest"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/notifytest"
	"github.com/heraldsms/herald/notify/sqlstore"
	"github.com/heraldsms/herald/provider/fake"
)

// cappedPools are the pool sizes each backend must work with: one
// connection on SQLite; one and two on PostgreSQL (one makes any wait for
// a second connection a deadlock at once, where two needs two callers to
// wait together).
func (b backend) cappedPools() []int {
	if b.dialect == sqlstore.SQLite {
		return []int{1}
	}
	return []int{1, 2}
}

// forEachCappedPool runs f as a subtest per backend and capped pool size.
func forEachCappedPool(t *testing.T, f func(t *testing.T, b backend, pool int)) {
	forEachBackend(t, func(t *testing.T, b backend) {
		for _, n := range b.cappedPools() {
			t.Run(fmt.Sprintf("Pool%d", n), func(t *testing.T) { f(t, b, n) })
		}
	})
}

// openCapped opens a Store on a new database whose pool is capped at n
// connections.
func (b backend) openCapped(t testing.TB, n int) *sqlstore.Store {
	t.Helper()
	db := b.openDB(t, b.newDSN(t))
	db.SetMaxOpenConns(n)
	return b.open(t, db)
}

// deadlockWatch fails the test binary, with every goroutine's stack, if
// the test has not called the returned stop within limit: a store waiting
// for a connection it will never get blocks forever, and the suites it
// runs take no context to cancel.
func deadlockWatch(t *testing.T, limit time.Duration) (stop func()) {
	name := t.Name()
	timer := time.AfterFunc(limit, func() {
		panic(fmt.Sprintf("%s: no progress within %v: the store deadlocked on its capped pool", name, limit))
	})
	return func() { timer.Stop() }
}

// TestCappedPoolSuite runs the Store conformance suite on a pool of one
// connection (SQLite) or one and two (PostgreSQL).
func TestCappedPoolSuite(t *testing.T) {
	forEachCappedPool(t, func(t *testing.T, b backend, pool int) {
		defer deadlockWatch(t, 3*time.Minute)()
		notifytest.TestStore(t, func(t *testing.T) notify.Store { return b.openCapped(t, pool) })
	})
}

// TestCappedPoolCounters runs the frequency suite and inbound
// de-duplication on a capped pool.
func TestCappedPoolCounters(t *testing.T) {
	forEachCappedPool(t, func(t *testing.T, b backend, pool int) {
		defer deadlockWatch(t, 3*time.Minute)()
		compliancetest.TestFrequencyStore(t, func(t *testing.T) compliance.FrequencyStore { return b.openCapped(t, pool) })
		s := b.openCapped(t, pool)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for i := range 3 {
			first, err := s.RecordInbound(ctx, "twilio", "SM1", time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC))
			if err != nil || first != (i == 0) {
				t.Fatalf("RecordInbound call %d: %v, %v", i, first, err)
			}
		}
		if err := s.PinInbound(ctx, "twilio", "SM1"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestCappedPoolSend sends to a few hundred recipients through a Service
// on a capped pool: every recipient is sent, before the deadline.
func TestCappedPoolSend(t *testing.T) {
	forEachCappedPool(t, func(t *testing.T, b backend, pool int) {
		const total = 300
		st := b.openCapped(t, pool)
		fp := fake.New()
		defer fp.Close()
		day := time.Date(2026, 3, 2, 19, 0, 0, 0, time.UTC)
		svc, err := notify.New(fp, notify.WithStore(st), notify.WithClock(func() time.Time { return day }))
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			// Bounded, so that a deadlocked store fails the test rather
			// than hanging it.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			svc.Shutdown(ctx)
		}()
		to := make([]string, total)
		for i := range to {
			to[i] = fmt.Sprintf("+1415%07d", 2000000+i)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		type result struct {
			rep *notify.Report
			err error
		}
		done := make(chan result, 1)
		go func() {
			rep, err := svc.Send(ctx, notify.Notification{From: "+14155550100", To: to, Body: "Your order shipped"})
			done <- result{rep, err}
		}()
		select {
		case r := <-done:
			if r.err != nil {
				t.Fatalf("Send on a pool of %d: %v", pool, r.err)
			}
			if n := r.rep.Counts[notify.OutcomeSent]; n != total {
				t.Errorf("sent %d of %d on a pool of %d: %v", n, total, pool, r.rep.Counts)
			}
		case <-ctx.Done():
			t.Fatalf("Send on a pool of %d made no progress before the deadline: deadlock", pool)
		}
	})
}
