package notify

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heraldsms/herald/provider"
)

// DefaultEarlyReceiptWindow is how long HandleStatus keeps a delivery
// receipt that arrived before the message's provider id was stored, unless
// WithEarlyReceiptWindow says otherwise.
const DefaultEarlyReceiptWindow = 2 * time.Minute

const (
	// maxEarlyReceipts caps the early-receipt buffer; the oldest receipt
	// is dropped (with a warning) to make room.
	maxEarlyReceipts = 10_000
	// earlyRetryEvery is how often buffered receipts are tried against the
	// store again, while any are buffered.
	earlyRetryEvery = time.Second
)

// WithEarlyReceiptWindow sets how long a delivery receipt for a provider
// message id the store does not know yet is kept and retried (default
// DefaultEarlyReceiptWindow). A carrier's receipt webhook can overtake the
// write of its own send, or land on another instance sharing the store:
// HandleStatus accepts such a receipt (returns nil), applies it as soon as
// this instance stores the message's provider id, and otherwise retries it
// every second until the window ends, when it is dropped with a logged
// warning. At most 10,000 receipts are kept; the oldest is dropped first.
// A window of 0 disables buffering: HandleStatus then fails with
// ErrNotFound for an unknown message, so the webhook can answer an error.
func WithEarlyReceiptWindow(d time.Duration) Option {
	return func(c *config) { c.earlyWindow = max(d, 0) }
}

// earlyKey identifies a provider message.
type earlyKey struct{ provider, id string }

// earlyReceipt is one buffered receipt.
type earlyReceipt struct {
	seq     uint64
	u       provider.StatusUpdate
	expires time.Time
}

// earlyReceipts buffers receipts that arrived before their message's
// provider id was stored. Its zero value is an empty buffer holding up to
// maxEarlyReceipts.
type earlyReceipts struct {
	n   atomic.Int64 // len(list), read without mu on the send path
	max int          // 0 means maxEarlyReceipts (tests lower it)

	mu      sync.Mutex
	list    []earlyReceipt   // in arrival order
	byKey   map[earlyKey]int // receipts buffered per provider message
	seq     uint64
	running bool // the retry goroutine is running
}

// removeLocked drops the entries for which drop reports true, keeping
// byKey and n in step. e.mu must be held.
func (e *earlyReceipts) removeLocked(drop func(*earlyReceipt) bool) {
	e.list = slices.DeleteFunc(e.list, func(r earlyReceipt) bool {
		if !drop(&r) {
			return false
		}
		k := earlyKey{r.u.Provider, r.u.ID}
		if e.byKey[k]--; e.byKey[k] <= 0 {
			delete(e.byKey, k)
		}
		return true
	})
	e.n.Store(int64(len(e.list)))
}

// bufferReceipt keeps u for a later try and starts the retry goroutine if
// it is not running. It reports false, keeping nothing, after Shutdown.
func (s *Service) bufferReceipt(u provider.StatusUpdate) bool {
	e := &s.early
	e.mu.Lock()
	defer e.mu.Unlock()
	select {
	case <-s.stop:
		return false
	default:
	}
	if !e.running {
		if !s.goBackground(s.retryEarlyReceipts) {
			return false
		}
		e.running = true
	}
	limit := e.max
	if limit <= 0 {
		limit = maxEarlyReceipts
	}
	for len(e.list) >= limit {
		old := e.list[0]
		s.log.Warn("notify: early receipt buffer full, dropping the oldest receipt",
			"provider", old.u.Provider, "provider_id", old.u.ID, "status", old.u.Status.String(),
			"to", provider.MaskNumber(old.u.To))
		e.removeLocked(func(r *earlyReceipt) bool { return r.seq == old.seq })
	}
	if e.byKey == nil {
		e.byKey = make(map[earlyKey]int)
	}
	e.seq++
	e.list = append(e.list, earlyReceipt{seq: e.seq, u: u, expires: s.now().Add(s.cfg.earlyWindow)})
	e.byKey[earlyKey{u.Provider, u.ID}]++
	e.n.Store(int64(len(e.list)))
	return true
}

// applyEarlyReceipts applies the receipts buffered for m, which the
// pipeline has just completed with its provider id. It costs an atomic load
// when nothing is buffered.
func (s *Service) applyEarlyReceipts(m *Message) {
	e := &s.early
	if e.n.Load() == 0 || m.ProviderID == "" {
		return
	}
	k := earlyKey{m.Provider, m.ProviderID}
	e.mu.Lock()
	if e.byKey[k] == 0 {
		e.mu.Unlock()
		return
	}
	var mine []provider.StatusUpdate
	e.removeLocked(func(r *earlyReceipt) bool {
		if r.u.Provider != k.provider || r.u.ID != k.id {
			return false
		}
		mine = append(mine, r.u)
		return true
	})
	e.mu.Unlock()
	ctx := s.bgContext()
	for _, u := range mine {
		if err := s.applyStatus(ctx, u); err != nil {
			s.log.Error("notify: early receipt", "provider", u.Provider, "provider_id", u.ID,
				"to", provider.MaskNumber(m.To), "err", err)
		}
	}
}

// retryEarlyReceipts tries the buffered receipts again every
// earlyRetryEvery until the buffer is empty or the Service shuts down.
func (s *Service) retryEarlyReceipts() {
	t := time.NewTicker(earlyRetryEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			s.early.mu.Lock()
			s.early.running = false
			s.early.mu.Unlock()
			return
		case <-t.C:
		}
		if !s.retryEarlyOnce(s.bgContext()) {
			return
		}
	}
}

// retryEarlyOnce drops expired receipts and tries the others against the
// store. It reports whether receipts are left; when none are, the retry
// goroutine is marked stopped (under the buffer lock, so the next buffered
// receipt starts a new one).
func (s *Service) retryEarlyOnce(ctx context.Context) bool {
	e := &s.early
	now := s.now()
	e.mu.Lock()
	e.removeLocked(func(r *earlyReceipt) bool {
		if now.Before(r.expires) {
			return false
		}
		s.log.Warn("notify: dropping a delivery receipt for an unknown message",
			"provider", r.u.Provider, "provider_id", r.u.ID, "status", r.u.Status.String(),
			"to", provider.MaskNumber(r.u.To), "waited", s.cfg.earlyWindow)
		return true
	})
	if len(e.list) == 0 {
		e.running = false
		e.mu.Unlock()
		return false
	}
	try := slices.Clone(e.list)
	e.mu.Unlock()

	done := make(map[uint64]bool, len(try))
	for _, r := range try {
		err := s.applyStatus(ctx, r.u)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			s.log.Error("notify: early receipt", "provider", r.u.Provider, "provider_id", r.u.ID,
				"to", provider.MaskNumber(r.u.To), "err", err)
		}
		done[r.seq] = true
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if len(done) > 0 {
		e.removeLocked(func(r *earlyReceipt) bool { return done[r.seq] })
	}
	if len(e.list) == 0 {
		e.running = false
		return false
	}
	return true
}
