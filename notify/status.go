package notify

import (
	"context"
	"errors"
	"fmt"

	"github.com/heraldsms/herald/provider"
)

// WithOnStatus sets the hook called when a delivery receipt moves a
// message's status (a duplicate or out-of-order receipt that changes
// nothing does not call it). The message carries its topic, account,
// notification and metadata. It is also called when a person settles an
// unknown outcome as delivered (SettleUnknown); that message's last
// StatusChange has Code SettledCode. The hook runs on the caller's
// goroutine (HandleStatus's or SettleUnknown's); it should return quickly.
func WithOnStatus(fn func(ctx context.Context, m Message)) Option {
	return func(c *config) { c.dir.onStatus = fn }
}

// HandleStatus applies a delivery receipt, typically from a provider's
// status webhook: it updates the message's status and status history, the
// topic tallies (a message counts as delivered or failed at most once) and
// so the notification's report. A receipt that arrives after a later one,
// or twice, never moves a message backwards and is counted once.
//
// A receipt for a provider message id the store does not know yet (the
// webhook overtook the write of its own send, or reached another instance
// first) is accepted and kept for the early-receipt window: it is applied
// as soon as the message's provider id is stored (see
// WithEarlyReceiptWindow). With a window of 0, or after Shutdown, such a
// receipt fails with ErrNotFound, so the webhook can answer with an error
// and let the provider retry.
func (s *Service) HandleStatus(ctx context.Context, u provider.StatusUpdate) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	err := s.applyStatus(ctx, u)
	if errors.Is(err, ErrNotFound) && s.cfg.earlyWindow > 0 && s.bufferReceipt(u) {
		return nil
	}
	return err
}

// applyStatus applies u to the store and calls the OnStatus hook when the
// message's status moved.
func (s *Service) applyStatus(ctx context.Context, u provider.StatusUpdate) error {
	m, changed, err := s.store.ApplyStatus(ctx, u)
	if err != nil {
		return fmt.Errorf("notify: status %s for %s message %s: %w", u.Status, u.Provider, u.ID, err)
	}
	if changed {
		s.tel.receipt(ctx, u, &m)
		s.receiptEffects(ctx, m, u)
	}
	if changed && s.dir.onStatus != nil {
		s.dir.onStatus(ctx, m)
	}
	return nil
}
