package throttle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"
)

// DefaultLookahead is how far ahead of its due instant a waiting send
// reserves its events unless [WithLookahead] says otherwise.
const DefaultLookahead = 250 * time.Millisecond

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
