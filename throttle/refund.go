package throttle

import (
	"context"
	"fmt"
	"time"
)

// Refund gives back n events that Wait or Allow charged to keys for a send
// that then did not go out (a last check refused it, or it was put back to
// be sent later), so the keys' capacity is not lost to it. The store gives
// the events back at once, never beyond a limit's burst, and a quota gets
// them back only in the window that charged them. The Limiter's own window
// of releases forgets the send too.
//
// Refund needs a [Refunder] store: with any other it gives back nothing and
// returns an error matching [ErrCannotRefund]. Errors name the key
// (masked) and match [ErrStore].
func (l *Limiter) Refund(ctx context.Context, keys []Key, n int) error {
	l.init()
	if err := checkRequest(keys, n); err != nil || n == 0 || len(keys) == 0 {
		return err
	}
	if l.refunder == nil {
		return ErrCannotRefund
	}
	l.gate.forget(time.Now(), keys, n)
	ctx = context.WithoutCancel(ctx) // a refund must not leak for a canceled send
	for _, k := range keys {
		if err := l.refunder.RefundN(ctx, k.Name, k.Limit, n); err != nil {
			return fmt.Errorf("%w: refund key %q: %w", ErrStore, MaskKey(k.Name), err)
		}
	}
	return nil
}

// forget takes the latest release of n events off every gated key's log:
// that send did not go out.
func (g *gate) forget(now time.Time, keys []Key, n int) {
	var buf [8]uint8
	shards := g.lock(now, keys, n, buf[:0])
	defer g.unlock(shards)
	for _, k := range keys {
		if _, ok := gateBound(k.Limit, n); !ok {
			continue
		}
		lg := g.shard(k.Name).logs[k.Name]
		if lg == nil {
			continue
		}
		for i := len(lg.q) - 1; i >= lg.head; i-- {
			if lg.q[i].n == n {
				lg.q[i].n = 0
				lg.sum -= n
				break
			}
		}
	}
}
