package notify

import (
	"context"
	"fmt"
)

// Cancel stops a notification for good: nothing more is sent, and every
// recipient not yet handed to the provider is reported OutcomeCanceled
// (reason "canceled", ErrCanceled). Provider calls already in flight on
// this instance finish first; another instance sharing the store finishes
// the rows it holds (at most one claim batch) and takes no more. Canceling
// a notification that is done or canceled does nothing. Cancel may be
// called from a callback.
func (s *Service) Cancel(ctx context.Context, notificationID string) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	s.pauseMu.Lock()
	rec, err := s.store.Notification(ctx, notificationID)
	if err == nil && (rec.State == NotificationPending || rec.State == NotificationPaused) {
		rec.State, rec.PauseReason, rec.UpdatedAt = NotificationCanceled, "canceled", s.now()
		err = s.store.UpdateNotification(ctx, rec)
	}
	s.pauseMu.Unlock()
	if err != nil {
		return fmt.Errorf("notify: cancel %s: %w", notificationID, err)
	}
	s.mu.Lock()
	j := s.jobs[notificationID]
	s.mu.Unlock()
	if j != nil {
		// The job stops taking rows; the rows its workers give back are
		// canceled when it settles (pauseSettle).
		j.canceled.Store(true)
		j.mu.Lock()
		j.setPaused("canceled")
		j.mu.Unlock()
	}
	if _, err := s.store.CancelRows(ctx, notificationID, s.now()); err != nil {
		return fmt.Errorf("notify: cancel %s: %w", notificationID, err)
	}
	return nil
}
