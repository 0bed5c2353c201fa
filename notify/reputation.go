package notify

import (
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
	tripped                               bool // the guard asked for a pause
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
	j.mu.Unlock()
	if why != "" {
		j.pause(why)
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
		j.pause(why)
	}
}

// judge returns why the guard pauses the job, or "" while every rate is
// within its threshold (or the guard tripped already). The caller holds
// j.mu.
func (j *job) judge(t Thresholds) string {
	g := &j.guard
	if g.tripped || g.attempts < max(t.MinAttempts, 1) {
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
	g.tripped = true
	return "reputation guard: " + why
}
