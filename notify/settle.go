package notify

import (
	"context"
	"fmt"
	"time"
)

// sharedPoll is how often a job whose remaining rows are claimed by another
// instance looks again, so Wait returns soon after the last row is decided.
const sharedPoll = time.Second

// settle runs when a pass found nothing more to do. It marks the
// notification done when every row is final and returns the zero time (the
// owner then ends), or returns when the next pass is due: the earliest
// deferral, or a short poll while another instance holds pending rows (its
// rows are taken over here once their lease ends). A notification whose
// acceptance a crash interrupted (rows missing) is left pending, with the
// zero time: a Send with the same IdempotencyKey adds the rows
// (finishAcceptance), and discovery joins it again when they arrive.
func (j *job) settle(ctx context.Context) (time.Time, error) {
	s := j.s
	counts, err := s.store.Counts(ctx, j.rec.ID)
	if err != nil {
		return time.Time{}, fmt.Errorf("notify: counts %s: %w", j.rec.ID, err)
	}
	if counts[OutcomePending] > 0 || counts[OutcomeDeferred] > 0 {
		j.mu.Lock()
		due := j.nextDue
		j.mu.Unlock()
		if due.IsZero() && counts[OutcomePending] == 0 {
			due, err = s.earliestDeferral(ctx, j.rec.ID)
			if err != nil {
				return time.Time{}, err
			}
		}
		if due.IsZero() {
			if _, err := s.store.Recover(ctx, s.now()); err != nil {
				return time.Time{}, fmt.Errorf("notify: recover outbox: %w", err)
			}
			due = s.now().Add(min(s.cfg.pipe.lease, sharedPoll))
		}
		return due, nil
	}
	rec, err := s.store.Notification(ctx, j.rec.ID)
	if err != nil {
		return time.Time{}, fmt.Errorf("notify: finish %s: %w", j.rec.ID, err)
	}
	if rows := sumCounts(counts); rec.Total < 0 || rows < rec.Total {
		s.log.Warn("notify: notification incomplete; repeat the send with its idempotency key to finish it",
			"notification", rec.ID, "rows", rows, "total", rec.Total)
		return time.Time{}, nil
	}
	if rec.State == NotificationPending {
		rec.State, rec.PauseReason, rec.UpdatedAt = NotificationDone, "", s.now()
		if err := s.store.UpdateNotification(ctx, rec); err != nil {
			return time.Time{}, fmt.Errorf("notify: finish %s: %w", rec.ID, err)
		}
	}
	s.log.Info("notify: notification done", "notification", rec.ID)
	return time.Time{}, nil
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
