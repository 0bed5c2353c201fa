package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/heraldsms/herald/provider"
)

// RetryPolicy is the schedule for retrying a send the provider surely did
// not accept (a *provider.Error whose Temporary() is true: HTTP 429,
// connection refused, queue full). Ambiguous failures are never retried.
// A provider's Retry-After is honoured when it is longer than the backoff.
type RetryPolicy struct {
	// MaxAttempts bounds the provider calls per recipient, the first
	// included; 1 turns retries off.
	MaxAttempts int
	// Initial is the first backoff; later ones grow by Multiplier up to Max.
	Initial, Max time.Duration
	Multiplier   float64
	// Jitter is the randomization factor (0..1).
	Jitter float64
	// MaxElapsed bounds the total time spent retrying one recipient; 0 means
	// no bound beyond MaxAttempts.
	MaxElapsed time.Duration
}

// DefaultRetryPolicy retries up to 5 attempts, from 500 ms doubling to 30 s,
// for at most 5 minutes.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 5, Initial: 500 * time.Millisecond, Max: 30 * time.Second, Multiplier: 2, Jitter: 0.2, MaxElapsed: 5 * time.Minute}

func (r RetryPolicy) backoff() *backoff.ExponentialBackOff {
	b := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(max(r.Initial, time.Millisecond)),
		backoff.WithMaxInterval(max(r.Max, r.Initial, time.Millisecond)),
		backoff.WithMultiplier(max(r.Multiplier, 1)),
		backoff.WithRandomizationFactor(min(max(r.Jitter, 0), 1)),
		backoff.WithMaxElapsedTime(r.MaxElapsed),
	)
	return b
}

// errGiveBack reports that a send was interrupted before the provider
// accepted anything (Shutdown, a canceled context): the row goes back to
// pending.
var errGiveBack = errors.New("notify: interrupted before send")

// errNotMarked reports that the store could not mark the row Sending: the
// provider was not called, so the row is not unknown; it goes back to the
// outbox.
var errNotMarked = errors.New("notify: row not marked sending")

// sendWithRetry calls the provider, retrying errors that are safe to
// retry. Before every retry, after its back-off, gate decides the row again
// (the last gate); when it refuses, sendWithRetry returns errGated. Before
// every attempt the outbox row id is marked Sending. wait is canceled by
// Shutdown; call is not, so an in-flight provider call is never cut off
// (which would make its outcome ambiguous).
func (s *Service) sendWithRetry(wait, call context.Context, m provider.Message, id string, gate func() bool) (provider.Receipt, error) {
	var b *backoff.ExponentialBackOff
	for attempt := 1; ; attempt++ {
		if attempt > 1 && !gate() {
			return provider.Receipt{}, errGated
		}
		if err := s.store.MarkSending(call, id, s.owner); err != nil {
			if errors.Is(err, ErrClaimLost) {
				return provider.Receipt{}, err
			}
			return provider.Receipt{}, fmt.Errorf("%w: %w", errNotMarked, err)
		}
		pctx, done := s.tel.providerCall(call, s.provName, id, &m)
		rc, err := s.provider.Send(pctx, m)
		done(rc, err)
		if err == nil {
			return rc, nil
		}
		var pe *provider.Error
		if !errors.As(err, &pe) || !pe.Temporary() {
			return rc, err
		}
		if attempt >= max(s.cfg.pipe.retry.MaxAttempts, 1) {
			return rc, err
		}
		if b == nil {
			b = s.cfg.pipe.retry.backoff()
		}
		d := b.NextBackOff()
		if d == backoff.Stop {
			return rc, err
		}
		d = max(d, pe.RetryAfter)
		s.tel.retried(call, s.provName, err)
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-wait.Done():
			t.Stop()
			return provider.Receipt{}, errGiveBack
		}
	}
}
