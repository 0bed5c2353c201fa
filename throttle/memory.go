package throttle

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

const memShards = 64

// MemoryStore is the in-process [Store], [Refunder] and [Reserver]: one
// token bucket per key, kept as GCRA (the instant the bucket is full again)
// like the Redis store, with reservations as in x/time/rate. It is safe for
// concurrent use and starts no goroutines. Idle keys are evicted lazily,
// while new keys are added, once their bucket has refilled completely (or
// their quota window has closed): such a key is indistinguishable from a
// new one, so eviction never loses state.
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
	mu       sync.Mutex
	burst    int
	quota    bool
	interval time.Duration // rate: Period/Rate, rounded up
	tat      int64         // rate: unix nanos when the bucket is full again (GCRA)
	used     int           // quota: events charged in the open window
	period   time.Duration // quota window
	winEnd   time.Time     // quota: when the window closes (zero: not open)
	idleAt   atomic.Int64  // unix nanos when the key becomes evictable
	dead     bool          // evicted; callers must look the key up again
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
	_ Reserver = (*MemoryStore)(nil)
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
	return s.ReserveNAt(t, key, limit, n, 0, 0)
}

// ReserveN implements [Reserver] at the store's clock time.
func (s *MemoryStore) ReserveN(ctx context.Context, key string, limit Limit, n int, earliest, latest time.Duration) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	return s.ReserveNAt(s.now(), key, limit, n, earliest, latest)
}

// ReserveNAt is ReserveN at time t: it charges n events at the earliest
// instant in [t+earliest, t+latest] the key admits them (Result.Delay after
// t). It never blocks.
func (s *MemoryStore) ReserveNAt(t time.Time, key string, limit Limit, n int, earliest, latest time.Duration) (Result, error) {
	if err := checkCall(key, limit, n); err != nil {
		return Result{}, err
	}
	if limit.IsInf() {
		return Result{Allowed: true, Remaining: math.MaxInt, Delay: max(earliest, 0)}, nil
	}
	earliest = max(earliest, 0)
	latest = max(latest, earliest)
	for {
		e := s.entry(t, key, limit)
		e.mu.Lock()
		if e.dead {
			e.mu.Unlock()
			continue
		}
		r := e.reserve(t, limit, n, earliest, latest)
		e.mu.Unlock()
		return r, nil
	}
}

// CancelN implements [Reserver] at the store's clock time.
func (s *MemoryStore) CancelN(ctx context.Context, key string, limit Limit, n int, r Result) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.CancelNAt(s.now(), key, limit, n, r)
}

// CancelNAt is CancelN at time t.
func (s *MemoryStore) CancelNAt(t time.Time, key string, limit Limit, n int, r Result) error {
	return s.update(t, key, limit, n, func(e *memEntry) { e.cancel(t, limit, n, r.Mark) })
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
	return s.update(t, key, limit, n, func(e *memEntry) { e.refund(t, limit, n) })
}

// update runs give on key's live entry, if any, to give events back.
func (s *MemoryStore) update(t time.Time, key string, limit Limit, n int, give func(*memEntry)) error {
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
	if !e.dead {
		give(e)
	}
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
	e.interval = 0
	if !e.quota {
		e.interval = ceilInterval(limit)
	}
	e.tat = 0
	e.used = 0
	e.winEnd = time.Time{}
	e.idleAt.Store(t.UnixNano())
}

// ceilInterval is Period/Rate rounded up to the nanosecond, so rounding
// never lets a key run faster than its limit.
func ceilInterval(limit Limit) time.Duration {
	return time.Duration(math.Ceil(float64(limit.EffectivePeriod()) / limit.Rate))
}

// configure applies limit to e if it changed since the last call, keeping
// the events the key holds (or owes) at t, as rate.Limiter.SetLimitAt does.
func (e *memEntry) configure(t time.Time, limit Limit) {
	if limit.IsQuota() != e.quota {
		e.reset(t, limit)
		return
	}
	if e.quota {
		e.period = limit.EffectivePeriod()
		e.burst = limit.EffectiveBurst()
		return
	}
	iv, b := ceilInterval(limit), limit.EffectiveBurst()
	if iv == e.interval && b == e.burst {
		return
	}
	tokens := min(e.tokens(t), float64(b))
	e.interval, e.burst = iv, b
	e.tat = 0
	if owed := float64(b) - tokens; owed > 0 {
		e.tat = t.UnixNano() + int64(math.Ceil(owed*float64(iv)))
	}
}

// tokens is what the bucket holds at t: burst when full, negative while it
// owes events reserved ahead or charged beyond the burst.
func (e *memEntry) tokens(t time.Time) float64 {
	ahead := e.tat - t.UnixNano()
	if ahead <= 0 {
		return float64(e.burst)
	}
	return float64(e.burst) - float64(ahead)/float64(e.interval)
}

// addSat is a+b for b >= 0, saturating instead of overflowing.
func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// span is n intervals, saturating instead of overflowing.
func (e *memEntry) span(n int) int64 {
	iv := int64(e.interval)
	if n > 0 && iv > math.MaxInt64/int64(n)/2 {
		return math.MaxInt64 / 2
	}
	return int64(n) * iv
}

// reserve is ReserveN on one locked entry (AllowN when earliest and latest
// are 0). Rate keys are GCRA: tat is the instant the bucket is full again.
func (e *memEntry) reserve(t time.Time, limit Limit, n int, earliest, latest time.Duration) Result {
	e.configure(t, limit)
	if e.quota {
		return e.reserveQuota(t, n, earliest)
	}
	now := t.UnixNano()
	tat := max(e.tat, now)
	// The earliest instant the key admits n: when it holds n events, or,
	// for a request larger than the burst, when it is full.
	due := tat + e.span(n) - e.span(e.burst)
	if n > e.burst {
		due = tat
	}
	due = max(due, addSat(now, int64(earliest)))
	r := Result{}
	if n == 0 || due <= addSat(now, int64(latest)) {
		r.Allowed = true
		if n > 0 {
			r.Delay = time.Duration(due - now)
			e.tat = max(tat, due) + e.span(n)
			r.Mark = e.tat
		}
	} else {
		r.RetryAfter = max(time.Duration(due-addSat(now, int64(latest))), time.Nanosecond)
	}
	e.rateResult(t, &r)
	return r
}

// rateResult fills Remaining and ResetAfter and records when e is idle.
func (e *memEntry) rateResult(t time.Time, r *Result) {
	tokens := e.tokens(t)
	r.Remaining = int(math.Floor(max(tokens, 0)))
	r.ResetAfter = max(time.Duration(e.tat-t.UnixNano()), 0)
	e.idleAt.Store(max(e.tat, t.UnixNano()))
}

// reserveQuota charges a fixed-window quota: in the window open at t,
// however far ahead the events are due.
func (e *memEntry) reserveQuota(t time.Time, n int, earliest time.Duration) Result {
	if !e.winEnd.IsZero() && !t.Before(e.winEnd) {
		e.used, e.winEnd = 0, time.Time{}
	}
	ok := n == 0 || e.used+n <= e.burst || (e.used == 0 && n > e.burst)
	r := Result{Allowed: ok}
	if ok && n > 0 {
		e.used += n
		if e.winEnd.IsZero() {
			e.winEnd = t.Add(e.period)
		}
		r.Delay = earliest
	}
	r.Remaining = max(e.burst-e.used, 0)
	if !e.winEnd.IsZero() {
		r.ResetAfter = e.winEnd.Sub(t)
		if !ok {
			r.RetryAfter = r.ResetAfter
		}
	}
	e.markIdle(t)
	return r
}

// refund gives back n events at t, never beyond the burst.
func (e *memEntry) refund(t time.Time, limit Limit, n int) {
	e.configure(t, limit)
	if e.quota {
		if !e.winEnd.IsZero() && t.Before(e.winEnd) {
			e.used = max(e.used-n, 0)
		}
		e.markIdle(t)
		return
	}
	e.giveBack(t, e.span(n))
}

// cancel gives back the part of a reservation ending at mark (n events)
// that nobody reserved behind.
func (e *memEntry) cancel(t time.Time, limit Limit, n int, mark int64) {
	e.configure(t, limit)
	if e.quota {
		e.refund(t, limit, n)
		return
	}
	behind := max(e.tat-mark, 0)
	e.giveBack(t, max(e.span(n)-behind, 0))
}

func (e *memEntry) giveBack(t time.Time, d int64) {
	now := t.UnixNano()
	if e.tat <= now || d <= 0 {
		e.markIdle(t)
		return
	}
	e.tat = max(e.tat-d, now)
	e.markIdle(t)
}

// markIdle records when e becomes evictable: when its bucket is full
// again, or when its quota window closes.
func (e *memEntry) markIdle(t time.Time) {
	switch {
	case !e.quota:
		e.idleAt.Store(max(e.tat, t.UnixNano()))
	case e.winEnd.IsZero():
		e.idleAt.Store(t.UnixNano())
	default:
		e.idleAt.Store(e.winEnd.UnixNano())
	}
}
