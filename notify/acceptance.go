package notify

import (
	"context"
	"fmt"
	"time"
)

// othersPoll is how often Send looks whether rows other instances hold
// are decided.
const othersPoll = 50 * time.Millisecond

// awaitOthers waits until no row of notification id is pending: rows
// another instance sharing the store claimed are decided there (or taken
// over here when its lease ends), so Send never returns with rows silently
// pending. Deferred rows do not count: they are decided later.
func (s *Service) awaitOthers(ctx context.Context, id string) error {
	for {
		counts, err := s.store.Counts(ctx, id)
		if err != nil {
			return err
		}
		if counts[OutcomePending] == 0 {
			return nil
		}
		if cur, err := s.store.Notification(ctx, id); err == nil && cur.State != NotificationPending {
			return nil // paused or canceled: the report says so
		}
		t := time.NewTimer(othersPoll)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-s.stop:
			t.Stop()
			return nil
		}
	}
}

// finishAcceptance completes a notification whose acceptance a crash
// interrupted: rows is the whole list, built again from the repeated Send
// (same input, same indexes); the rows the store lacks are enqueued, and a
// notification marked done before they arrived is pending again. It
// reports whether it added any row.
func (s *Service) finishAcceptance(ctx context.Context, rec NotificationRecord, rows []Message) (bool, error) {
	if rec.Total != len(rows) {
		return false, nil // not the same list: only replay
	}
	counts, err := s.store.Counts(ctx, rec.ID)
	if err != nil {
		return false, err
	}
	if sumCounts(counts) >= rec.Total {
		return false, nil
	}
	have := make([]bool, len(rows))
	for from := 0; ; {
		ms, err := s.store.Messages(ctx, rec.ID, from, 1000)
		if err != nil {
			return false, err
		}
		if len(ms) == 0 {
			break
		}
		for i := range ms {
			if ix := ms[i].Index; ix >= 0 && ix < len(have) {
				have[ix] = true
			}
		}
		from = ms[len(ms)-1].Index + 1
	}
	missing := make([]Message, 0, len(rows))
	for i := range rows {
		if !have[rows[i].Index] {
			missing = append(missing, rows[i])
		}
	}
	for k := 0; k < len(missing); k += enqueueBatch {
		if err := s.store.Enqueue(ctx, missing[k:min(k+enqueueBatch, len(missing))]); err != nil {
			return false, fmt.Errorf("notify: finish acceptance of %s: %w", rec.ID, err)
		}
	}
	s.pauseMu.Lock()
	defer s.pauseMu.Unlock()
	cur, err := s.store.Notification(ctx, rec.ID)
	if err != nil {
		return false, err
	}
	if cur.State == NotificationDone {
		cur.State, cur.UpdatedAt = NotificationPending, s.now()
		if err := s.store.UpdateNotification(ctx, cur); err != nil {
			return false, err
		}
	}
	s.log.Info("notify: finished an interrupted acceptance", "notification", rec.ID, "added", len(missing))
	return true, nil
}

// jobFor returns the job running rec on this instance, or registers one.
func (s *Service) jobFor(rec NotificationRecord) *job {
	s.mu.Lock()
	j := s.jobs[rec.ID]
	s.mu.Unlock()
	if j != nil {
		return j
	}
	return s.newJob(rec)
}
