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
	sent     []provider.Message
	ids      []string
	timers   map[string]*time.Timer
	canceled map[string]bool
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
	return nil
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
	var buf [24]byte
	id := string(strconv.AppendInt(append(buf[:0], "fake-"...), int64(p.seq), 10))
	p.sent = append(p.sent, m)
	p.ids = append(p.ids, id)
	return id
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
	return append([]provider.Message(nil), p.sent...)
}

// IDs returns the ids assigned so far, in the order of Sent.
func (p *Provider) IDs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.ids...)
}

// SentTo returns the recorded messages addressed to number, in order.
func (p *Provider) SentTo(number string) []provider.Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []provider.Message
	for _, m := range p.sent {
		if m.To == number {
			out = append(out, m)
		}
	}
	return out
}

// Count returns how many messages have been recorded as sent.
func (p *Provider) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.sent)
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
	for i, v := range p.ids {
		if v == id {
			to = p.sent[i].To
		}
	}
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
