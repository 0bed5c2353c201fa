package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.dsn, "dsn", os.Getenv("HERALD_POSTGRES_DSN"), "PostgreSQL DSN (default $HERALD_POSTGRES_DSN); every scenario works in a schema of its own")
	flag.IntVar(&o.n, "n", 20000, "recipients per notification (Herald) and jobs (River) per scenario")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds; the table gives min-max over them")
	flag.IntVar(&o.heraldConns, "herald-conns", 64, "max open (and idle) connections of each Herald instance's *sql.DB, 64 = the Service's default concurrency (0: unbounded, 128 idle)")
	flag.IntVar(&o.riverConns, "river-conns", 0, "pgxpool MaxConns of each River client (0: pgxpool's default, max(4, NumCPU))")
	flag.IntVar(&o.riverWorkers, "river-workers", 2000, "River MaxWorkers of the default queue (riverbench uses 2000)")
	flag.DurationVar(&o.riverCooldown, "river-cooldown", 2*time.Millisecond, "River FetchCooldown (riverbench uses 2ms)")
	flag.DurationVar(&o.riverPoll, "river-poll", 20*time.Millisecond, "River FetchPollInterval (riverbench uses 20ms)")
	flag.IntVar(&o.riverBatch, "river-batch", 1000, "jobs per River InsertMany call")
	flag.BoolVar(&o.stmts, "stmts", false, "print the statements each scenario ran most often (needs pg_stat_statements preloaded)")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Minute, "give up after this long")
	flag.StringVar(&o.only, "only", "", "run only the scenarios whose name matches this regular expression")
	flag.DurationVar(&o.latency, "latency", 50*time.Millisecond, "the fake carrier's time per message in the carrier-bound Herald scenarios")
	flag.IntVar(&o.latencyWorkers, "latency-workers", 8, "each instance's concurrency in the carrier-bound Herald scenarios")
	flag.IntVar(&o.latencyN, "latency-n", 4000, "recipients per notification in the carrier-bound Herald scenarios")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "pgqueue:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	if _, err := run(ctx, o, os.Stdout); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "pgqueue:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	dsn                     string
	n, rounds               int
	heraldConns, riverConns int
	riverWorkers            int
	riverCooldown           time.Duration
	riverPoll               time.Duration
	riverBatch              int
	stmts                   bool
	timeout                 time.Duration
	only                    string
	latency                 time.Duration
	latencyWorkers          int
	latencyN                int
}

// scenario is one line of the table.
type scenario struct {
	name string
	unit string
	// run does one round: it calls timed(true) when the clock starts and
	// timed(false) when it stops, and returns how many items it processed
	// and a note.
	run func(ctx context.Context, timed func(start bool)) (items int, d time.Duration, note string, err error)
}

// result is what the rounds of one scenario measured.
type result struct {
	name, unit string
	items      int
	rates      []float64 // items per second, one per round
	stmtRates  []float64 // statements per item, one per round (with -stmts)
	notes      []string
	top        []stmtCount // the most frequent statements of the last round
}

// run measures every scenario o.rounds times and writes the table to w.
func run(ctx context.Context, o options, w io.Writer) ([]result, error) {
	if o.dsn == "" {
		return nil, errors.New("no DSN: pass -dsn or set HERALD_POSTGRES_DSN")
	}
	if o.n <= 0 || o.rounds <= 0 || o.riverBatch <= 0 {
		return nil, errors.New("-n, -rounds and -river-batch must be positive")
	}
	admin, err := sql.Open("pgx", o.dsn)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	var version string
	if err := admin.QueryRowContext(ctx, "SHOW server_version").Scan(&version); err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	var st *statements
	if o.stmts {
		if st, err = newStatements(ctx, admin); err != nil {
			return nil, fmt.Errorf("-stmts: %w", err)
		}
	}
	scens := scenarios(admin, o)
	if o.only != "" {
		re, err := regexp.Compile(o.only)
		if err != nil {
			return nil, fmt.Errorf("-only: %w", err)
		}
		scens = slices.DeleteFunc(scens, func(sc scenario) bool { return !re.MatchString(sc.name) })
	}
	results := make([]result, len(scens))
	for i, sc := range scens {
		results[i] = result{name: sc.name, unit: sc.unit}
	}
	for round := range o.rounds {
		for i, sc := range scens {
			res := &results[i]
			var stmtErr error
			var top []stmtCount
			var total int64
			timed := func(start bool) {
				if st == nil {
					return
				}
				if start {
					stmtErr = st.reset(ctx)
					return
				}
				if stmtErr == nil {
					total, top, stmtErr = st.top(ctx, 10)
				}
			}
			items, d, note, err := sc.run(ctx, timed)
			if err != nil {
				return nil, fmt.Errorf("%s, round %d: %w", sc.name, round+1, err)
			}
			if stmtErr != nil {
				return nil, fmt.Errorf("%s, round %d: pg_stat_statements: %w", sc.name, round+1, stmtErr)
			}
			res.items = items
			res.rates = append(res.rates, float64(items)/d.Seconds())
			if note != "" {
				res.notes = append(res.notes, note)
			}
			if st != nil {
				res.stmtRates = append(res.stmtRates, float64(total)/float64(items))
				res.top = top
			}
			fmt.Fprintf(os.Stderr, "round %d: %-55s %6d in %8v = %8.0f %s/s\n", round+1, sc.name, items, d.Round(time.Millisecond), float64(items)/d.Seconds(), sc.unit)
		}
	}
	printTable(w, o, version, results)
	return results, nil
}

// scenarios lists the table's lines in order.
func scenarios(admin *sql.DB, o options) []scenario {
	herald := func(h heraldRun, n int) func(context.Context, func(bool)) (int, time.Duration, string, error) {
		return func(ctx context.Context, timed func(bool)) (int, time.Duration, string, error) {
			schema, err := newSchema(ctx, admin, "herald_bench")
			if err != nil {
				return 0, 0, "", err
			}
			defer func() {
				if err := dropSchema(context.Background(), admin, schema); err != nil {
					fmt.Fprintln(os.Stderr, err)
				}
			}()
			dsn, err := withSearchPath(o.dsn, schema)
			if err != nil {
				return 0, 0, "", err
			}
			sent, d, shares, err := h.run(ctx, dsn, n, timed)
			note := ""
			if h.instances > 1 {
				note = fmt.Sprintf("provider calls per instance %v", shares)
			}
			return sent, d, note, err
		}
	}
	river := func(clients int) func(context.Context, func(bool)) (int, time.Duration, string, error) {
		r := riverRun{clients: clients, conns: o.riverConns, maxWorkers: o.riverWorkers, cooldown: o.riverCooldown, poll: o.riverPoll, batch: o.riverBatch}
		return func(ctx context.Context, timed func(bool)) (int, time.Duration, string, error) {
			d, err := r.run(ctx, admin, o.dsn, o.n, timed)
			return o.n, d, "", err
		}
	}
	return []scenario{
		{"Herald, 1 instance, fast fake carrier, no throttle", "sends", herald(heraldRun{instances: 1, conns: o.heraldConns}, o.n)},
		{"Herald, 3 instances on their own notifications", "sends", herald(heraldRun{instances: 3, conns: o.heraldConns}, o.n)},
		{"Herald, 3 instances joining one notification", "sends", herald(heraldRun{instances: 3, shared: true, conns: o.heraldConns}, o.n)},
		{"River v0.51.2 (riverpgxv5), 1 client, insert and work trivial jobs", "jobs", river(1)},
		{"River, 3 clients", "jobs", river(3)},
		{fmt.Sprintf("Herald, 1 instance, %v carrier, %d workers", o.latency, o.latencyWorkers), "sends",
			herald(heraldRun{instances: 1, conns: o.heraldConns, latency: o.latency, workers: o.latencyWorkers}, o.latencyN)},
		{fmt.Sprintf("Herald, 3 instances joining one notification, %v carrier, %d workers each", o.latency, o.latencyWorkers), "sends",
			herald(heraldRun{instances: 3, shared: true, conns: o.heraldConns, latency: o.latency, workers: o.latencyWorkers}, o.latencyN)},
	}
}

// printTable writes the machine, the settings and the table.
func printTable(w io.Writer, o options, version string, results []result) {
	fmt.Fprintf(w, "machine: %s/%s, runtime.NumCPU=%d, GOMAXPROCS=%d, %s, PostgreSQL %s\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), version)
	fmt.Fprintf(w, "n=%d, rounds=%d; Herald: pool %s/instance, poll %v; River: pool %s/client, MaxWorkers %d, FetchCooldown %v, FetchPollInterval %v, InsertMany batch %d\n\n",
		o.n, o.rounds, heraldPool(o.heraldConns), heraldPoll, poolName(o.riverConns), o.riverWorkers, o.riverCooldown, o.riverPoll, o.riverBatch)
	stmts := len(results) > 0 && len(results[0].stmtRates) > 0
	header := "| | items per round | per second (min–max) | median |"
	sep := "|---|---:|---:|---:|"
	if stmts {
		header += " statements per item |"
		sep += "---:|"
	}
	fmt.Fprintln(w, header)
	fmt.Fprintln(w, sep)
	for _, r := range results {
		lo, hi, med := spread(r.rates)
		line := fmt.Sprintf("| %s | %d | %.0f–%.0f %s | %.0f |", r.name, r.items, lo, hi, r.unit, med)
		if stmts {
			slo, shi, _ := spread(r.stmtRates)
			line += fmt.Sprintf(" %.2f–%.2f |", slo, shi)
		}
		fmt.Fprintln(w, line)
	}
	for _, r := range results {
		if len(r.notes) > 0 {
			fmt.Fprintf(w, "\n%s: %s", r.name, strings.Join(r.notes, "; "))
		}
	}
	fmt.Fprintln(w)
	if !stmts {
		return
	}
	for _, r := range results {
		fmt.Fprintf(w, "\n%s — most frequent statements of the last round (calls, calls per item, mean ms):\n", r.name)
		for _, s := range r.top {
			fmt.Fprintf(w, "  %7d  %7.3f  %8.3f  %s\n", s.calls, float64(s.calls)/float64(r.items), s.meanMS, s.query)
		}
	}
}

// heraldPool describes a Herald pool size setting.
func heraldPool(conns int) string {
	if conns <= 0 {
		return fmt.Sprintf("unbounded (%d idle)", idleConns)
	}
	return fmt.Sprint(conns)
}

// poolName describes a pgxpool size setting.
func poolName(conns int) string {
	if conns <= 0 {
		return fmt.Sprintf("pgxpool default (%d)", max(4, runtime.NumCPU()))
	}
	return fmt.Sprint(conns)
}

// spread returns the minimum, maximum and median of xs.
func spread(xs []float64) (lo, hi, med float64) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	s := slices.Sorted(slices.Values(xs))
	med = s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[0], s[len(s)-1], med
}
