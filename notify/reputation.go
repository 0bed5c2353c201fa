package notify

import (
	"context"
	"errors"
	"fmt"

	"github.com/heraldsms/herald/provider"
)

// Thresholds are the reputation guard's limits. While a bulk (not
// transactional) notification runs, the guard watches the share of its
// provider attempts that were carrier-filtered, permanently refused, or
// refused because the recipient opted out at the carrier; past a threshold
// it pauses the notification, and Service.Resume continues it. A zero
// threshold is not checked; the zero Thresholds turns the guard off.
type Thresholds struct {
	// MinAttempts is how many provider attempts are needed before any rate
	// is judged.
	MinAttempts int
	// Filtered is the largest tolerated share of carrier-filtered sends
	// (provider.ErrBlocked).
	Filtered float64
	// PermanentFailure is the largest tolerated share of permanent
	// provider refusals of any kind.
	PermanentFailure float64
	// OptOut is the largest tolerated share of carrier opt-out refusals
	// (provider.ErrOptedOut).
	OptOut float64
}

// DefaultThresholds pause a bulk send once, after 200 attempts, more than
// 2 % are filtered, 25 % permanently fail or 5 % hit carrier opt-outs.
var DefaultThresholds = Thresholds{MinAttempts: 200, Filtered: 0.02, PermanentFailure: 0.25, OptOut: 0.05}

// guardState counts a job's provider outcomes.
type guardState struct {
	attempts, filtered, permanent, optOut int
}

// observe feeds a provider outcome to the reputation guard and pauses the
// job when a threshold is crossed.
func (j *job) observe(m *Message, err error) {
	t := j.s.cfg.pipe.guard
	if t == (Thresholds{}) || j.rec.Notification.Transactional {
		return
	}
	j.mu.Lock()
	g := &j.guard
	g.attempts++
	if err != nil && provider.ClassOf(err) == provider.Permanent {
		g.permanent++
		if errors.Is(err, provider.ErrBlocked) {
			g.filtered++
		}
		if errors.Is(err, provider.ErrOptedOut) {
			g.optOut++
		}
	}
	why := j.judge(t)
	if why != "" {
		j.setPaused(why)
		defer j.s.tel.paused(j.ctx, j.rec, why)
	}
	j.mu.Unlock()
	if why != "" {
		j.s.log.Warn("notify: notification paused", "notification", j.rec.ID, "reason", why)
	}
}

// observeReceipt feeds a delivery receipt's failure to the reputation
// guard: carriers report filtering (Twilio 30007) and opt-outs in receipts,
// after the send itself succeeded.
func (j *job) observeReceipt(u provider.StatusUpdate) {
	t := j.s.cfg.pipe.guard
	if t == (Thresholds{}) || j.rec.Notification.Transactional {
		return
	}
	j.mu.Lock()
	g := &j.guard
	switch {
	case u.Fault() == provider.FaultFiltered:
		g.filtered++
		g.permanent++
	case errors.Is(u.Err, provider.ErrOptedOut):
		g.optOut++
		g.permanent++
	default:
		j.mu.Unlock()
		return
	}
	why := j.judge(t)
	j.mu.Unlock()
	if why != "" {
		j.s.pauseFor(context.Background(), j.rec.ID, why)
	}
}

// judge returns why the guard pauses the job, or "" while every rate is
// within its threshold (or the job is paused already). The caller holds
// j.mu.
func (j *job) judge(t Thresholds) string {
	g := &j.guard
	if j.paused || g.attempts < max(t.MinAttempts, 1) {
		return ""
	}
	rate := func(n int) float64 { return float64(n) / float64(g.attempts) }
	var why string
	switch {
	case t.Filtered > 0 && rate(g.filtered) > t.Filtered:
		why = fmt.Sprintf("carrier filtering at %.1f%% of %d attempts exceeds %.1f%%", 100*rate(g.filtered), g.attempts, 100*t.Filtered)
	case t.OptOut > 0 && rate(g.optOut) > t.OptOut:
		why = fmt.Sprintf("carrier opt-outs at %.1f%% of %d attempts exceed %.1f%%", 100*rate(g.optOut), g.attempts, 100*t.OptOut)
	case t.PermanentFailure > 0 && rate(g.permanent) > t.PermanentFailure:
		why = fmt.Sprintf("permanent failures at %.1f%% of %d attempts exceed %.1f%%", 100*rate(g.permanent), g.attempts, 100*t.PermanentFailure)
	default:
		return ""
	}
	return "reputation guard: " + why
}

// pauseSettle records a paused job in the store (the reputation guard's
// pause; Pause writes its own) and unregisters it.
func (j *job) pauseSettle(ctx context.Context) error {
	s := j.s
	if !s.current(j) {
		return nil
	}
	j.mu.Lock()
	why := j.pauseWhy
	j.mu.Unlock()
	if err := s.markPaused(ctx, j.rec.ID, why); err != nil {
		return err
	}
	if rec, err := s.store.Notification(ctx, j.rec.ID); err == nil && rec.State == NotificationCanceled {
		// Canceled: the rows the pass gave back are canceled too.
		if _, err := s.store.CancelRows(ctx, j.rec.ID, s.now()); err != nil {
			return fmt.Errorf("notify: cancel %s: %w", j.rec.ID, err)
		}
	}
	s.forget(j)
	return nil
}

// markPaused records a pending notification as paused with why.
func (s *Service) markPaused(ctx context.Context, id, why string) error {
	s.pauseMu.Lock()
	defer s.pauseMu.Unlock()
	rec, err := s.store.Notification(ctx, id)
	if err != nil {
		return fmt.Errorf("notify: pause %s: %w", id, err)
	}
	if rec.State != NotificationPending {
		return nil
	}
	rec.State, rec.PauseReason, rec.UpdatedAt = NotificationPaused, why, s.now()
	if err := s.store.UpdateNotification(ctx, rec); err != nil {
		return fmt.Errorf("notify: pause %s: %w", id, err)
	}
	return nil
}

// Pause stops a running notification: recipients not yet handed to the
// provider stay in the outbox until Resume. Calls already at the provider
// finish. The notification is recorded as paused before Pause returns, so
// Resume may follow at once; pausing one that is not pending does nothing.
// Pause may be called from a callback (OnResult, OnProgress).
func (s *Service) Pause(ctx context.Context, notificationID, reason string) error {
	s.mu.Lock()
	j := s.jobs[notificationID]
	s.mu.Unlock()
	if j != nil {
		j.mu.Lock()
		j.setPaused(reason)
		j.mu.Unlock()
	}
	if err := s.markPaused(ctx, notificationID, reason); err != nil {
		return err
	}
	if j != nil {
		j.mu.Lock()
		active := j.active
		j.mu.Unlock()
		if !active && s.current(j) {
			s.forget(j)
		}
	}
	return nil
}

// Resume continues a paused notification (paused by the reputation guard
// or by Pause) and returns its report when every recipient is decided or
// deferred. The guard starts counting afresh.
func (s *Service) Resume(ctx context.Context, notificationID string) (*Report, error) {
	if !s.enter() {
		return nil, ErrClosed
	}
	defer s.wg.Done()
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	rec, err := s.store.Notification(ctx, notificationID)
	if err != nil {
		return nil, err
	}
	if rec.State != NotificationPaused {
		return nil, fmt.Errorf("notification %s: %w", notificationID, ErrNotPaused)
	}
	s.pauseMu.Lock()
	rec, err = s.store.Notification(ctx, notificationID)
	if err == nil && rec.State != NotificationPaused {
		err = fmt.Errorf("notification %s: %w", notificationID, ErrNotPaused)
	}
	if err == nil {
		rec.State, rec.PauseReason, rec.UpdatedAt = NotificationPending, "", s.now()
		err = s.store.UpdateNotification(ctx, rec)
	}
	var j *job
	if err == nil {
		j = s.newJob(rec) // replaces a paused job: its timers do nothing now
	}
	s.pauseMu.Unlock()
	if err != nil {
		return nil, err
	}
	runErr := j.run(ctx, nil)
	rep, err := s.report(ctx, j)
	if err != nil {
		return nil, err
	}
	return rep, runErr
}
