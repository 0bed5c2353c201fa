package notify

import (
	"fmt"
	"net/url"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/throttle"
)

// pipeConfig holds the pipeline options.
type pipeConfig struct {
	policy      *compliance.Policy
	consent     compliance.ConsentStore
	limiter     *throttle.Limiter
	limits      Limits
	retry       RetryPolicy
	concurrency int
	region      string
	pricing     *PriceTable
	snippets    map[string]string
	smart       bool
	noEmoji     map[string]bool
	guard       Thresholds
	lease       time.Duration
	lookup      bool
	callback    string
	lookupTTL   time.Duration
	lookupFail  LookupFailure
	batch       int
	resumeOnNew bool
	poll        time.Duration
}

func defaultPipeConfig() pipeConfig {
	return pipeConfig{
		retry:       DefaultRetryPolicy,
		concurrency: 64,
		region:      DefaultRegion,
		guard:       DefaultThresholds,
		lease:       5 * time.Minute,
		lookup:      false,
		lookupTTL:   DefaultLookupTTL,
		batch:       256,
		resumeOnNew: true,
		poll:        DefaultPollInterval,
	}
}

// WithPolicy sets the compliance policy every recipient passes. The default
// is compliance.NewPolicy with an in-memory consent ledger (or the one given
// with WithConsentStore).
func WithPolicy(p *compliance.Policy) Option { return func(c *config) { c.pipe.policy = p } }

// WithConsentStore sets the consent ledger of the default policy; it is
// ignored when WithPolicy is given.
func WithConsentStore(cs compliance.ConsentStore) Option {
	return func(c *config) { c.pipe.consent = cs }
}

// WithThrottle sets the limiter sends wait on. Without it (and without
// WithLimits) sends are not throttled.
func WithThrottle(l *throttle.Limiter) Option { return func(c *config) { c.pipe.limiter = l } }

// Limits are the throttle keys every send is charged against, in segments.
// A zero Limit leaves that key out.
//
// A row is charged when it is paced, just before it is sent. If it then
// does not go out (the last compliance check refuses it, the lookup finds
// a landline, it expires, it goes back to the outbox, or the provider
// refuses it for certain), the charge is given back with
// throttle.Limiter.Refund, so the day's cap counts only texts that may
// have reached a carrier. A text with an unknown outcome keeps its charge.
// A WithThrottle limiter over a store that cannot refund keeps them all.
type Limits struct {
	// Sender limits each sender number ("sender:" + number).
	Sender throttle.Limit
	// Campaign limits each Notification.Campaign ("campaign:" + name);
	// notifications without a campaign are not charged.
	Campaign throttle.Limit
	// Daily caps the segments per account and Pacific calendar day
	// (throttle.DailyKey("daily:" + account, now)); 0 means no cap.
	Daily int
}

func (l Limits) empty() bool {
	return l.Sender == (throttle.Limit{}) && l.Campaign == (throttle.Limit{}) && l.Daily == 0
}

// WithLimits sets the throttle keys. Without WithThrottle an in-memory
// limiter is created for them.
//
// Each limit must be valid (throttle.Limit.Validate) and Daily not
// negative; New refuses anything else instead of reading it as "no cap".
func WithLimits(l Limits) Option {
	return func(c *config) {
		c.pipe.limits = l
		for _, k := range []struct {
			name string
			l    throttle.Limit
		}{{"Sender", l.Sender}, {"Campaign", l.Campaign}} {
			if k.l != (throttle.Limit{}) {
				if err := k.l.Validate(); err != nil {
					c.errs = append(c.errs, fmt.Errorf("notify: Limits.%s: %w", k.name, err))
				}
			}
		}
		if l.Daily < 0 {
			c.errs = append(c.errs, fmt.Errorf("notify: Limits.Daily = %d: must be 0 (no cap) or positive", l.Daily))
		}
	}
}

// WithRetry sets the retry schedule for provider errors that are safe to
// retry (the provider surely did not accept the message).
// MaxAttempts must be at least 1 and the durations and factors not
// negative; New refuses anything else.
func WithRetry(r RetryPolicy) Option {
	return func(c *config) {
		c.pipe.retry = r
		if r.MaxAttempts < 1 || r.Initial < 0 || r.Max < 0 || r.MaxElapsed < 0 || r.Multiplier < 0 || r.Jitter < 0 || r.Jitter > 1 {
			c.errs = append(c.errs, fmt.Errorf("notify: WithRetry(%+v): MaxAttempts must be >= 1, durations and Multiplier >= 0, Jitter in [0, 1]", r))
		}
	}
}

// WithConcurrency sets how many provider calls may be in flight at once
// (default 64), so provider latency does not cap throughput. A send starts
// with a few workers (twice GOMAXPROCS) and adds more, up to n, only while
// rows wait for one: a fast provider is served by few workers, a slow one
// (or a throttle holding the workers) by up to n.
//
// n must be positive; New refuses anything else.
func WithConcurrency(n int) Option {
	return func(c *config) {
		c.pipe.concurrency = n
		if n <= 0 {
			c.errs = append(c.errs, fmt.Errorf("notify: WithConcurrency(%d): must be positive", n))
		}
	}
}

// WithDefaultRegion sets the region (ISO 3166-1 alpha-2, default "US")
// numbers without a country code are read in.
func WithDefaultRegion(region string) Option { return func(c *config) { c.pipe.region = region } }

// WithPricing sets the price table behind Report.EstimatedCost.
func WithPricing(t PriceTable) Option { return func(c *config) { c.pipe.pricing = &t } }

// WithSnippets sets the named text blocks a body inserts with {{> name}}.
func WithSnippets(snippets map[string]string) Option {
	return func(c *config) {
		c.pipe.snippets = make(map[string]string, len(snippets))
		for k, v := range snippets {
			c.pipe.snippets[k] = v
		}
	}
}

// WithSmartEncoding replaces characters outside GSM-7 that have a faithful
// GSM-7 twin (curly quotes, dashes, odd spaces) before sending, so a body
// pasted from a word processor stays in the cheap encoding.
func WithSmartEncoding(on bool) Option { return func(c *config) { c.pipe.smart = on } }

// WithoutEmoji makes the given sender numbers refuse bodies with emoji
// (the recipient's result is failed with an *EmojiError).
func WithoutEmoji(senders ...string) Option {
	return func(c *config) {
		if c.pipe.noEmoji == nil {
			c.pipe.noEmoji = make(map[string]bool)
		}
		for _, s := range senders {
			c.pipe.noEmoji[s] = true
		}
	}
}

// WithReputationGuard sets the thresholds past which a bulk send is paused
// (DefaultThresholds unless set; a zero Thresholds turns the guard off).
func WithReputationGuard(t Thresholds) Option { return func(c *config) { c.pipe.guard = t } }

// WithLease sets how long this Service holds an outbox row it claimed
// before another instance (or a restart) may take it over (default 5
// minutes).
//
// d must be positive; New refuses anything else.
func WithLease(d time.Duration) Option {
	return func(c *config) {
		c.pipe.lease = d
		if d <= 0 {
			c.errs = append(c.errs, fmt.Errorf("notify: WithLease(%v): must be positive", d))
		}
	}
}

// WithLookup turns line-type lookups on or off. They are off by default:
// providers charge for each one. When on (and the provider implements
// provider.Lookuper), a row is looked up only after compliance allows it,
// right before its send; a number that cannot receive texts (a landline)
// is reported invalid and not sent. Answers are cached per number in the
// Store when it implements provider.LineInfoCache (MemoryStore does), so
// instances sharing a store share them, for WithLookupTTL. What happens when
// a lookup fails is WithLookupFailure's choice.
func WithLookup(on bool) Option { return func(c *config) { c.pipe.lookup = on } }

// DefaultLookupTTL is how long a cached line-type answer is used.
const DefaultLookupTTL = 30 * 24 * time.Hour

// WithLookupTTL sets how long a cached line-type answer is used (default
// DefaultLookupTTL). d must be positive; New refuses anything else.
func WithLookupTTL(d time.Duration) Option {
	return func(c *config) {
		c.pipe.lookupTTL = d
		if d <= 0 {
			c.errs = append(c.errs, fmt.Errorf("notify: WithLookupTTL(%v): the TTL must be positive", d))
		}
	}
}

// LookupFailure is what a send does when its line-type lookup fails.
type LookupFailure uint8

const (
	// LookupSendAnyway sends as if the number were mobile (the provider
	// refuses a landline itself). The default.
	LookupSendAnyway LookupFailure = iota
	// LookupDefer holds the recipient for LookupRetryAfter and decides it
	// again then (reason "lookup_failed", ErrLookup).
	LookupDefer
)

// LookupRetryAfter is how long LookupDefer holds a recipient.
const LookupRetryAfter = 5 * time.Minute

// WithLookupFailure sets what a failed line-type lookup does (default
// LookupSendAnyway).
func WithLookupFailure(f LookupFailure) Option {
	return func(c *config) {
		c.pipe.lookupFail = f
		if f > LookupDefer {
			c.errs = append(c.errs, fmt.Errorf("notify: WithLookupFailure(%d): unknown policy", f))
		}
	}
}

// WithClock sets the clock the Service decides by (default time.Now): the
// compliance policy's quiet hours and caps (of the default policy; give your
// own policy compliance.WithClock), SendAfter, deferrals, history times.
// Waits — the throttle, retry back-off, deferral timers — run on real
// timers, so tests that move time use testing/synctest, which moves both.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithResumeOnStart sets whether the Service works the unfinished
// notifications the store holds (default true): at Start, what a stopped or
// crashed instance left, and while it runs, every WithPollInterval, what
// other instances sharing the store accepted. It never resends a message
// that may have gone out. Off, a Service runs only what it accepts itself.
func WithResumeOnStart(on bool) Option { return func(c *config) { c.pipe.resumeOnNew = on } }

// WithStatusCallback sets the public URL the provider posts delivery
// receipts to, carried by every send (provider.Message.StatusCallback):
// Twilio, for one, takes it per message, so without it a Service sending
// From a number gets no receipts at all. Point it at the handler that calls
// HandleStatus (twilio.StatusHandler, telnyx.WebhookHandler). It must be an
// absolute http or https URL; New refuses anything else.
func WithStatusCallback(url string) Option {
	return func(c *config) {
		c.pipe.callback = url
		if err := checkCallbackURL(url); err != nil {
			c.errs = append(c.errs, err)
		}
	}
}

// checkCallbackURL accepts an absolute http(s) URL with a host.
func checkCallbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("notify: WithStatusCallback(%q): want an absolute http or https URL", raw)
	}
	return nil
}
