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

// Limiter charges sends against several keys in one store and waits until
// all of them admit. It is safe for concurrent use. The zero Limiter uses a
// fresh [MemoryStore], fails closed and gives bulk the default share.
type Limiter struct {
	once     sync.Once
	store    Store
	refunder Refunder
	reserver Reserver
	failOpen bool
	// lookahead is how far ahead a waiter reserves (see WithLookahead),
	// stretched to the lateness late saw.
	lookahead time.Duration
	late      lateness
	share     float64
	logger    *slog.Logger
	lanes     lanes
	gate      gate // releases per key in the last Period (see Wait)
	built     bool // made by NewLimiter: share is as configured
	// sleep waits d or until ctx ends; tests replace it to wake late.
	sleep func(ctx context.Context, d time.Duration) error
}

// Option configures a Limiter.
type Option func(*Limiter)

// WithFailOpen makes the Limiter admit a send when the store fails (logging
// the error) instead of returning an error matching [ErrStore]. The default
// is fail-closed: nothing goes out faster than allowed, even when the store
// is down.
func WithFailOpen(open bool) Option { return func(l *Limiter) { l.failOpen = open } }

// WithBulkShare sets the minimum share (0 to 1) of a contended key's
// admitted segments kept for [LaneBulk] while [LaneTransactional] sends wait;
// 0 gives transactional strict priority. The default is [DefaultBulkShare].
func WithBulkShare(share float64) Option {
	return func(l *Limiter) {
		if math.IsNaN(share) {
			share = DefaultBulkShare
		}
		l.share = min(max(share, 0), 1)
	}
}

// WithLogger sets the logger for store failures admitted by fail-open.
// Key names in log lines have phone numbers masked. Logging is off by
// default.
func WithLogger(logger *slog.Logger) Option { return func(l *Limiter) { l.logger = logger } }

// NewLimiter returns a Limiter over store; a nil store means a new
// [MemoryStore]. If store implements [Refunder], a send denied by one key
// gives back what it charged to the keys before it.
func NewLimiter(store Store, opts ...Option) *Limiter {
	l := &Limiter{store: store, share: DefaultBulkShare, lookahead: DefaultLookahead, built: true}
	for _, o := range opts {
		o(l)
	}
	l.init()
	return l
}

func (l *Limiter) init() {
	l.once.Do(func() {
		if l.store == nil {
			l.store = NewMemoryStore()
		}
		if !l.built {
			l.share = DefaultBulkShare
			l.lookahead = DefaultLookahead
		}
		l.refunder, _ = l.store.(Refunder)
		if l.lookahead > 0 {
			l.reserver, _ = l.store.(Reserver)
		}
		if l.sleep == nil {
			l.sleep = sleepTimer
		}
		l.lanes.share = l.share
	})
}

// Store returns the store the Limiter charges.
func (l *Limiter) Store() Store {
	l.init()
	return l.store
}

// Wait blocks until every key admits n events (segments) and charges them,
// or until ctx ends. Options select the [Lane] (bulk by default).
//
// With a [Reserver] store, Wait reserves the events once their instant is
// within the lookahead ([WithLookahead]) and sleeps until it: the instant is
// fixed when reserved and the next send's is computed from it, so waking
// late costs the keys no capacity. Every key is charged at the same
// instant. A wait cancelled before its instant gives the reservation back.
// Other stores are polled: Wait retries after the store's RetryAfter.
//
// Waiters that wake late bunch up with punctual ones behind them, so a
// window could see more sends leave than were due in it. The Limiter holds
// a send back until its keys have room: in any window of one Period, the
// sends its Wait and Allow let out (counted when they return) hold at most
// B + Rate events, B being the larger of Burst and the send's own count
// (x/time/rate has no such bound). In steady state this costs no capacity.
// It counts this Limiter's sends only; Limiters in other processes sharing
// the store keep the bound at the due instants.
//
// It fails fast: when the store says the wait is longer than the time left
// before ctx's deadline, Wait returns an error matching both [ErrDeadline]
// and context.DeadlineExceeded at once, without charging anything.
//
// A denial by one key does not consume the others: with a [Refunder] store
// the keys already charged are refunded before waiting; with a store that
// cannot refund, they stay charged and are not charged again when Wait
// retries, so the send uses them when it goes (if ctx ends first, that
// capacity is lost).
//
// n == 0 or no keys returns nil at once; n < 0 is an error matching
// [ErrInvalidCount]; a key with an invalid limit, [ErrInvalidLimit].
func (l *Limiter) Wait(ctx context.Context, keys []Key, n int, opts ...WaitOption) error {
	l.init()
	if err := checkRequest(keys, n); err != nil || n == 0 || len(keys) == 0 {
		return err
	}
	var cfg waitConfig
	for _, o := range opts {
		if o != nil {
			o.applyWait(&cfg)
		}
	}
	l.lanes.enter(keys, cfg.lane)
	admitted, left := 0, false
	leave := func() {
		if !left {
			left = true
			l.lanes.leave(keys, cfg.lane, admitted)
		}
	}
	defer leave()

	held := make([]bool, len(keys)) // keys charged and kept (store cannot refund)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ok, changed := l.lanes.mayTry(keys, cfg.lane)
		if !ok {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-changed:
				continue
			}
		}
		var (
			res    Result
			got    []Result
			denied int
			err    error
			ahead  time.Duration // how far ahead this attempt may reserve
		)
		deadline, hasDeadline := ctx.Deadline()
		if l.reserver != nil {
			ahead = l.ahead(time.Now())
			if hasDeadline {
				ahead = max(min(ahead, time.Until(deadline)-time.Nanosecond), 0)
			}
			res, got, denied, err = l.reserveAll(ctx, keys, n, ahead)
		} else {
			res, denied, err = l.try(ctx, keys, n, held)
		}
		if err != nil {
			return err
		}
		if res.Allowed {
			admitted = n
			if cfg.lane == LaneBulk {
				// A bulk send holding its reservation no longer competes. A
				// transactional one keeps bulk back until it is due, or
				// bulk would fill the lookahead behind it and get ahead of
				// the next transactional send.
				leave()
			}
			// The events are due at a fixed instant; waking late does not
			// move the next reservation.
			if res.Delay > 0 {
				if err := l.sleepFor(ctx, res.Delay); err != nil {
					l.cancelAll(ctx, keys, n, got)
					return err
				}
			}
			if err := l.release(ctx, keys, n); err != nil {
				if got != nil {
					l.cancelAll(ctx, keys, n, got)
				}
				return err
			}
			return nil
		}
		wait := max(res.RetryAfter, time.Nanosecond)
		if hasDeadline {
			due := wait // when the send could go at the earliest
			if !keys[denied].Limit.IsQuota() {
				due += ahead
			}
			// Due at the deadline is too late: ctx ends then.
			if remaining := time.Until(deadline); remaining <= due {
				return fmt.Errorf("%w: key %q needs %v, %v left: %w",
					ErrDeadline, MaskKey(keys[denied].Name), due, max(remaining, 0), context.DeadlineExceeded)
			}
		}
		if err := l.sleepFor(ctx, wait); err != nil {
			return err
		}
	}
}

// sleepTimer waits d or until ctx ends.
func sleepTimer(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// Allow charges n events against every key if all admit them now, without
// waiting. The Result has Allowed, the smallest Remaining, and the largest
// RetryAfter and ResetAfter seen. A denied send charges nothing where the
// store can refund (see [Limiter.Wait]). Lanes do not apply.
func (l *Limiter) Allow(ctx context.Context, keys []Key, n int) (Result, error) {
	l.init()
	if err := checkRequest(keys, n); err != nil {
		return Result{}, err
	}
	if n == 0 || len(keys) == 0 {
		return Result{Allowed: true, Remaining: math.MaxInt}, nil
	}
	if l.reserver != nil {
		// Reserving now (no lookahead) cancels exactly on a denial, even
		// with reservations made behind this one meanwhile.
		res, got, _, err := l.reserveAll(ctx, keys, n, 0)
		res.Delay, res.Mark = 0, 0
		if err != nil || !res.Allowed {
			return res, err
		}
		// Late waiters just let out may have filled the window: then the
		// send is not allowed now either.
		if wait := l.gate.admit(time.Now(), keys, n); wait > 0 {
			l.cancelAll(ctx, keys, n, got)
			return Result{RetryAfter: wait, ResetAfter: res.ResetAfter}, nil
		}
		return res, nil
	}
	res, _, err := l.try(ctx, keys, n, make([]bool, len(keys)))
	if err == nil && res.Allowed {
		l.gate.note(time.Now(), keys, n)
	}
	return res, err
}

func checkRequest(keys []Key, n int) error {
	if n < 0 {
		return fmt.Errorf("%w: %d", ErrInvalidCount, n)
	}
	for _, k := range keys {
		if err := k.Limit.Validate(); err != nil {
			return fmt.Errorf("key %q: %w", MaskKey(k.Name), err)
		}
	}
	return nil
}

// try charges every key not yet held. On a denial it refunds (or, without a
// Refunder, holds) what it charged and returns the denying key's index.
func (l *Limiter) try(ctx context.Context, keys []Key, n int, held []bool) (Result, int, error) {
	agg := Result{Allowed: true, Remaining: math.MaxInt}
	var charged []int
	for i, k := range keys {
		if held[i] {
			continue
		}
		r, err := l.store.AllowN(ctx, k.Name, k.Limit, n)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
				l.undo(ctx, keys, n, held, charged)
				return Result{}, i, ctxErr
			}
			if !l.failOpen {
				l.undo(ctx, keys, n, held, charged)
				return Result{}, i, fmt.Errorf("%w: key %q: %w", ErrStore, MaskKey(k.Name), err)
			}
			l.logFailOpen(ctx, k, n, err)
			r = Result{Allowed: true, Remaining: 0}
		}
		if !r.Allowed {
			l.undo(ctx, keys, n, held, charged)
			return r, i, nil
		}
		charged = append(charged, i)
		agg.Remaining = min(agg.Remaining, r.Remaining)
		agg.ResetAfter = max(agg.ResetAfter, r.ResetAfter)
	}
	return agg, -1, nil
}

// undo gives back the charges of this attempt, or holds them for the next
// one when the store cannot refund.
func (l *Limiter) undo(ctx context.Context, keys []Key, n int, held []bool, charged []int) {
	for _, i := range charged {
		if l.refunder == nil {
			held[i] = true
			continue
		}
		// Refund even if ctx is done: the charge must not leak.
		if err := l.refunder.RefundN(context.WithoutCancel(ctx), keys[i].Name, keys[i].Limit, n); err != nil {
			held[i] = true
			if l.logger != nil {
				l.logger.LogAttrs(ctx, slog.LevelWarn, "throttle refund failed",
					slog.String("key", MaskKey(keys[i].Name)), slog.Int("segments", n), slog.Any("error", err))
			}
		}
	}
}
