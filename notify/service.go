package notify

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/heraldsms/herald/provider"
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
	cfg      config
	store    Store
	log      *slog.Logger
	owner    string // identifies this instance's outbox claims

	dir directory // contact points, accounts, permissions (directory.go)

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
	stop   chan struct{}
}

// config holds what the options set. Pipeline options live in options.go,
// part-two options (contact points, hooks) in directory.go.
type config struct {
	store  Store
	logger *slog.Logger
	now    func() time.Time
	dir    dirConfig
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
func New(p provider.Provider, opts ...Option) (*Service, error) {
	if p == nil {
		return nil, errors.New("notify: New needs a provider")
	}
	cfg := config{now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.store == nil {
		cfg.store = NewMemoryStore()
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		provider: p,
		cfg:      cfg,
		store:    cfg.store,
		log:      cfg.logger,
		stop:     make(chan struct{}),
	}
	if err := s.dir.init(context.Background(), s); err != nil {
		return nil, err
	}
	return s, nil
}

// Shutdown stops accepting sends, waits for in-flight sends to finish or ctx
// to end, and stops every goroutine the Service started.
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

// Send is implemented in send.go.
