package integration

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/throttle"
	"github.com/heraldsms/herald/throttle/redisstore"
)

// redisClient connects to HERALD_REDIS_ADDR; it is closed when t ends.
func redisClient(t testing.TB) *redis.Client {
	t.Helper()
	addr := os.Getenv("HERALD_REDIS_ADDR")
	if addr == "" {
		t.Fatal("HERALD_REDIS_ADDR is not set: run these tests with `make test`, which starts a throwaway Redis")
	}
	c := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { c.Close() })
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("redis at %s: %v", addr, err)
	}
	return c
}

// carrier is the fake provider all instances send through, with a log of
// when each call reached it.
type carrier struct {
	*fake.Provider
	mu    sync.Mutex
	times []time.Time
	calls atomic.Int64
	// at fires once when the call count reaches its key.
	at map[int64]chan struct{}
}

func (c *carrier) rule(ctx context.Context, m provider.Message) error {
	now := time.Now()
	c.mu.Lock()
	c.times = append(c.times, now)
	c.mu.Unlock()
	if ch, ok := c.at[c.calls.Add(1)]; ok {
		close(ch)
	}
	return nil
}

// instance is one Service's view of the carrier, counting its own calls.
type instance struct {
	*carrier
	sends atomic.Int64
}

func (i *instance) Send(ctx context.Context, m provider.Message) (provider.Receipt, error) {
	i.sends.Add(1)
	return i.carrier.Provider.Send(ctx, m)
}

// TestThreeInstances runs one 10,000-recipient notification on three
// Services sharing a PostgreSQL database and a Redis throttle store: each
// recipient is sent once, the shared limit holds, and an opt-out recorded
// on one instance mid-run is honoured by all of them.
func TestThreeInstances(t *testing.T) {
	const (
		total = 10000
		rate  = 1000 // segments per second, shared by the three instances
		burst = 100
	)
	dsn := postgresDSN(t)
	rc := redisClient(t)
	prefix := fmt.Sprintf("herald:test:%d:%d:", os.Getpid(), time.Now().UnixNano())
	c := &carrier{at: map[int64]chan struct{}{1: make(chan struct{}), 3000: make(chan struct{})}}
	c.Provider = fake.New(fake.WithRule(c.rule))
	defer c.Provider.Close()

	// A running clock set inside quiet-hour windows (throttle deferrals
	// must come due).
	day, start := time.Date(2026, 3, 2, 19, 0, 0, 0, time.UTC), time.Now()
	clock := func() time.Time { return day.Add(time.Since(start)) }
	newService := func() (*notify.Service, *instance) {
		store := openStore(t, dsn)
		inst := &instance{carrier: c}
		svc, err := notify.New(inst,
			notify.WithStore(store),
			notify.WithConsentStore(store),
			notify.WithThrottle(throttle.NewLimiter(redisstore.New(rc, redisstore.WithPrefix(prefix)))),
			notify.WithLimits(notify.Limits{Sender: throttle.PerSecond(rate).WithBurst(burst)}),
			notify.WithClock(clock),
			notify.WithConcurrency(32))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { svc.Shutdown(context.Background()) })
		// New does no I/O: Start resumes and joins the work the store holds.
		if err := svc.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		return svc, inst
	}

	to := make([]string, total)
	for i := range to {
		to[i] = fmt.Sprintf("+1415%07d", 2000000+i)
	}
	stopped := to[9000:9100] // far ahead of the claims when the STOP comes

	ctx := context.Background()
	a, instA := newService()
	type result struct {
		rep *notify.Report
		err error
	}
	fromA := make(chan result, 1)
	go func() {
		rep, err := a.Send(ctx, notify.Notification{From: "+14155550100", To: to, Body: "Your order shipped", IdempotencyKey: "blast"})
		fromA <- result{rep, err}
	}()
	<-c.at[1] // every recipient is in the outbox: the others join
	b, instB := newService()
	cc, instC := newService()

	<-c.at[3000]
	for _, n := range stopped {
		if err := b.OptOut(ctx, "", n, notify.Actor{ID: "agent"}, "STOP"); err != nil {
			t.Fatal(err)
		}
	}
	r := <-fromA
	if r.err != nil {
		t.Fatal(r.err)
	}
	nid := r.rep.NotificationID
	// A's Send has returned: nothing was left for A to claim. B and C shut
	// down, giving back rows they claimed but did not send, and a fourth
	// instance resumes whatever is left. (B's and C's Service.Wait is not
	// used: it also waits for the job's own scheduled passes, even once
	// other instances decided every row.)
	for _, s := range []*notify.Service{b, cc} {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		if err := s.Shutdown(sctx); err != nil {
			t.Fatalf("draining an instance: %v", err)
		}
		cancel()
	}
	d, instD := newService()
	if _, err := d.Wait(ctx, nid); err != nil {
		t.Fatal(err)
	}

	// Every recipient decided once, sent at most once.
	rows, err := a.Store().Messages(ctx, nid, 0, total+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != total {
		t.Fatalf("%d outbox rows, want %d", len(rows), total)
	}
	accepted := make(map[string]int)
	for _, m := range c.Sent() {
		accepted[m.To]++
	}
	counts := make(map[notify.Outcome]int)
	for _, m := range rows {
		counts[m.Outcome]++
		n := accepted[m.To]
		switch {
		case slices.Contains(stopped, m.To):
			if m.Outcome != notify.OutcomeDenied || n != 0 {
				t.Errorf("opted-out %s: outcome %v, accepted %d times", m.To, m.Outcome, n)
			}
		case m.Outcome != notify.OutcomeSent || n != 1:
			t.Errorf("row %d: outcome %v (%s), accepted %d times", m.Index, m.Outcome, m.Reason, n)
		}
	}
	want := map[notify.Outcome]int{notify.OutcomeSent: total - len(stopped), notify.OutcomeDenied: len(stopped)}
	if counts[notify.OutcomeSent] != want[notify.OutcomeSent] || counts[notify.OutcomeDenied] != want[notify.OutcomeDenied] {
		t.Errorf("outcomes %v, want %v", counts, want)
	}
	per := []int64{instA.sends.Load(), instB.sends.Load(), instC.sends.Load(), instD.sends.Load()}
	for i, n := range per[:3] {
		if n == 0 {
			t.Errorf("instance %d sent nothing (sends per instance %v)", i, per)
		}
	}

	// The shared limit: in any one-second window at most burst + rate sends
	// (2% slack for the gap between the Redis admission and the carrier).
	c.mu.Lock()
	times := slices.Clone(c.times)
	c.mu.Unlock()
	slices.SortFunc(times, func(x, y time.Time) int { return x.Compare(y) })
	worst, j := 0, 0
	for i := range times {
		for times[j].Before(times[i].Add(-time.Second)) {
			j++
		}
		worst = max(worst, i-j+1)
	}
	if limit := (burst + rate) * 102 / 100; worst > limit {
		t.Errorf("%d sends in one second, the shared limit allows %d", worst, burst+rate)
	}
	span := times[len(times)-1].Sub(times[0])
	if min := time.Duration(float64(len(times)-burst) / rate * float64(time.Second) * 0.98); span < min {
		t.Errorf("%d sends took %v, the shared limit needs at least %v", len(times), span, min)
	}
	t.Logf("sends per instance %v; %d sends in %v; busiest second %d (limit %d+%d)", per, len(times), span.Round(time.Millisecond), worst, rate, burst)
}
