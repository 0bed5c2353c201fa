package throttle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"
)

// DefaultLookahead is how far ahead of its due instant a waiting send
// reserves its events unless [WithLookahead] says otherwise.
const DefaultLookahead = 500 * time.Millisecond

// maxStretch is how far the Limiter stretches its lookahead, at most, to
// cover the lateness it observes (unless WithLookahead set more).
const maxStretch = 2 * time.Second

// latenessMemory is how long an observed lateness keeps the lookahead
// stretched.
const latenessMemory = time.Minute

// maxAlignRounds bounds how often a send charged on several keys retries to
// get one instant that all of them admit.
const maxAlignRounds = 3

// WithLookahead sets how far ahead a waiting send may reserve its events
// when the store is a [Reserver]. The reservation fixes the instant the
// send is due, and the next one is computed from it, so a waiter that wakes
// up to d late costs the key no capacity. A longer lookahead tolerates later
// wake-ups; a shorter one lets [LaneTransactional] overtake sooner, since
// reservations already made are not reordered. 0 (or a store that cannot
// reserve) polls the store instead. The default is [DefaultLookahead].
//
// When the machine stalls longer than that, the reservations run out and
// the stall costs capacity; the Limiter then stretches its lookahead to
// twice the latest wake-up it saw in the last minute (up to 2 s, or d if
// longer), so the next stall of that length costs nothing.
func WithLookahead(d time.Duration) Option {
	return func(l *Limiter) { l.lookahead = max(d, 0) }
}

// reserveAll reserves n events on every key at one instant within latest
// of now. It returns the aggregate (Delay is that instant), each key's
// reservation for cancelling, or, on a denial, the denying key's Result and
// index after cancelling the others.
func (l *Limiter) reserveAll(ctx context.Context, keys []Key, n int, latest time.Duration) (Result, []Result, int, error) {
	got := make([]Result, len(keys))
	var earliest time.Duration
	for round := 0; ; round++ {
		agg := Result{Allowed: true, Remaining: math.MaxInt}
		aligned := true
		for i, k := range keys {
			r, err := l.reserver.ReserveN(ctx, k.Name, k.Limit, n, earliest, latest)
			if err != nil {
				if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
					l.cancelAll(ctx, keys[:i], n, got)
					return Result{}, nil, i, ctxErr
				}
				if !l.failOpen {
					l.cancelAll(ctx, keys[:i], n, got)
					return Result{}, nil, i, fmt.Errorf("%w: key %q: %w", ErrStore, MaskKey(k.Name), err)
				}
				l.logFailOpen(ctx, k, n, err)
				r = Result{Allowed: true, Delay: earliest}
			}
			if !r.Allowed {
				l.cancelAll(ctx, keys[:i], n, got)
				return r, nil, i, nil
			}
			got[i] = r
			if r.Delay > earliest {
				// A later instant than the keys before this one: move them
				// to it, so that each key's events are due when they go.
				earliest = r.Delay
				if i > 0 && round < maxAlignRounds {
					l.cancelAll(ctx, keys[:i+1], n, got)
					aligned = false
					break
				}
			}
			agg.Remaining = min(agg.Remaining, r.Remaining)
			agg.ResetAfter = max(agg.ResetAfter, r.ResetAfter)
		}
		if aligned {
			agg.Delay = earliest
			return agg, got, -1, nil
		}
	}
}

// cancelAll gives back the reservations got of keys, even if ctx is done:
// the charge must not leak.
func (l *Limiter) cancelAll(ctx context.Context, keys []Key, n int, got []Result) {
	ctx = context.WithoutCancel(ctx)
	for i, k := range keys {
		if err := l.reserver.CancelN(ctx, k.Name, k.Limit, n, got[i]); err != nil && l.logger != nil {
			l.logger.LogAttrs(ctx, slog.LevelWarn, "throttle cancel failed",
				slog.String("key", MaskKey(k.Name)), slog.Int("segments", n), slog.Any("error", err))
		}
	}
}

func (l *Limiter) logFailOpen(ctx context.Context, k Key, n int, err error) {
	if l.logger != nil {
		l.logger.LogAttrs(ctx, slog.LevelWarn, "throttle store failed, admitting (fail-open)",
			slog.String("key", MaskKey(k.Name)), slog.Int("segments", n), slog.Any("error", err))
	}
}

// lateness remembers the latest wake-up the Limiter saw recently: the
// largest in the current minute and in the one before.
type lateness struct {
	mu        sync.Mutex
	cur, prev time.Duration
	since     time.Time // start of cur
}

func (lt *lateness) rotate(now time.Time) {
	switch age := now.Sub(lt.since); {
	case age >= 2*latenessMemory || age < 0:
		lt.cur, lt.prev, lt.since = 0, 0, now
	case age >= latenessMemory:
		lt.cur, lt.prev, lt.since = 0, lt.cur, lt.since.Add(latenessMemory)
	}
}

// note records a wake-up late by late at now.
func (lt *lateness) note(now time.Time, late time.Duration) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	lt.rotate(now)
	lt.cur = max(lt.cur, late)
}

// recent returns the latest wake-up seen in the last minute or two.
func (lt *lateness) recent(now time.Time) time.Duration {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	lt.rotate(now)
	return max(lt.cur, lt.prev)
}

// ahead is how far this Limiter reserves now: its lookahead, stretched to
// twice the lateness it saw recently.
func (l *Limiter) ahead(now time.Time) time.Duration {
	stretched := min(2*l.late.recent(now), max(l.lookahead, maxStretch))
	return max(l.lookahead, stretched)
}

// sleepFor sleeps d (see Limiter.sleep) and records how late it woke.
func (l *Limiter) sleepFor(ctx context.Context, d time.Duration) error {
	target := time.Now().Add(d)
	if err := l.sleep(ctx, d); err != nil {
		return err
	}
	now := time.Now()
	if late := now.Sub(target); late > 0 {
		l.late.note(now, late)
	}
	return nil
}
