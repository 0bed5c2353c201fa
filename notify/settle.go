package notify

import (
	"context"
	"fmt"
	"time"
)

// sharedPoll is how often a job whose remaining rows are claimed by another
// instance looks again, so Wait returns soon after the last row is decided.
const sharedPoll = time.Second

// settle marks the notification done when every row is final, or schedules
// the next pass for the earliest deferral.
func (j *job) settle(ctx context.Context) error {
	s := j.s
	if j.isPaused() {
		return j.pauseSettle(ctx)
	}
	counts, err := s.store.Counts(ctx, j.rec.ID)
	if err != nil {
		return fmt.Errorf("notify: counts %s: %w", j.rec.ID, err)
	}
	if counts[OutcomePending] > 0 || counts[OutcomeDeferred] > 0 {
		j.mu.Lock()
		due := j.nextDue
		j.mu.Unlock()
		if due.IsZero() && counts[OutcomePending] == 0 {
			due, err = s.earliestDeferral(ctx, j.rec.ID)
			if err != nil {
				return err
			}
		}
		if due.IsZero() {
			// Pending rows this pass could not claim are held by another
			// instance sharing the outbox. Poll for them, and take over the
			// rows of an instance that stopped once their lease ends.
			if _, err := s.store.Recover(ctx, s.now()); err != nil {
				return fmt.Errorf("notify: recover outbox: %w", err)
			}
			due = s.now().Add(min(s.cfg.pipe.lease, sharedPoll))
		}
		s.scheduleAt(j, due)
		return nil
	}
	if !s.current(j) {
		return nil // a later job (Resume) runs the notification now
	}
	rec, err := s.store.Notification(ctx, j.rec.ID)
	if err != nil {
		return fmt.Errorf("notify: finish %s: %w", j.rec.ID, err)
	}
	if rows := sumCounts(counts); rows < rec.Total {
		// A crash interrupted the acceptance: rows are missing. The
		// notification stays pending until a Send with the same
		// IdempotencyKey adds them (finishAcceptance).
		s.log.Warn("notify: notification incomplete; repeat Send with its idempotency key to finish it",
			"notification", rec.ID, "rows", rows, "total", rec.Total)
		s.forget(j)
		return nil
	}
	if rec.State == NotificationPending {
		rec.State, rec.PauseReason, rec.UpdatedAt = NotificationDone, "", s.now()
		if err := s.store.UpdateNotification(ctx, rec); err != nil {
			return fmt.Errorf("notify: finish %s: %w", rec.ID, err)
		}
	}
	s.forget(j)
	s.log.Info("notify: notification done", "notification", rec.ID)
	return nil
}

// current reports whether j is the job registered for its notification: a
// timer or background pass of a job that was paused and then resumed (a
// new job) does nothing.
func (s *Service) current(j *job) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jobs[j.rec.ID] == j
}

// forget unregisters a job that is done or paused and wakes its waiters.
func (s *Service) forget(j *job) {
	s.mu.Lock()
	if s.jobs[j.rec.ID] == j {
		delete(s.jobs, j.rec.ID)
	}
	s.mu.Unlock()
	j.mu.Lock()
	select {
	case <-j.settled:
	default:
		close(j.settled)
	}
	j.mu.Unlock()
}

// earliestDeferral scans a notification's rows for the earliest NotBefore
// of a deferred row (used after a restart, when nothing is known yet).
func (s *Service) earliestDeferral(ctx context.Context, id string) (time.Time, error) {
	var due time.Time
	for from := 0; ; {
		ms, err := s.store.Messages(ctx, id, from, 1000)
		if err != nil {
			return time.Time{}, err
		}
		if len(ms) == 0 {
			return due, nil
		}
		for _, m := range ms {
			if m.Outcome == OutcomeDeferred && (due.IsZero() || m.NotBefore.Before(due)) {
				due = m.NotBefore
			}
		}
		from = ms[len(ms)-1].Index + 1
	}
}

// sumCounts is the number of rows counts covers.
func sumCounts(counts map[Outcome]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
