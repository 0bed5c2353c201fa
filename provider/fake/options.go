package fake

import (
	"context"
	"time"

	"github.com/heraldsms/herald/provider"
)

// Option configures a Provider.
type Option func(*config)

// Rule decides the outcome of one send. It runs before the send is
// recorded, with no lock held, so it may block (honouring ctx) to simulate
// a hung provider. A nil error lets the send proceed to the other scripted
// outcomes; a non-nil error fails it.
type Rule func(ctx context.Context, m provider.Message) error

type config struct {
	name         string
	seed         uint64
	latency      time.Duration
	failNth      map[int]error
	failNumber   map[string]error
	rate429      float64
	retryAfter   time.Duration
	rateTimeout  float64
	rules        []Rule
	receiptDelay time.Duration
	receipts     bool
	undelivered  map[string]undelivered
	failAll      error
	onStatus     func(provider.StatusUpdate)
	onInbound    func(provider.Inbound)
	replyDelay   time.Duration
	reply        func(m provider.Message) (string, bool)
	lineTypes    map[string]provider.LineType
}

// WithName sets the provider name used in receipts, errors and events
// (default "fake").
func WithName(name string) Option { return func(c *config) { c.name = name } }

// WithSeed seeds the random source behind the scripted rates, so runs are
// reproducible (default seed 1).
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithLatency makes every send take d. The wait honours ctx (a send
// canceled while waiting fails ambiguously) and holds no lock, so
// concurrent sends overlap as they would against a real provider.
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// FailNth makes the nth send attempt (counting from 1, in the order sends
// reach the fake) fail with err. Use the error constructors in this package
// (RateLimited, Timeout, Permanent, ...) or any *provider.Error.
func FailNth(n int, err error) Option {
	return func(c *config) {
		if c.failNth == nil {
			c.failNth = map[int]error{}
		}
		c.failNth[n] = err
	}
}

// FailNumber makes every send to the number to fail with err.
func FailNumber(to string, err error) Option {
	return func(c *config) {
		if c.failNumber == nil {
			c.failNumber = map[string]error{}
		}
		c.failNumber[to] = err
	}
}

// WithRateLimit rejects a fraction rate (0..1) of sends with HTTP 429 and the
// given Retry-After, drawn from the seeded random source.
func WithRateLimit(rate float64, retryAfter time.Duration) Option {
	return func(c *config) { c.rate429, c.retryAfter = rate, retryAfter }
}

// WithTimeoutRate fails a fraction rate (0..1) of sends with an ambiguous
// timeout; those messages are recorded as sent.
func WithTimeoutRate(rate float64) Option { return func(c *config) { c.rateTimeout = rate } }

// WithRule adds a Rule consulted on every send, in the order added.
func WithRule(r Rule) Option { return func(c *config) { c.rules = append(c.rules, r) } }

// WithDeliveryReceipts makes the fake report every accepted message as
// delivered through the OnStatus callback, delay after it was sent.
func WithDeliveryReceipts(delay time.Duration) Option {
	return func(c *config) { c.receipts, c.receiptDelay = true, delay }
}

// undelivered is a scripted failed receipt.
type undelivered struct {
	code   string
	reason error
}

// Undelivered makes the delivery receipt for messages to the number to say
// undelivered with the given provider code (e.g. "30003") and
// provider.ErrUnreachable instead of delivered. It needs
// WithDeliveryReceipts.
func Undelivered(to, code string) Option {
	return UndeliveredWith(to, code, provider.ErrUnreachable)
}

// UndeliveredWith is Undelivered with the receipt's reason: for example
// provider.ErrFiltered (a carrier filter, "30007"), provider.ErrSender (an
// unregistered sender, "30034") or provider.ErrOptedOut ("21610"), so the
// receipt's Fault() is what a real adapter would report.
func UndeliveredWith(to, code string, reason error) Option {
	return func(c *config) {
		if c.undelivered == nil {
			c.undelivered = map[string]undelivered{}
		}
		c.undelivered[to] = undelivered{code, reason}
	}
}

// WithError fails every send that FailNth, FailNumber and the scripted
// rates let through with err, for example SenderRejected("...") to pause a
// notification, OptedOut() or AuthFailed().
func WithError(err error) Option { return func(c *config) { c.failAll = err } }

// OnStatus sets the callback that receives delivery receipts, from a timer
// goroutine. It must not call Close.
func OnStatus(fn func(provider.StatusUpdate)) Option { return func(c *config) { c.onStatus = fn } }

// OnInbound sets the callback that receives inbound replies, from a timer
// goroutine or from Receive. It must not call Close.
func OnInbound(fn func(provider.Inbound)) Option { return func(c *config) { c.onInbound = fn } }

// WithAutoReply makes the recipient of each accepted message answer, delay
// later, with the text reply returns when its second result is true. The
// reply goes to the OnInbound callback.
func WithAutoReply(delay time.Duration, reply func(m provider.Message) (string, bool)) Option {
	return func(c *config) { c.replyDelay, c.reply = delay, reply }
}

// WithLineType sets what Lookup reports for number (default LineMobile).
func WithLineType(number string, t provider.LineType) Option {
	return func(c *config) {
		if c.lineTypes == nil {
			c.lineTypes = map[string]provider.LineType{}
		}
		c.lineTypes[number] = t
	}
}
