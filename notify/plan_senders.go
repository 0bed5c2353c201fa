package notify

import (
	"context"
	"time"

	"github.com/heraldsms/herald/throttle"
)

// SenderPlan is a Plan with the sender pool counted: Plan's own estimate
// assumes one sender number, while a contact point with several numbers
// sends from all of them at once, each at the per-sender limit.
type SenderPlan struct {
	// Plan is Service.Plan's answer, unchanged (its Duration and
	// Throughput are for one sender number).
	Plan *Plan
	// Senders is how many numbers the notification sends from: the
	// contact point's pool, 1 for a bare number.
	Senders int
	// Throughput is the binding rate with all Senders, in segments per
	// second: Senders times the per-sender limit, capped by a campaign
	// limit (shared by the whole pool); 0 when the Service is not
	// throttled.
	Throughput float64
	// Duration is the time sending takes with all Senders, including waits
	// for the daily cap.
	Duration time.Duration
	// Target is the duration asked for; 0 when none.
	Target time.Duration
	// SendersNeeded is the fewest sender numbers that finish within Target
	// at the approved throughput; 0 without a Target, without throttling,
	// or when no number of senders can (a campaign limit or the daily cap
	// binds; Warnings says so).
	SendersNeeded int
	// Warnings are the throttle planner's warnings for the pool estimate.
	Warnings []string
}

// PlanSenders runs Plan on n and estimates it with the sender pool counted:
// how long sending takes from every number of n.From's contact point, and,
// for a target duration > 0, how many sender numbers would finish the
// blast within target at the configured limits (Limits.Sender per number,
// Limits.Campaign shared, Limits.Daily per account). Like Plan it sends
// and records nothing.
func (s *Service) PlanSenders(ctx context.Context, n Notification, target time.Duration) (*SenderPlan, error) {
	p, err := s.Plan(ctx, n)
	if err != nil {
		return nil, err
	}
	sp := &SenderPlan{Plan: p, Senders: 1, Target: max(target, 0)}
	for _, cp := range s.ContactPoints(n.Account, n.Actor) {
		if cp.Name == n.From {
			sp.Senders = max(len(cp.Numbers), 1)
		}
	}
	l := s.cfg.pipe.limits
	recipients := p.Allowed + p.Deferred
	if l.empty() || recipients == 0 {
		return sp, nil
	}
	opts := []throttle.PlanOption{throttle.PlanSenders(sp.Senders)}
	if l.Sender != (throttle.Limit{}) {
		opts = append(opts, l.Sender)
	}
	if n.Campaign != "" && l.Campaign != (throttle.Limit{}) {
		opts = append(opts, throttle.Shared(l.Campaign))
	}
	if l.Daily > 0 {
		opts = append(opts, throttle.PlanDailyCap(l.Daily))
	}
	if sp.Target > 0 {
		opts = append(opts, throttle.PlanTarget(sp.Target))
	}
	each := max(1, (p.Segments+recipients-1)/recipients)
	r := throttle.Plan(recipients, each, opts...)
	sp.Throughput, sp.Duration, sp.SendersNeeded = r.Throughput, r.Duration, r.SendersNeeded
	for _, w := range r.Warnings {
		sp.Warnings = append(sp.Warnings, w.String())
	}
	return sp, nil
}
