package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// noopArgs are the arguments of the trivial job.
type noopArgs struct{}

// Kind implements river.JobArgs.
func (noopArgs) Kind() string { return "pgqueue_noop" }

// noopWorker works a trivial job by doing nothing.
type noopWorker struct {
	river.WorkerDefaults[noopArgs]
}

// Work implements river.Worker.
func (noopWorker) Work(context.Context, *river.Job[noopArgs]) error { return nil }

// riverRun is one River scenario. The client settings default to those of
// River's own benchmark (cmd/river/riverbench): 2,000 workers, a 2 ms fetch
// cooldown and a 20 ms fetch poll.
type riverRun struct {
	clients    int
	conns      int // pgxpool MaxConns of each client; 0 keeps pgxpool's default
	maxWorkers int
	cooldown   time.Duration
	poll       time.Duration
	batch      int // jobs per InsertMany call
}

// migrate runs River's migrations into schema.
func migrateRiver(ctx context.Context, dsn, schema string) error {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return err
	}
	defer pool.Close()
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: schema})
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// run migrates a new schema, starts the clients (untimed), then times from
// the first InsertMany until n jobs are completed.
func (r riverRun) run(ctx context.Context, admin *sql.DB, dsn string, n int, timed func(start bool)) (time.Duration, error) {
	schema, err := newSchema(ctx, admin, "river_bench")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err := dropSchema(context.Background(), admin, schema); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()
	if err := migrateRiver(ctx, dsn, schema); err != nil {
		return 0, fmt.Errorf("river migrations: %w", err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &noopWorker{})
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	var (
		clients []*river.Client[pgx.Tx]
		pools   []*pgxpool.Pool
		done    = make(chan struct{})
		mu      sync.Mutex
		count   int
		subs    sync.WaitGroup
	)
	defer func() {
		stop, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for _, c := range clients {
			if err := c.Stop(stop); err != nil {
				fmt.Fprintln(os.Stderr, "river stop:", err)
			}
		}
		subs.Wait()
		for _, p := range pools {
			p.Close()
		}
	}()
	for range r.clients {
		cfg, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			return 0, err
		}
		if r.conns > 0 {
			cfg.MaxConns = int32(r.conns)
		}
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return 0, err
		}
		pools = append(pools, pool)
		c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
			Schema:            schema,
			Logger:            logger,
			FetchCooldown:     r.cooldown,
			FetchPollInterval: r.poll,
			Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: r.maxWorkers}},
			Workers:           workers,
		})
		if err != nil {
			return 0, err
		}
		events, cancel := c.SubscribeConfig(&river.SubscribeConfig{ChanSize: n, Kinds: []river.EventKind{river.EventKindJobCompleted}})
		subs.Go(func() {
			for range events {
				mu.Lock()
				count++
				if count == n {
					close(done)
				}
				mu.Unlock()
			}
		})
		if err := c.Start(ctx); err != nil {
			cancel()
			return 0, err
		}
		clients = append(clients, c)
	}

	params := make([]river.InsertManyParams, r.batch)
	for i := range params {
		params[i] = river.InsertManyParams{Args: noopArgs{}}
	}
	timed(true)
	start := time.Now()
	for left := n; left > 0; left -= r.batch {
		if _, err := clients[0].InsertMany(ctx, params[:min(left, r.batch)]); err != nil {
			timed(false)
			return 0, fmt.Errorf("river insert: %w", err)
		}
	}
	select {
	case <-done:
	case <-ctx.Done():
		timed(false)
		mu.Lock()
		defer mu.Unlock()
		return 0, fmt.Errorf("river: %d of %d jobs completed: %w", count, n, ctx.Err())
	}
	d := time.Since(start)
	timed(false)
	return d, nil
}
