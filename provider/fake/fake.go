package fake

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/heraldsms/herald/provider"
)

// Provider is the in-memory fake. Create it with New; it is safe for
// concurrent use.
type Provider struct {
	cfg config

	mu       sync.Mutex
	rng      *rand.Rand
	attempts int
	seq      int
	sent     chunks
	timers   map[string]*time.Timer
	closed   bool
	wg       sync.WaitGroup
}

var (
	_ provider.Provider = (*Provider)(nil)
	_ provider.Lookuper = (*Provider)(nil)
	_ provider.Canceler = (*Provider)(nil)
)

// New returns a fake that accepts every message unless scripted otherwise.
func New(opts ...Option) *Provider {
	c := config{name: Name, seed: 1}
	for _, o := range opts {
		o(&c)
	}
	return &Provider{
		cfg:    c,
		rng:    rand.New(rand.NewPCG(c.seed, c.seed^0x9e3779b97f4a7c15)),
		timers: map[string]*time.Timer{},
	}
}

// Send records m and returns a receipt with a fresh id, or the scripted
// error. A ctx already done fails RejectedRetryable without recording
// anything; a ctx done during the scripted latency fails Ambiguous.
func (p *Provider) Send(ctx context.Context, m provider.Message) (provider.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return provider.Receipt{}, p.stamp(provider.TransportError(p.cfg.name, err, false))
	}
	if p.cfg.latency > 0 {
		if err := p.wait(ctx, p.cfg.latency); err != nil {
			p.record(m)
			return provider.Receipt{}, p.stamp(provider.TransportError(p.cfg.name, err, true))
		}
	}
	for _, r := range p.cfg.rules {
		if err := r(ctx, m); err != nil {
			if provider.ClassOf(err) == provider.Ambiguous {
				p.record(m)
			}
			return provider.Receipt{}, p.stamp(err)
		}
	}

	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return provider.Receipt{}, &provider.Error{Provider: p.cfg.name, Class: provider.Permanent, Err: ErrClosed}
	}
	p.attempts++
	err := p.scripted(m)
	if err != nil && provider.ClassOf(err) != provider.Ambiguous {
		p.mu.Unlock()
		return provider.Receipt{}, p.stamp(err)
	}
	id := p.recordLocked(m)
	if err == nil {
		p.scheduleLocked(id, m)
	}
	p.mu.Unlock()
	if err != nil {
		return provider.Receipt{}, p.stamp(err)
	}
	return provider.Receipt{ID: id, Provider: p.cfg.name, Status: provider.StatusQueued,
		Segments: segments(m.Body), ClientRef: m.ClientRef}, nil
}

// scripted returns the outcome the script gives the current attempt. Called
// with p.mu held.
func (p *Provider) scripted(m provider.Message) error {
	if err, ok := p.cfg.failNth[p.attempts]; ok {
		return err
	}
	if err, ok := p.cfg.failNumber[m.To]; ok {
		return err
	}
	if p.cfg.rate429 > 0 && p.rng.Float64() < p.cfg.rate429 {
		return RateLimited(p.cfg.retryAfter)
	}
	if p.cfg.rateTimeout > 0 && p.rng.Float64() < p.cfg.rateTimeout {
		return Timeout()
	}
	return p.cfg.failAll
}

// stamp returns err with its *provider.Error copied and named after this
// fake, so callers never share or see a foreign name.
func (p *Provider) stamp(err error) error {
	var pe *provider.Error
	if !errors.As(err, &pe) {
		return err
	}
	cp := *pe
	cp.Provider = p.cfg.name
	return &cp
}

func (p *Provider) wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (p *Provider) record(m provider.Message) {
	p.mu.Lock()
	p.attempts++
	p.recordLocked(m)
	p.mu.Unlock()
}

func (p *Provider) recordLocked(m provider.Message) string {
	p.seq++
	p.sent.add(m)
	return idFor(p.seq)
}

// idFor returns the id of the nth recorded message ("fake-n").
func idFor(n int) string {
	var buf [24]byte
	return string(strconv.AppendInt(append(buf[:0], "fake-"...), int64(n), 10))
}

// chunkSize is how many messages one storage chunk holds: growing by whole
// chunks keeps Send from copying everything recorded so far.
const chunkSize = 1024

// chunks is append-only message storage.
type chunks struct {
	blocks [][]provider.Message
	n      int
}

func (c *chunks) add(m provider.Message) {
	if c.n%chunkSize == 0 {
		c.blocks = append(c.blocks, make([]provider.Message, 0, chunkSize))
	}
	last := len(c.blocks) - 1
	c.blocks[last] = append(c.blocks[last], m)
	c.n++
}

// each calls fn with every message and its 1-based sequence number.
func (c *chunks) each(fn func(seq int, m *provider.Message)) {
	seq := 0
	for _, b := range c.blocks {
		for i := range b {
			seq++
			fn(seq, &b[i])
		}
	}
}

// segments is a rough count for receipts: 160 characters per segment, 153
// once concatenated. Real counting lives in package segment.
func segments(body string) int {
	n := len([]rune(body))
	switch {
	case n == 0:
		return 1
	case n <= 160:
		return 1
	default:
		return (n + 152) / 153
	}
}

// Sent returns a copy of every message recorded so far, in order.
func (p *Provider) Sent() []provider.Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]provider.Message, 0, p.sent.n)
	p.sent.each(func(_ int, m *provider.Message) { out = append(out, *m) })
	return out
}

// IDs returns the ids assigned so far, in the order of Sent.
func (p *Provider) IDs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, p.sent.n)
	for i := 1; i <= p.sent.n; i++ {
		out = append(out, idFor(i))
	}
	return out
}

// SentTo returns the recorded messages addressed to number, in order.
func (p *Provider) SentTo(number string) []provider.Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []provider.Message
	p.sent.each(func(_ int, m *provider.Message) {
		if m.To == number {
			out = append(out, *m)
		}
	})
	return out
}

// Count returns how many messages have been recorded as sent.
func (p *Provider) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent.n
}

// Attempts returns how many sends reached the fake, failed ones included
// (sends with a ctx already done do not count).
func (p *Provider) Attempts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.attempts
}

// Lookup reports the line type configured with WithLineType, or
// LineMobile.
func (p *Provider) Lookup(ctx context.Context, number string) (provider.LineInfo, error) {
	if err := ctx.Err(); err != nil {
		return provider.LineInfo{}, err
	}
	t, ok := p.cfg.lineTypes[number]
	if !ok {
		t = provider.LineMobile
	}
	return provider.LineInfo{Number: number, Valid: true, Type: t}, nil
}

// ErrNotCancelable is the reason Cancel fails for an unknown id or a message
// whose receipt was already emitted.
var ErrNotCancelable = errors.New("message not cancelable")

// Cancel stops the pending delivery receipt of the message with id and
// emits a canceled status instead. It fails for ids the fake did not
// assign or whose receipt has already been emitted.
func (p *Provider) Cancel(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	t, ok := p.timers[id]
	if ok && t.Stop() {
		delete(p.timers, id)
		p.wg.Done()
	} else {
		ok = false
	}
	var to string
	p.sent.each(func(seq int, m *provider.Message) {
		if idFor(seq) == id {
			to = m.To
		}
	})
	p.mu.Unlock()
	if !ok {
		return &provider.Error{Provider: p.cfg.name, Class: provider.Permanent,
			Err: fmt.Errorf("%w: %q", ErrNotCancelable, id)}
	}
	if fn := p.cfg.onStatus; fn != nil {
		fn(provider.StatusUpdate{Provider: p.cfg.name, ID: id, Status: provider.StatusCanceled,
			Raw: "canceled", To: to, At: time.Now()})
	}
	return nil
}
