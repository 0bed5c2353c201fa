package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the embedded SQLite driver, registered as "sqlite"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/sqlstore"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/throttle"
)

// sender is the shipping system's contact point: one 10DLC number.
var sender = notify.ContactPoint{
	Name:    "shipping",
	Numbers: []string{"+13125550100"},
	Brand:   "Northwind Parcel",
	Help:    "Northwind Parcel delivery updates. Track orders at nwp.example. Reply STOP to opt out.",
}

// prices are illustrative per-segment rates in USD.
var prices = notify.PriceTable{
	Currency: "USD",
	Countries: map[string]notify.Rates{
		"US": {GSM7: 0.0083}, "GB": {GSM7: 0.0524}, "DE": {GSM7: 0.0887}, "IN": {GSM7: 0.0832},
		"JP": {GSM7: 0.0813}, "AU": {GSM7: 0.0515}, "NZ": {GSM7: 0.1032},
	},
	Default: notify.Rates{GSM7: 0.08},
}

// summary is what a run found, for the report and the test.
type summary struct {
	Recipients int
	Zones      zonePick
	Plan       *notify.Plan
	Report     *notify.Report // nil for a dry run
	Tally      notify.Tally
	Receipts   int64 // final delivery receipts handled
	Attempts   int   // provider calls, retries included
	Elapsed    time.Duration
	DB         string
	NotSent    string // the CSV of refused and unknown rows, unmasked; "" when none
	Repeated   bool   // the database already held this send: nothing was sent again
}

// run performs one shipping run and writes its report to out.
func run(ctx context.Context, cfg config, out io.Writer) (*summary, error) {
	now := cfg.Now()
	sum := &summary{}

	// Where today is day and night, for the bundled list's tokens.
	zones, err := pickZones(compliance.NewPolicy(), now)
	if err != nil {
		return nil, err
	}
	sum.Zones = zones
	expand := func(s string) string { return s }
	var w world
	if cfg.CSV == "" {
		expand = zones.expand
		if w, err = readWorld(bundledWorld, expand); err != nil {
			return nil, err
		}
	}
	f, name, err := openCSV(cfg.CSV)
	if err != nil {
		return nil, err
	}
	recipients, header, err := readRecipients(f, name, expand)
	f.Close()
	if err != nil {
		return nil, err
	}
	if err := checkColumns(name, header, cfg.Body); err != nil {
		return nil, err
	}
	sum.Recipients = len(recipients)

	// The embedded SQLite store keeps notifications, the outbox, history,
	// tallies and the consent ledger. A dry run works on a throwaway copy.
	path, cleanup, err := stateFile(cfg)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	sum.DB = path
	if cfg.DryRun {
		sum.DB = cfg.DB
	}
	db, err := sql.Open("sqlite", sqlstore.SQLiteDSN(path))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	store, err := sqlstore.Open(ctx, db, sqlstore.SQLite)
	if err != nil {
		return nil, err
	}

	// The fake carrier: latency, receipts, a little 429 back-pressure, and
	// the numbers world.csv scripts.
	var svcp atomic.Pointer[notify.Service]
	var receipts atomic.Int64
	receipt := make(chan struct{}, 1)
	opts := []fake.Option{
		fake.WithLatency(cfg.Latency),
		fake.WithDeliveryReceipts(cfg.ReceiptDelay),
		fake.WithRateLimit(0.004, 200*time.Millisecond),
		fake.WithSeed(7),
		fake.OnStatus(func(u provider.StatusUpdate) {
			// The fake stamps receipts with the machine's clock; move them
			// onto the run's (the same clock unless a test set another).
			u.At = u.At.Add(time.Until(cfg.Now()))
			forwardStatus(ctx, svcp.Load(), u)
		}),
	}
	for _, n := range w.Landlines {
		opts = append(opts, fake.WithLineType(n, provider.LineLandline))
	}
	for _, n := range w.Rejected {
		opts = append(opts, fake.FailNumber(n, fake.Permanent(provider.ErrInvalidNumber, "21211")))
	}
	for _, n := range w.Timeouts {
		opts = append(opts, fake.FailNumber(n, fake.Timeout()))
	}
	for _, n := range w.Undelivered {
		opts = append(opts, fake.Undelivered(n, "30003"))
	}
	carrier := fake.New(opts...)
	defer carrier.Close()

	svcOpts := []notify.Option{
		notify.WithStore(store),
		// The run's clock: quiet hours and the bundled list's zones are
		// judged at the same time (tests set it to fixed hours).
		notify.WithClock(cfg.Now),
		// Line-type lookups are paid and off by default; the carrier here
		// can tell landlines, so turn them on (made only for recipients
		// compliance allows, and cached per number in the store).
		notify.WithLookup(true),
		notify.WithConsentStore(store),
		notify.WithContactPoint(sender),
		notify.WithPricing(prices),
		notify.WithOnStatus(func(_ context.Context, m notify.Message) {
			if m.Status.Final() {
				receipts.Add(1)
				select {
				case receipt <- struct{}{}:
				default:
				}
			}
		}),
	}
	if cfg.Rate > 0 {
		daily, _ := throttle.Preset(throttle.TenDLCHigh).DailyLimit()
		svcOpts = append(svcOpts, notify.WithLimits(notify.Limits{
			Sender: throttle.PerSecond(cfg.Rate),
			Daily:  daily.Burst,
		}))
	}
	svc, err := notify.New(carrier, svcOpts...)
	if err != nil {
		return nil, err
	}
	svcp.Store(svc)
	defer func() {
		carrier.Close() // no more receipts into a stopping Service
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		svc.Shutdown(sctx)
	}()

	// Customers who replied STOP to an earlier text are in the ledger.
	for _, n := range w.OptedOut {
		err := store.Append(ctx, compliance.Record{Number: n, Action: compliance.ActionOptOut,
			At: now.Add(-72 * time.Hour), Source: compliance.SourceKeyword, Text: "STOP",
			Channel: "sms", Actor: "recipient"})
		if err != nil {
			return nil, err
		}
	}
	if _, err := svc.CreateTopic(ctx, "", topic, "Delivery updates"); err != nil && !errors.Is(err, notify.ErrTopicExists) {
		return nil, err
	}

	n := notify.Notification{
		From:           sender.Name,
		Body:           cfg.Body,
		Topic:          topic,
		MaxSegments:    3, // a long -body is fine up to 3 segments, refused beyond
		IdempotencyKey: idempotencyKey(cfg, recipients),
		Metadata:       map[string]string{"source": name},
	}

	// Preflight: every check, nothing sent.
	planned := n
	planned.Recipients = recipients
	sum.Plan, err = svc.Plan(ctx, planned)
	if err != nil {
		return nil, err
	}
	writeIntro(out, cfg, sum)
	if cfg.DryRun {
		writePlan(out, sum.Plan)
		if sum.Plan.Allowed+sum.Plan.Deferred == 0 {
			return sum, errNothingSent
		}
		return sum, nil
	}

	prog := newProgress(out, cfg.Bar, len(recipients))
	started := time.Now()
	rep, err := svc.SendStream(ctx, n, slices.Values(recipients),
		notify.WithTotal(len(recipients)),
		notify.ProgressEvery(cfg.Every),
		notify.OnProgress(prog.update))
	prog.finish()
	if err != nil {
		return nil, err
	}
	sum.Repeated = rep.Replayed // an earlier run made it: the idempotency key matched

	// Delivery receipts trail the sends by the carrier's delay.
	if !sum.Repeated {
		waitReceipts(ctx, &receipts, receipt, int64(rep.Counts[notify.OutcomeSent]), cfg.ReceiptWait)
	}
	sum.Elapsed = time.Since(started)
	sum.Receipts = receipts.Load()
	sum.Attempts = carrier.Attempts()
	if sum.Report, err = svc.Report(ctx, rep.NotificationID); err != nil {
		return nil, err
	}
	minute := time.Minute
	if sum.Tally, err = svc.TopicTally(ctx, "", topic, sum.Report.StartedAt.Truncate(minute), cfg.Now().Add(minute)); err != nil {
		return nil, err
	}
	if sum.NotSent, err = writeNotSent(sum.DB, header, sum.Report, recipients); err != nil {
		return nil, err
	}
	writeReport(out, sum)
	c := sum.Report.Counts
	if c[notify.OutcomeSent]+c[notify.OutcomeDeferred]+c[notify.OutcomePending] == 0 {
		return sum, errNothingSent
	}
	return sum, nil
}

// errNothingSent ends a run where no recipient could be sent to (or, for a
// dry run, none would be): the command exits non-zero.
var errNothingSent = errors.New("nothing could be sent: every recipient was refused (see the report)")

// stateFile is the SQLite file a run works on, and what to do when it ends.
// A real run uses -db, or a new temporary file it leaves for the operator.
// A dry run records nothing: it works on a copy of an existing -db (or a
// fresh file) in a temporary directory that cleanup removes.
func stateFile(cfg config) (path string, cleanup func(), err error) {
	if !cfg.DryRun && cfg.DB != "" {
		return cfg.DB, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "herald-shipping-")
	if err != nil {
		return "", nil, err
	}
	path = filepath.Join(dir, "shipping.db")
	if !cfg.DryRun {
		return path, func() {}, nil
	}
	cleanup = func() { os.RemoveAll(dir) }
	if cfg.DB != "" {
		if err := copyFile(cfg.DB, path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			cleanup()
			return "", nil, err
		}
	}
	return path, cleanup, nil
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600)
}

// forwardStatus hands a receipt to the Service as a status webhook would.
// A receipt that overtakes the write of its own send is kept by the Service
// and applied once the send is stored (notify.WithEarlyReceiptWindow).
func forwardStatus(ctx context.Context, svc *notify.Service, u provider.StatusUpdate) {
	if svc != nil {
		_ = svc.HandleStatus(ctx, u) // fails only when the store does
	}
}

// waitReceipts waits until want final receipts were handled, or for at most
// limit.
func waitReceipts(ctx context.Context, got *atomic.Int64, tick <-chan struct{}, want int64, limit time.Duration) {
	deadline := time.After(limit)
	for got.Load() < want {
		select {
		case <-tick:
		case <-deadline:
			return
		case <-ctx.Done():
			return
		}
	}
}

// idempotencyKey names this send: the same list and body on the same
// database is the same notification, sent once.
func idempotencyKey(cfg config, rs []notify.Recipient) string {
	h := fnv.New64a()
	io.WriteString(h, cfg.Body)
	for _, r := range rs {
		io.WriteString(h, "\x00"+r.To)
	}
	return fmt.Sprintf("shipping-%x", h.Sum64())
}
