package throttle

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

const memShards = 64

// MemoryStore is the in-process [Store]: one x/time/rate token bucket per
// key. It is safe for concurrent use and starts no goroutines. Idle keys are
// evicted lazily, while new keys are added, once their bucket has refilled
// completely (or their quota window has closed): such a key is
// indistinguishable from a new one, so eviction never loses state.
//
// The zero MemoryStore is not usable; call [NewMemoryStore].
type MemoryStore struct {
	now    func() time.Time
	sweep  time.Duration
	seed   maphash.Seed
	shards [memShards]memShard
}

type memShard struct {
	mu        sync.RWMutex
	entries   map[string]*memEntry
	lastSweep time.Time
}

type memEntry struct {
	mu     sync.Mutex
	lim    *rate.Limiter
	limit  rate.Limit // current refill rate in events per second
	burst  int
	quota  bool
	period time.Duration // quota window
	winEnd time.Time     // quota: when the window closes (zero: not open)
	idleAt atomic.Int64  // unix nanos when the key becomes evictable
	dead   bool          // evicted; callers must look the key up again
}

// MemoryOption configures a MemoryStore.
type MemoryOption func(*MemoryStore)

// WithClock sets the time source; the default is time.Now, which
// testing/synctest fakes inside a bubble.
func WithClock(now func() time.Time) MemoryOption {
	return func(s *MemoryStore) {
		if now != nil {
			s.now = now
		}
	}
}

// WithSweepInterval sets how often, at most, each shard of the store looks
// for idle keys to evict when a new key arrives; the default is one minute.
func WithSweepInterval(d time.Duration) MemoryOption {
	return func(s *MemoryStore) {
		if d > 0 {
			s.sweep = d
		}
	}
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore(opts ...MemoryOption) *MemoryStore {
	s := &MemoryStore{now: time.Now, sweep: time.Minute, seed: maphash.MakeSeed()}
	for _, o := range opts {
		o(s)
	}
	for i := range s.shards {
		s.shards[i].entries = make(map[string]*memEntry)
	}
	return s
}

var (
	_ Store    = (*MemoryStore)(nil)
	_ Refunder = (*MemoryStore)(nil)
)

// AllowN implements [Store] at the store's clock time.
func (s *MemoryStore) AllowN(ctx context.Context, key string, limit Limit, n int) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	return s.AllowNAt(s.now(), key, limit, n)
}

// AllowNAt is AllowN at time t. It never blocks.
func (s *MemoryStore) AllowNAt(t time.Time, key string, limit Limit, n int) (Result, error) {
	if err := checkCall(key, limit, n); err != nil {
		return Result{}, err
	}
	if limit.IsInf() {
		return Result{Allowed: true, Remaining: math.MaxInt}, nil
	}
	for {
		e := s.entry(t, key, limit)
		e.mu.Lock()
		if e.dead {
			e.mu.Unlock()
			continue
		}
		r := e.allow(t, limit, n)
		e.mu.Unlock()
		return r, nil
	}
}

// RefundN implements [Refunder]: it gives back n events to key, never
// beyond the limit's burst.
func (s *MemoryStore) RefundN(ctx context.Context, key string, limit Limit, n int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.RefundNAt(s.now(), key, limit, n)
}

// RefundNAt is RefundN at time t.
func (s *MemoryStore) RefundNAt(t time.Time, key string, limit Limit, n int) error {
	if err := checkCall(key, limit, n); err != nil {
		return err
	}
	if limit.IsInf() || n == 0 {
		return nil
	}
	sh := s.shard(key)
	sh.mu.RLock()
	e := sh.entries[key]
	sh.mu.RUnlock()
	if e == nil {
		return nil // evicted or never charged: already full
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.dead {
		return nil
	}
	e.configure(t, limit)
	if e.quota && !e.winEnd.IsZero() && !t.Before(e.winEnd) {
		return nil // window closed: resets to full on next use
	}
	// A reservation of -n adds n tokens; the bucket caps them at burst on
	// its next update.
	e.lim.ReserveN(t, -n)
	e.markIdle(t, e.lim.TokensAt(t))
	return nil
}

// Len returns the number of keys the store currently holds.
func (s *MemoryStore) Len() int {
	total := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		total += len(sh.entries)
		sh.mu.RUnlock()
	}
	return total
}

func checkCall(key string, limit Limit, n int) error {
	if n < 0 {
		return fmt.Errorf("key %q: %w: %d", MaskKey(key), ErrInvalidCount, n)
	}
	if err := limit.Validate(); err != nil {
		return fmt.Errorf("key %q: %w", MaskKey(key), err)
	}
	return nil
}

func (s *MemoryStore) shard(key string) *memShard {
	return &s.shards[maphash.String(s.seed, key)%memShards]
}

// entry returns key's entry, creating it (and sweeping the shard now and
// then) when absent.
func (s *MemoryStore) entry(t time.Time, key string, limit Limit) *memEntry {
	sh := s.shard(key)
	sh.mu.RLock()
	e := sh.entries[key]
	sh.mu.RUnlock()
	if e != nil {
		return e
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if e = sh.entries[key]; e != nil {
		return e
	}
	if t.Sub(sh.lastSweep) >= s.sweep || t.Before(sh.lastSweep) {
		sh.lastSweep = t
		now := t.UnixNano()
		for k, old := range sh.entries {
			if old.idleAt.Load() > now {
				continue
			}
			old.mu.Lock()
			if old.idleAt.Load() <= now {
				old.dead = true
				delete(sh.entries, k)
			}
			old.mu.Unlock()
		}
	}
	e = newMemEntry(t, limit)
	sh.entries[key] = e
	return e
}

func newMemEntry(t time.Time, limit Limit) *memEntry {
	e := &memEntry{}
	e.reset(t, limit)
	return e
}

// reset makes e a full bucket (or a fresh quota) for limit.
func (e *memEntry) reset(t time.Time, limit Limit) {
	e.quota = limit.IsQuota()
	e.burst = limit.EffectiveBurst()
	e.period = limit.EffectivePeriod()
	e.winEnd = time.Time{}
	if e.quota {
		e.limit = 0
	} else {
		e.limit = rate.Limit(limit.PerSecondRate())
	}
	e.lim = rate.NewLimiter(e.limit, e.burst)
	e.idleAt.Store(t.UnixNano())
}

// configure applies limit to e if it changed since the last call.
func (e *memEntry) configure(t time.Time, limit Limit) {
	if limit.IsQuota() != e.quota {
		e.reset(t, limit)
		return
	}
	if e.quota {
		e.period = limit.EffectivePeriod()
	} else if r := rate.Limit(limit.PerSecondRate()); r != e.limit {
		e.lim.SetLimitAt(t, r)
		e.limit = r
	}
	if b := limit.EffectiveBurst(); b != e.burst {
		e.lim.SetBurstAt(t, b)
		e.burst = b
	}
}

// allow is AllowN on one locked entry.
func (e *memEntry) allow(t time.Time, limit Limit, n int) Result {
	e.configure(t, limit)
	if e.quota && !e.winEnd.IsZero() && !t.Before(e.winEnd) {
		e.reset(t, limit)
	}
	tokens := e.lim.TokensAt(t)
	burst := float64(e.burst)
	var ok bool
	switch {
	case n == 0:
		ok = true
	case n <= e.burst:
		ok = e.lim.AllowN(t, n)
	case tokens >= burst:
		// Larger than the bucket: admitted when full; the key owes the rest.
		ok = true
		for left := n; left > 0; {
			c := min(left, e.burst)
			e.lim.ReserveN(t, c)
			left -= c
		}
	}
	if ok && n > 0 {
		tokens -= float64(n)
		if e.quota && e.winEnd.IsZero() {
			e.winEnd = t.Add(e.period)
		}
	}
	r := Result{Allowed: ok, Remaining: int(math.Floor(max(tokens, 0)))}
	if e.quota {
		if !e.winEnd.IsZero() {
			r.ResetAfter = e.winEnd.Sub(t)
			if !ok {
				r.RetryAfter = r.ResetAfter
			}
		}
	} else {
		r.ResetAfter = e.durationFor(burst - tokens)
		if !ok {
			need := float64(n)
			if n > e.burst {
				need = burst
			}
			r.RetryAfter = max(e.durationFor(need-tokens), time.Nanosecond)
		}
	}
	e.markIdle(t, tokens)
	return r
}

// durationFor returns how long the bucket takes to refill tokens, rounded up.
func (e *memEntry) durationFor(tokens float64) time.Duration {
	if tokens <= 0 || e.limit <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(tokens / float64(e.limit) * float64(time.Second)))
}

// markIdle records when e, holding tokens at t, becomes evictable: when its
// bucket is full again, or when its quota window closes.
func (e *memEntry) markIdle(t time.Time, tokens float64) {
	if e.quota {
		if e.winEnd.IsZero() {
			e.idleAt.Store(t.UnixNano())
		} else {
			e.idleAt.Store(e.winEnd.UnixNano())
		}
		return
	}
	e.idleAt.Store(t.Add(e.durationFor(float64(e.burst) - tokens)).UnixNano())
}
