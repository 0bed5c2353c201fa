package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/sqlstore"
	"github.com/heraldsms/herald/provider/fake"
)

// sendDay is every Service's fixed clock: Monday 2 March 2026, 19:00 UTC,
// 11:00 in California, inside every US sending window, so no recipient is
// deferred for quiet hours. (Noon UTC would be 04:00 in California, in
// quiet hours.)
var sendDay = time.Date(2026, 3, 2, 19, 0, 0, 0, time.UTC)

// fromNumber is the sender of every benchmark notification.
const fromNumber = "+14155550100"

// heraldPoll is how often every Service looks in the store for
// notifications to join.
const heraldPoll = 100 * time.Millisecond

// instance is one Herald Service with its own pool and Store, as a
// separate process would have.
type instance struct {
	db  *sql.DB
	st  *sqlstore.Store
	svc *notify.Service
	fp  *fake.Provider
}

// idleConns is how many idle connections an unbounded pool keeps.
const idleConns = 128

// startInstance opens a Store on dsn with a pool of at most conns
// connections (0: unbounded, as database/sql's default) and starts a Service on it with the fake provider.
// A carrier latency above zero makes the fake provider take that long per
// message and the Service run at most workers sends at once (0: its
// default).
func startInstance(ctx context.Context, dsn string, conns int, latency time.Duration, workers int) (*instance, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	// database/sql keeps only two idle connections by default: a pool
	// that closes and reopens connections under load would measure
	// connection set-up, so the idle limit is raised too.
	if conns > 0 {
		db.SetMaxOpenConns(conns)
		db.SetMaxIdleConns(conns)
	} else {
		db.SetMaxIdleConns(idleConns)
	}
	st, err := sqlstore.Open(ctx, db, sqlstore.Postgres)
	if err != nil {
		db.Close()
		return nil, err
	}
	fp := fake.New(fake.WithLatency(latency))
	opts := []notify.Option{
		notify.WithStore(st),
		notify.WithReputationGuard(notify.Thresholds{}),
		notify.WithClock(func() time.Time { return sendDay }),
		notify.WithPollInterval(heraldPoll),
	}
	if workers > 0 {
		opts = append(opts, notify.WithConcurrency(workers))
	}
	svc, err := notify.New(fp, opts...)
	if err == nil {
		err = svc.Start(ctx)
	}
	if err != nil {
		fp.Close()
		db.Close()
		return nil, err
	}
	return &instance{db: db, st: st, svc: svc, fp: fp}, nil
}

// close stops the Service and closes its pool.
func (in *instance) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := in.svc.Shutdown(ctx)
	return errors.Join(err, in.fp.Close(), in.db.Close())
}

// warmOffset numbers the warm-up recipients apart from the measured ones.
const warmOffset = 7_000_000

// recipients returns n distinct valid US numbers starting at offset.
func recipients(offset, n int) []string {
	to := make([]string, n)
	for i := range to {
		to[i] = fmt.Sprintf("+1415%07d", 2000000+offset+i)
	}
	return to
}

// heraldRun is one Herald scenario: how many instances, and whether they
// send their own notifications or one shared notification.
type heraldRun struct {
	instances int
	shared    bool // one instance sends, the others join
	conns     int  // pool size of each instance
	// latency is the fake carrier's time per message and workers each
	// instance's concurrency: a run bound by waiting on the carrier rather
	// than by CPU.
	latency time.Duration
	workers int
}

// run starts the instances on dsn (untimed), then times the sends: from
// the first Send until every recipient's row is sent. It returns how many
// recipients were sent, the time, and how many each instance handed to the
// provider.
func (h heraldRun) run(ctx context.Context, dsn string, n int, timed func(start bool)) (sent int, d time.Duration, shares []int, err error) {
	ins := make([]*instance, 0, h.instances)
	defer func() {
		for _, in := range ins {
			err = errors.Join(err, in.close())
		}
	}()
	for range h.instances {
		in, err := startInstance(ctx, dsn, h.conns, h.latency, h.workers)
		if err != nil {
			return 0, 0, nil, err
		}
		ins = append(ins, in)
	}
	// One recipient per instance, untimed, fills each Store's cache of
	// prepared statements while only one worker runs: a cold cache
	// prepares on a second connection while a transaction holds the
	// first, which deadlocks a bounded pool under a burst of workers.
	for i, in := range ins {
		if err := sendAll(ctx, in, recipients(warmOffset+i, 1)); err != nil {
			return 0, 0, nil, fmt.Errorf("warm-up: %w", err)
		}
	}
	senders := ins
	if h.shared {
		senders = ins[:1]
	}
	timed(true)
	start := time.Now()
	errs := make([]error, len(senders))
	var wg sync.WaitGroup
	for i, in := range senders {
		wg.Go(func() {
			errs[i] = sendAll(ctx, in, recipients(i*n, n))
		})
	}
	wg.Wait()
	d = time.Since(start)
	timed(false)
	if err := errors.Join(errs...); err != nil {
		return 0, 0, nil, err
	}
	for _, in := range ins {
		shares = append(shares, len(in.fp.Sent())-1) // less the warm-up
	}
	return n * len(senders), d, shares, nil
}

// sendAll sends one notification to to through in and returns once every
// row of it is sent, whichever instance sent it.
func sendAll(ctx context.Context, in *instance, to []string) error {
	rep, err := in.svc.Send(ctx, notify.Notification{From: fromNumber, To: to, Body: "Your order shipped"})
	if err != nil {
		return err
	}
	if rep.Counts[notify.OutcomeSent] == len(to) {
		return nil
	}
	return waitSent(ctx, in.st, rep.NotificationID, len(to))
}

// waitSent polls the store until notification id has no pending or
// deferred row, and checks that all n rows were sent.
func waitSent(ctx context.Context, st *sqlstore.Store, id string, n int) error {
	for {
		counts, err := st.Counts(ctx, id)
		if err != nil {
			return err
		}
		if counts[notify.OutcomePending] == 0 && counts[notify.OutcomeDeferred] == 0 {
			if counts[notify.OutcomeSent] != n {
				return fmt.Errorf("notification %s: sent %d of %d: %v", id, counts[notify.OutcomeSent], n, counts)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
