package throttle

import (
	"context"
	"hash/maphash"
	"math"
	"slices"
	"sync"
	"time"
)

// maxGated is the largest window bound (events per Period) the Limiter
// holds its releases to; keys allowing more are not gated (their log would
// be large, and a few late wake-ups are a negligible share of the window).
const maxGated = 1 << 16

// sweepEvery is how often the release gate forgets keys idle for a Period.
const sweepEvery = time.Minute

// gate holds what a Limiter let through on each key in the last Period, at
// the instants Wait returned. A reservation fixes when a send is due, not
// when its waiter wakes: waiters that wake late bunch up with punctual ones
// behind them, so more can leave within one Period than the Limit's bound.
// The gate holds a send back until the window behind it has room, so
// releases, not only due instants, keep the bound. In steady state it never
// binds: the key admits Rate per Period and the gate allows more than that
// (Burst + Rate), so it costs no capacity, only the few milliseconds a
// bunch needs to spread out.
//
// The gate counts this Limiter's releases only: Limiters in other
// processes sharing a store keep the bound at their due instants, each
// releasing up to its own wake-up lateness after them.
type gate struct {
	shards [gateShards]gateShard
}

// gateShards spreads the keys over locks, so sends on different keys
// rarely wait for each other.
const gateShards = 16

// gateShard is the release logs of the keys hashed to it.
type gateShard struct {
	mu    sync.Mutex
	logs  map[string]*releaseLog
	swept time.Time
}

var gateSeed = maphash.MakeSeed()

// release is one send let through: when and how many events.
type release struct {
	at time.Time
	n  int
}

// releaseLog is one key's releases in the last period, oldest first.
type releaseLog struct {
	q      []release
	head   int
	sum    int
	period time.Duration
}

// gateBound returns the most events a window of one Period may hold for a
// send of n events on limit (B + Rate, B being the larger of Burst and n:
// the Limit doc's bound for due instants is one less, the one more is the
// slack that lets a bunch spread out without costing capacity), and
// whether the key is gated at all.
// Unlimited keys and quotas are not: a quota counts its fixed window and
// a late wake-up cannot overfill it.
func gateBound(limit Limit, n int) (int, bool) {
	if limit.IsInf() || limit.Rate <= 0 {
		return 0, false
	}
	b := float64(max(limit.EffectiveBurst(), n)) + math.Ceil(limit.Rate)
	if b > maxGated {
		return 0, false
	}
	return int(b), true
}

// prune forgets releases that left the window ending at now.
func (lg *releaseLog) prune(now time.Time) {
	for lg.head < len(lg.q) && now.Sub(lg.q[lg.head].at) >= lg.period {
		lg.sum -= lg.q[lg.head].n
		lg.head++
	}
	if lg.head == len(lg.q) {
		lg.q, lg.head = lg.q[:0], 0
	} else if lg.head > 64 && lg.head*2 > len(lg.q) {
		lg.q = lg.q[:copy(lg.q, lg.q[lg.head:])]
		lg.head = 0
	}
}

// roomAt returns how long from now until n more events fit under bound:
// 0 if they fit now.
func (lg *releaseLog) roomAt(now time.Time, n, bound int) time.Duration {
	excess := lg.sum + n - bound
	if excess <= 0 || lg.sum == 0 {
		return 0
	}
	for _, r := range lg.q[lg.head:] {
		excess -= r.n
		if excess <= 0 {
			return r.at.Add(lg.period).Sub(now)
		}
	}
	// Even an empty window is too small (n > bound cannot happen, since
	// bound ≥ n): wait for the newest release to leave.
	return lg.q[len(lg.q)-1].at.Add(lg.period).Sub(now)
}

// admit lets n events through on every gated key at now and returns 0, or
// returns how long to wait before asking again, letting nothing through.
func (g *gate) admit(now time.Time, keys []Key, n int) time.Duration {
	var buf [8]uint8
	shards := g.lock(now, keys, n, buf[:0])
	defer g.unlock(shards)
	var wait time.Duration
	for _, k := range keys {
		bound, ok := gateBound(k.Limit, n)
		if !ok {
			continue
		}
		lg := g.shard(k.Name).logs[k.Name]
		if lg == nil {
			continue
		}
		lg.period = k.Limit.EffectivePeriod()
		lg.prune(now)
		wait = max(wait, lg.roomAt(now, n, bound))
	}
	if wait > 0 {
		return wait
	}
	g.record(now, keys, n)
	return 0
}

// note records n events let out on keys at now without waiting.
func (g *gate) note(now time.Time, keys []Key, n int) {
	var buf [8]uint8
	shards := g.lock(now, keys, n, buf[:0])
	defer g.unlock(shards)
	g.record(now, keys, n)
}

// shard returns the shard holding key's log.
func (g *gate) shard(key string) *gateShard {
	return &g.shards[maphash.String(gateSeed, key)%gateShards]
}

// lock locks the shards of keys' gated logs in index order (so two sends
// on the same keys never wait for each other crosswise), sweeps them, and
// returns their indexes for unlock.
func (g *gate) lock(now time.Time, keys []Key, n int, shards []uint8) []uint8 {
	for _, k := range keys {
		if _, ok := gateBound(k.Limit, n); ok {
			i := uint8(maphash.String(gateSeed, k.Name) % gateShards)
			if !slices.Contains(shards, i) {
				shards = append(shards, i)
			}
		}
	}
	slices.Sort(shards)
	for _, i := range shards {
		g.shards[i].mu.Lock()
		g.shards[i].sweep(now)
	}
	return shards
}

func (g *gate) unlock(shards []uint8) {
	for _, i := range shards {
		g.shards[i].mu.Unlock()
	}
}

// record notes n events let through on every gated key at now, whether or
// not they fit (Allow over a store that cannot reserve does not wait). The
// keys' shards are locked.
func (g *gate) record(now time.Time, keys []Key, n int) {
	for _, k := range keys {
		if _, ok := gateBound(k.Limit, n); !ok {
			continue
		}
		sh := g.shard(k.Name)
		if sh.logs == nil {
			sh.logs = make(map[string]*releaseLog)
		}
		lg := sh.logs[k.Name]
		if lg == nil {
			lg = &releaseLog{}
			sh.logs[k.Name] = lg
		}
		lg.period = k.Limit.EffectivePeriod()
		lg.prune(now)
		lg.q = append(lg.q, release{at: now, n: n})
		lg.sum += n
	}
}

// sweep forgets, once every sweepEvery, the keys with nothing in their
// window, so a Limiter over many short-lived keys stays small.
func (sh *gateShard) sweep(now time.Time) {
	if now.Sub(sh.swept) < sweepEvery {
		return
	}
	sh.swept = now
	for name, lg := range sh.logs {
		lg.prune(now)
		if lg.sum == 0 {
			delete(sh.logs, name)
		}
	}
}

// release lets n events out on keys once the window behind them has room
// (see gate), waiting if a bunch of late waiters filled it.
func (l *Limiter) release(ctx context.Context, keys []Key, n int) error {
	for {
		wait := l.gate.admit(time.Now(), keys, n)
		if wait <= 0 {
			return nil
		}
		if err := l.sleepFor(ctx, wait); err != nil {
			return err
		}
	}
}
