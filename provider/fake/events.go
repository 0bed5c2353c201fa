package fake

import (
	"time"

	"github.com/heraldsms/herald/provider"
)

// scheduleLocked arms the delivery receipt and auto-reply timers for an
// accepted message. Called with p.mu held.
func (p *Provider) scheduleLocked(id string, m provider.Message) {
	if p.cfg.receipts && p.cfg.onStatus != nil {
		u := provider.StatusUpdate{Provider: p.cfg.name, ID: id, Status: provider.StatusDelivered,
			Raw: "delivered", From: m.From, To: m.To, Segments: segments(m.Body)}
		if und, ok := p.cfg.undelivered[m.To]; ok {
			u.Status, u.Raw, u.Code, u.Err = provider.StatusUndelivered, "undelivered", und.code, und.reason
		}
		p.afterLocked(id, p.cfg.receiptDelay, func() {
			u.At = time.Now()
			p.cfg.onStatus(u)
		})
	}
	if p.cfg.reply != nil && p.cfg.onInbound != nil {
		body, ok := p.cfg.reply(m)
		if !ok {
			return
		}
		in := provider.Inbound{Provider: p.cfg.name, ID: "reply-" + id, From: m.To, To: m.From,
			Body: body, Segments: segments(body)}
		p.afterLocked("reply-"+id, p.cfg.replyDelay, func() {
			in.Received = time.Now()
			p.cfg.onInbound(in)
		})
	}
}

// afterLocked runs fn after d on a timer tracked under key, unless Close or
// Cancel stops it first. Called with p.mu held.
func (p *Provider) afterLocked(key string, d time.Duration, fn func()) {
	p.wg.Add(1)
	p.timers[key] = time.AfterFunc(d, func() {
		defer p.wg.Done()
		p.mu.Lock()
		_, live := p.timers[key]
		delete(p.timers, key)
		p.mu.Unlock()
		if live {
			fn()
		}
	})
}

// Deliver hands u to the OnStatus callback now, as if the provider had
// posted it; Provider and At are filled in when empty. It does nothing
// without a callback.
func (p *Provider) Deliver(u provider.StatusUpdate) {
	if p.cfg.onStatus == nil {
		return
	}
	if u.Provider == "" {
		u.Provider = p.cfg.name
	}
	if u.At.IsZero() {
		u.At = time.Now()
	}
	p.cfg.onStatus(u)
}

// Receive hands in to the OnInbound callback now, as if a reply had
// arrived; Provider and Received are filled in when empty. It does nothing
// without a callback.
func (p *Provider) Receive(in provider.Inbound) {
	if p.cfg.onInbound == nil {
		return
	}
	if in.Provider == "" {
		in.Provider = p.cfg.name
	}
	if in.Received.IsZero() {
		in.Received = time.Now()
	}
	p.cfg.onInbound(in)
}

// Close stops every pending receipt and reply timer, waits for callbacks
// already running to return, and makes later sends fail. It is safe to call
// more than once.
func (p *Provider) Close() error {
	p.mu.Lock()
	p.closed = true
	for k, t := range p.timers {
		if t.Stop() {
			p.wg.Done()
		}
		delete(p.timers, k)
	}
	p.mu.Unlock()
	p.wg.Wait()
	return nil
}
