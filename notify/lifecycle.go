package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// A notification's life after acceptance: Pause, Resume and Cancel are
// requests to the job's owner when this Service runs the notification, and
// writes to the store otherwise (an owner elsewhere sees them at its next
// poll). The owner's side of each is here too.

// markPaused records a pending notification as paused with why.
func (s *Service) markPaused(ctx context.Context, id, why string) error {
	return s.setState(ctx, id, why, NotificationPaused, NotificationPending)
}

// markCanceled records a pending or paused notification as canceled.
func (s *Service) markCanceled(ctx context.Context, id string) error {
	return s.setState(ctx, id, "canceled", NotificationCanceled, NotificationPending, NotificationPaused)
}

// resumeRecord records a paused notification as pending again; anything
// else is ErrNotPaused.
func (s *Service) resumeRecord(ctx context.Context, id string) error {
	s.pauseMu.Lock()
	defer s.pauseMu.Unlock()
	rec, err := s.store.Notification(ctx, id)
	if err != nil {
		return err
	}
	if rec.State != NotificationPaused {
		return fmt.Errorf("notification %s: %w", id, ErrNotPaused)
	}
	rec.State, rec.PauseReason, rec.UpdatedAt = NotificationPending, "", s.now()
	return s.store.UpdateNotification(ctx, rec)
}

// setState moves notification id to state with why, when it is in one of
// from; otherwise it does nothing.
func (s *Service) setState(ctx context.Context, id, why string, state NotificationState, from ...NotificationState) error {
	s.pauseMu.Lock()
	defer s.pauseMu.Unlock()
	rec, err := s.store.Notification(ctx, id)
	if err != nil {
		return fmt.Errorf("notify: %s %s: %w", stateVerb(state), id, err)
	}
	if !slices.Contains(from, rec.State) {
		return nil
	}
	rec.State, rec.PauseReason, rec.UpdatedAt = state, why, s.now()
	if err := s.store.UpdateNotification(ctx, rec); err != nil {
		return fmt.Errorf("notify: %s %s: %w", stateVerb(state), id, err)
	}
	return nil
}

func stateVerb(st NotificationState) string {
	switch st {
	case NotificationCanceled:
		return "cancel"
	case NotificationPending:
		return "reopen"
	}
	return "pause"
}

// running returns the job this Service runs for notification id, or nil.
func (s *Service) running(id string) *job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jobs[id]
}

// Pause stops a running notification: recipients not yet handed to the
// provider stay in the outbox until Resume. Calls already at the provider
// finish. The notification is recorded as paused before Pause returns, so
// Resume may follow at once; pausing one that is not pending does nothing.
// Other instances sharing the store stop taking its rows within their poll
// interval. Pause may be called from a callback (OnResult, OnProgress).
func (s *Service) Pause(ctx context.Context, notificationID, reason string) error {
	if j := s.running(notificationID); j != nil {
		err := j.send(ctx, command{kind: cmdPause, why: reason})
		if !errors.Is(err, errJobEnded) {
			return err
		}
	}
	return s.markPaused(ctx, notificationID, reason)
}

// Resume continues a paused notification (paused by the reputation guard
// or by Pause) and returns its report when every recipient is decided or
// deferred. The guard starts counting afresh. ctx bounds the wait for the
// report: once resumed, the notification goes on when ctx ends.
func (s *Service) Resume(ctx context.Context, notificationID string) (*Report, error) {
	if !s.enter() {
		return nil, ErrClosed
	}
	defer s.wg.Done()
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	for {
		j := s.running(notificationID)
		if j == nil {
			if err := s.resumeRecord(ctx, notificationID); err != nil {
				return nil, err
			}
			rec, err := s.store.Notification(ctx, notificationID)
			if err != nil {
				return nil, err
			}
			j = s.jobFor(rec)
			err = j.send(ctx, command{kind: cmdRun})
			return s.finishRun(ctx, j, err)
		}
		err := j.send(ctx, command{kind: cmdResume})
		if errors.Is(err, errJobEnded) {
			continue // it ended meanwhile: look again
		}
		return s.finishRun(ctx, j, err)
	}
}

// finishRun reports on j after a run or resume request answered err.
func (s *Service) finishRun(ctx context.Context, j *job, err error) (*Report, error) {
	if errors.Is(err, errJobEnded) || errors.Is(err, ErrClosed) {
		err = nil // the report says where it is
	}
	if errors.Is(err, ErrNotPaused) || errors.Is(err, ErrNotFound) {
		return nil, err
	}
	rep, rerr := s.report(ctx, j)
	if rerr != nil {
		return nil, rerr
	}
	return rep, err
}

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
	if j := s.running(notificationID); j != nil {
		err := j.send(ctx, command{kind: cmdCancel})
		if !errors.Is(err, errJobEnded) {
			return err
		}
	}
	// Not running here: record it, and cancel the rows no Service holds;
	// an instance running it stops at its next poll.
	if err := s.markCanceled(ctx, notificationID); err != nil {
		return err
	}
	if _, err := s.store.CancelRows(ctx, notificationID, s.now()); err != nil {
		return fmt.Errorf("notify: cancel %s: %w", notificationID, err)
	}
	return nil
}

// pauseNow halts the job and records it paused with why. Pausing a job
// that is paused or canceled does nothing.
func (j *job) pauseNow(ctx context.Context, why string) error {
	if j.canceled.Load() {
		return nil
	}
	if err := j.s.markPaused(ctx, j.rec.ID, why); err != nil {
		return err
	}
	if j.phase() != phasePaused {
		j.hold()
	}
	return nil
}

// cancelNow halts the job for good, records it canceled and cancels the
// rows no Service holds (the running pass's rows are canceled when it
// ends).
func (j *job) cancelNow(ctx context.Context) error {
	s := j.s
	if err := s.markCanceled(ctx, j.rec.ID); err != nil {
		return err
	}
	j.canceled.Store(true)
	j.hold()
	if _, err := s.store.CancelRows(ctx, j.rec.ID, s.now()); err != nil {
		return fmt.Errorf("notify: cancel %s: %w", j.rec.ID, err)
	}
	return nil
}

// wake reads the notification's state in the store after the discovery
// poll saw it differ from the owner's: another instance paused, resumed,
// canceled or finished it. It reports whether the owner ends.
func (j *job) wake(ctx context.Context, o *ownerState) bool {
	s := j.s
	rec, err := s.store.Notification(ctx, j.rec.ID)
	if err != nil {
		return false
	}
	ph := j.phase()
	switch rec.State {
	case NotificationPaused:
		if ph != phasePaused {
			j.hold()
		}
	case NotificationCanceled:
		j.canceled.Store(true)
		j.hold()
		return !o.running
	case NotificationDone:
		return !o.running
	case NotificationPending:
		switch {
		case ph == phasePaused && o.running:
			o.resume = true
		case ph == phasePaused:
			j.reopen()
			j.startPass(o)
		case ph == phaseIdle:
			j.startPass(o)
		}
	}
	return false
}
