package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/internal/mask"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/throttle"
)

// Notifier sends notifications. *Service implements it; hosts can write
// their own for tests.
type Notifier interface {
	Send(ctx context.Context, n Notification) (*Report, error)
}

var _ Notifier = (*Service)(nil)

// ErrClosed is returned by calls on a Service after Shutdown.
var ErrClosed = errors.New("notify: service shut down")

// Service is Herald's pipeline: it normalises recipients, checks compliance,
// segments and throttles, sends through the provider, and keeps topics,
// history, tallies and replies. Create one with New; it is safe for
// concurrent use. Shutdown drains in-flight sends and stops every goroutine
// the Service started.
type Service struct {
	provider provider.Provider
	lookuper provider.Lookuper // nil unless the provider looks up line types
	provName string
	cfg      config
	store    Store
	log      *slog.Logger
	owner    string // identifies this instance's outbox claims
	policy   *compliance.Policy
	limiter  *throttle.Limiter
	tmpls    templateCache

	dir directory // contact points, accounts, permissions (directory.go)

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
	stop   chan struct{}
	jobs   map[string]*job // notifications this instance is running
	// incomplete remembers the row count of notifications whose acceptance
	// a crash interrupted, so discovery joins them again only on a change.
	incomplete map[string]int
	// pauseMu orders the read-modify-write of a notification's state by
	// Pause, Resume and the guard.
	pauseMu sync.Mutex

	startMu sync.Mutex // guards started; held while Start runs
	started bool

	early earlyReceipts // receipts that overtook their send (early_receipt.go)

	tel telemetry // metrics and traces (telemetry.go); zero: none
}

// config holds what the options set. Pipeline options live in options.go,
// part-two options (contact points, hooks) in directory.go.
type config struct {
	store  Store
	logger *slog.Logger
	now    func() time.Time
	dir    dirConfig
	pipe   pipeConfig

	earlyWindow time.Duration // see WithEarlyReceiptWindow
	otel        otelConfig    // see WithMeterProvider, WithTracerProvider

	errs []error // invalid option values, returned by New
}

// Option configures a Service.
type Option func(*config)

// WithStore sets where the Service keeps notifications, the outbox, history,
// topics and replies. The default is a new MemoryStore.
func WithStore(s Store) Option { return func(c *config) { c.store = s } }

// WithLogger sets the logger; the default discards everything. Phone numbers
// are masked in every log line.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// New returns a Service sending through p. With no options every part has a
// working in-memory default: notify.New(fake.New()) works as is.
//
// New does no I/O: it checks the options and wires the components. Start
// readies the store and resumes what a stopped or crashed Service left
// (the first call that needs the store starts it otherwise).
func New(p provider.Provider, opts ...Option) (*Service, error) {
	if p == nil {
		return nil, errors.New("notify: New needs a provider")
	}
	cfg := config{now: time.Now, pipe: defaultPipeConfig(), earlyWindow: DefaultEarlyReceiptWindow}
	for _, o := range opts {
		o(&cfg)
	}
	if err := errors.Join(cfg.errs...); err != nil {
		return nil, err
	}
	if cfg.store == nil {
		cfg.store = NewMemoryStore()
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	} else {
		// Every line the Service writes has its numbers masked, whatever
		// a message or an error quotes.
		cfg.logger = slog.New(mask.Handler(cfg.logger.Handler()))
	}
	s := &Service{
		provider:   p,
		provName:   providerName(p),
		cfg:        cfg,
		store:      cfg.store,
		log:        cfg.logger,
		owner:      newID("svc"),
		stop:       make(chan struct{}),
		jobs:       make(map[string]*job),
		incomplete: make(map[string]int),
		policy:     cfg.pipe.policy,
		limiter:    cfg.pipe.limiter,
	}
	if lk, ok := p.(provider.Lookuper); ok && cfg.pipe.lookup {
		s.lookuper = lk
		if cache, ok := cfg.store.(provider.LineInfoCache); ok {
			s.lookuper = provider.CachedLookup(lk, cache, cfg.pipe.lookupTTL, cfg.now)
		}
	}
	if s.policy != nil && cfg.pipe.consent != nil {
		return nil, errors.New("notify: WithConsentStore configures the default policy; with WithPolicy, give the policy its consent store (compliance.WithConsentStore)")
	}
	if s.policy == nil {
		s.policy = compliance.NewPolicy(defaultPolicyOptions(cfg)...)
	}
	if s.limiter == nil && !cfg.pipe.limits.empty() {
		s.limiter = throttle.NewLimiter(throttle.NewMemoryStore())
	}
	if err := s.dir.init(s); err != nil {
		return nil, err
	}
	s.tel.otel = newOtelTelemetry(cfg.otel, s)
	return s, nil
}

// Start readies the store and resumes what a stopped or crashed Service
// left: it records the default topic and the contact points' sender
// numbers, returns expired outbox claims to pending, turns rows that may
// have reached the provider into OutcomeUnknown (never resent), and resumes
// the unfinished notifications in the background (see WithResumeOnStart).
//
// New does no I/O, so a Service over a durable store should be started
// explicitly, to see its errors and to resume old work without waiting for
// a first call. The first Send, SendStream, Plan, Resume, Wait, HandleInbound
// or HandleStatus starts the Service itself if Start was not called. Start
// may be called again after an error; after success it does nothing.
func (s *Service) Start(ctx context.Context) error {
	s.startMu.Lock()
	defer s.startMu.Unlock()
	if s.started {
		return nil
	}
	if err := s.dir.start(ctx, s); err != nil {
		return err
	}
	if err := s.recover(ctx); err != nil {
		return err
	}
	if s.cfg.pipe.resumeOnNew {
		s.goBackground(s.discover)
	}
	s.started = true
	return nil
}

// ready starts the Service on its first use.
func (s *Service) ready(ctx context.Context) error {
	s.startMu.Lock()
	done := s.started
	s.startMu.Unlock()
	if done {
		return nil
	}
	return s.Start(ctx)
}

// providerName is the name receipts of p carry, for the history.
func providerName(p provider.Provider) string {
	if n, ok := p.(interface{ Name() string }); ok {
		return n.Name()
	}
	return ""
}

// newID returns prefix + "_" + 16 random hex digits.
func newID(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + "_" + hex.EncodeToString(b[:])
}

// Store returns the store the Service keeps its state in.
func (s *Service) Store() Store { return s.store }

// Policy returns the compliance policy the Service checks recipients
// against, for recording consent (Policy().ConsentStore()).
func (s *Service) Policy() *compliance.Policy { return s.policy }

// now reads the Service clock.
func (s *Service) now() time.Time { return s.cfg.now() }

// goBackground runs fn in a goroutine Shutdown waits for; it reports false
// (and runs nothing) after Shutdown.
func (s *Service) goBackground(fn func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn()
	}()
	return true
}

// Shutdown stops accepting sends, lets in-flight provider calls finish
// (rows not yet handed to the provider go back to the outbox as pending),
// stops scheduled resumptions, and waits for every goroutine the Service
// started, or for ctx to end.
func (s *Service) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.stop)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// defaultPolicyOptions wires the default policy to the shared state: the
// consent ledger of WithConsentStore, else the Store's own when it keeps one
// (MemoryStore and notify/sqlstore do), and the Store's frequency record for
// caps and the duplicate guard, so Services sharing a store share them; and
// the Service clock.
func defaultPolicyOptions(cfg config) []compliance.PolicyOption {
	po := []compliance.PolicyOption{compliance.WithClock(cfg.now)}
	switch cs, ok := cfg.store.(compliance.ConsentStore); {
	case cfg.pipe.consent != nil:
		po = append(po, compliance.WithConsentStore(cfg.pipe.consent))
	case ok:
		po = append(po, compliance.WithConsentStore(cs))
	}
	if fs, ok := cfg.store.(compliance.FrequencyStore); ok {
		po = append(po, compliance.WithFrequencyStore(fs))
	}
	return po
}

// stopping reports whether Shutdown has been called.
func (s *Service) stopping() bool { return isClosed(s.stop) }

// enter registers a call Shutdown waits for; false after Shutdown.
func (s *Service) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}
