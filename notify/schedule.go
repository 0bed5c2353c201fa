package notify

import (
	"context"
	"fmt"
	"time"
)

// scheduleAt runs another pass over j at the given time (the earliest
// deferral: quiet hours ending, SendAfter), while the Service runs.
func (s *Service) scheduleAt(j *job, at time.Time) {
	s.goBackground(func() {
		t := time.NewTimer(max(at.Sub(s.now()), 0))
		defer t.Stop()
		select {
		case <-t.C:
		case <-s.stop:
			return
		}
		if !s.current(j) || j.isPaused() {
			return // paused, or resumed as a new job with timers of its own
		}
		if err := j.run(s.bgContext(), nil); err != nil {
			s.log.Error("notify: scheduled pass", "notification", j.rec.ID, "err", err)
		}
	})
}

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
		j := s.newJob(rec)
		s.goBackground(func() {
			if err := j.run(s.bgContext(), nil); err != nil {
				s.log.Error("notify: resume", "notification", rec.ID, "err", err)
			}
		})
	}
	return nil
}

// Wait blocks until the notification has no pending or deferred recipient
// left, or ctx ends. Deferred recipients are sent by the Service on its own;
// Wait is for hosts and tests that want to see the end.
func (s *Service) Wait(ctx context.Context, notificationID string) (*Report, error) {
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	for {
		s.mu.Lock()
		j := s.jobs[notificationID]
		s.mu.Unlock()
		if j == nil {
			return s.Report(ctx, notificationID)
		}
		j.mu.Lock()
		ch := j.settled
		j.mu.Unlock()
		select {
		case <-ch:
		case <-s.stop:
			return s.Report(ctx, notificationID)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
