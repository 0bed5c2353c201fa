package notify

import (
	"context"
	"fmt"
)

// recover runs when the Service starts: expired claims go back to pending,
// rows that may have reached the provider become OutcomeUnknown, and the
// unfinished notifications are resumed in the background.
func (s *Service) recover(ctx context.Context) error {
	if _, err := s.store.Recover(ctx, s.now()); err != nil {
		return fmt.Errorf("notify: recover outbox: %w", err)
	}
	if !s.cfg.pipe.resumeOnNew {
		return nil
	}
	recs, err := s.store.Unfinished(ctx)
	if err != nil {
		return fmt.Errorf("notify: unfinished notifications: %w", err)
	}
	for _, rec := range recs {
		s.jobFor(rec).tell(command{kind: cmdRun})
	}
	return nil
}

// Wait blocks until the notification has no pending or deferred recipient
// left (or is paused or canceled), or ctx ends, and returns its report.
// Deferred recipients are sent by the Service on its own; Wait is for hosts
// and tests that want to see the end.
func (s *Service) Wait(ctx context.Context, notificationID string) (*Report, error) {
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	for {
		j := s.running(notificationID)
		if j == nil {
			return s.Report(ctx, notificationID)
		}
		ph, changed := j.watch()
		if ph == phasePaused || ph == phaseFinished {
			return s.Report(ctx, notificationID)
		}
		select {
		case <-changed:
		case <-j.ended:
		case <-s.stop:
			return s.Report(ctx, notificationID)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
