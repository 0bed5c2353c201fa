package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The statements of RecordInbound and PinInbound, prepared at Open.
const (
	recordInboundSQL = `INSERT INTO herald_inbound (provider, provider_id, at_ns, pinned) VALUES (?, ?, ?, 0)
		ON CONFLICT (provider, provider_id) DO NOTHING`
	sweepInboundSQL = `DELETE FROM herald_inbound WHERE (provider, provider_id) IN
		(SELECT provider, provider_id FROM herald_inbound WHERE pinned = 0 AND at_ns <= ? ORDER BY at_ns LIMIT ?)`
	forgetInboundSQL = `DELETE FROM herald_inbound WHERE provider = ? AND provider_id = ? AND pinned = 0`
	pinInboundSQL    = `INSERT INTO herald_inbound (provider, provider_id, at_ns, pinned) VALUES (?, ?, 0, 1)
		ON CONFLICT (provider, provider_id) DO UPDATE SET pinned = 1`
)

// WithInboundRetention sets how long RecordInbound remembers a provider's
// message ID: at least the provider's webhook retry window, so a retried
// delivery of an inbound message is recognised. The default is 7 days.
// Pinned IDs (PinInbound) are kept for good.
func WithInboundRetention(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.inboundRetention = d
		}
	}
}

// RecordInbound records that the inbound message providerID of provider
// providerName arrived at at, and reports whether it is the first time:
// false means a Store on this database (this instance, another one, or
// this one before a restart) has recorded it already, so it is a retried
// webhook to ignore. Recording is atomic: of callers racing with the same
// pair, exactly one is told first.
//
// IDs are remembered for the inbound retention (WithInboundRetention, 7
// days by default), measured back from the at of later calls; an ID that
// changed someone's consent is kept for good once pinned with PinInbound.
// Every sweepEvery calls, expired unpinned IDs are deleted in bounded
// batches.
func (s *Store) RecordInbound(ctx context.Context, providerName, providerID string, at time.Time) (first bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	sweep := s.inbound.Add(1)%sweepEvery == 0
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, s.d.q(recordInboundSQL), providerName, providerID, nanos(at))
		if err != nil {
			return fmt.Errorf("sqlstore: record inbound %s %s: %w", providerName, providerID, err)
		}
		if first, err = changedOne(res); err != nil {
			return fmt.Errorf("sqlstore: record inbound %s %s: %w", providerName, providerID, err)
		}
		if !sweep || at.IsZero() {
			return nil
		}
		if _, err := s.exec(ctx, tx, s.d.q(sweepInboundSQL),
			nanos(at.Add(-s.cfg.inboundRetention)), sweepBatch); err != nil {
			return fmt.Errorf("sqlstore: sweeping inbound IDs: %w", err)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return first, nil
}

// PinInbound keeps the inbound message ID providerID of provider
// providerName for good, exempt from the retention sweep: the host pins
// the IDs of messages that changed consent (STOP, START), so a retry of
// one, however late, is never applied twice. Pinning an ID not yet
// recorded records it: a later RecordInbound of it reports false.
func (s *Store) PinInbound(ctx context.Context, providerName, providerID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, s.d.q(pinInboundSQL), providerName, providerID); err != nil {
			return fmt.Errorf("sqlstore: pin inbound %s %s: %w", providerName, providerID, err)
		}
		return nil
	})
}

// ForgetInbound removes an unpinned inbound ID, so a message that failed
// to process is processed when the provider retries it (notify.InboundLog).
func (s *Store) ForgetInbound(ctx context.Context, providerName, providerID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.q(forgetInboundSQL), providerName, providerID); err != nil {
			return fmt.Errorf("sqlstore: forget inbound %s %s: %w", providerName, providerID, err)
		}
		return nil
	})
}
