package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/throttle"
)

// The last gate: the compliance decision, the throttle and the lookup a row
// passes right before its provider call (job.process).

// providerOf is the name of the provider that answered err, or def.
func providerOf(err error, def string) string {
	var pe *provider.Error
	if errors.As(err, &pe) && pe.Provider != "" {
		return pe.Provider
	}
	return def
}

// errGated reports that the last gate refused or deferred the row (and
// completed it) between retries.
var errGated = errors.New("notify: refused at the last gate")

// gate decides row m now. It reports true when the row may go out; else it
// has completed the row (denied, deferred, or failed when the policy could
// not decide) or given it back (the Service is stopping).
func (j *job) gate(wait context.Context, m *Message) bool {
	s := j.s
	d, err := s.decide(wait, &j.rec.Notification, m)
	if err != nil {
		if wait.Err() != nil {
			j.giveBack(m)
			return false
		}
		err = fmt.Errorf("%w: %w", ErrCompliance, err)
		m.Outcome, m.Reason, m.Detail = OutcomeFailed, "compliance_error", err.Error()
		j.complete(m, err)
		return false
	}
	switch d.Outcome {
	case compliance.Deny:
		r := complianceReason(d)
		m.Outcome, m.Reason, m.Detail = OutcomeDenied, r.Rule, r.Text
		j.complete(m, r)
		return false
	case compliance.Defer:
		r := complianceReason(d)
		m.Outcome, m.NotBefore, m.Reason, m.Detail = OutcomeDeferred, d.NotBefore, r.Rule, r.Text
		j.complete(m, r)
		return false
	}
	return true
}

// decide is the one compliance decision for row m of n, used by the
// worker's last gate and by Plan.
//
// Under WithRequireOptIn the policy lets the business answer a person who
// texted it first, within its reply window: the time of their last reply
// comes from the Store when it keeps it (InboundTimes).
func (s *Service) decide(ctx context.Context, n *Notification, m *Message) (compliance.Decision, error) {
	req := s.request(n, m)
	if n.Kind == compliance.Service && s.policy.RequiresOptIn() {
		if it, ok := s.store.(InboundTimes); ok {
			at, err := it.LastInbound(ctx, n.Account, m.To, m.From)
			if err != nil {
				return compliance.Decision{}, fmt.Errorf("notify: last reply of %s: %w", provider.MaskNumber(m.To), err)
			}
			req.LastInbound = at
		}
	}
	return s.policy.Check(ctx, req)
}

// InboundTimes is kept by stores that know when a person last texted one of
// the host's numbers (MemoryStore and notify/sqlstore do): the reply window
// of compliance.WithRequireOptIn starts there.
type InboundTimes interface {
	// LastInbound returns when from last texted to in account (a stored
	// reply), or the zero time.
	LastInbound(ctx context.Context, account, from, to string) (time.Time, error)
}

// pace waits for the throttle. A daily cap that is used up defers the row
// to the start of the cap's next day instead of holding a worker (and Send)
// for hours. It reports false when it completed or gave back the row, and
// returns what it charged, which the caller gives back (refund) if the row
// does not go out after all.
func (j *job) pace(wait context.Context, m *Message) (charge, bool) {
	s := j.s
	segs := max(m.Segments, 1)
	now := s.now()
	var ch charge
	if daily, ok := s.dailyKey(j, now); ok {
		res, err := s.limiter.Allow(wait, []throttle.Key{daily}, segs)
		if err == nil && !res.Allowed {
			due := throttle.DailyReset(now)
			err := fmt.Errorf("%w: %d segments a day for account %q; deferred to %s", ErrDailyCap, s.cfg.pipe.limits.Daily, j.rec.Account, due.Format(time.RFC3339))
			m.Outcome, m.NotBefore, m.Reason, m.Detail = OutcomeDeferred, due, "daily_cap", err.Error()
			j.complete(m, err)
			return charge{}, false
		}
		if err != nil {
			return charge{}, j.throttleFailed(wait, m, err)
		}
		ch = charge{keys: []throttle.Key{daily}, n: segs}
	}
	if keys := s.rateKeys(j, m); len(keys) > 0 {
		t0 := time.Now()
		if err := s.limiter.Wait(wait, keys, segs, j.lane); err != nil {
			j.refund(ch)
			return charge{}, j.throttleFailed(wait, m, err)
		}
		s.tel.throttled(j.ctx, &j.rec.Notification, time.Since(t0))
		ch = charge{keys: append(ch.keys, keys...), n: segs}
	}
	return ch, true
}

// charge is what pace took from the throttle for one row.
type charge struct {
	keys []throttle.Key
	n    int
}

// refund gives c back to the throttle: its row did not go out (a last
// check refused it, or it went back to the outbox), so the capacity, and
// the day's cap, are not spent on it.
func (j *job) refund(c charge) {
	if len(c.keys) == 0 {
		return
	}
	if err := j.s.limiter.Refund(context.Background(), c.keys, c.n); err != nil && !errors.Is(err, throttle.ErrCannotRefund) {
		j.s.log.Warn("notify: throttle refund failed", "err", err)
	}
}

// throttleFailed handles a throttle error: a stop or deadline gives the row
// back; anything else fails it.
func (j *job) throttleFailed(wait context.Context, m *Message, err error) bool {
	if wait.Err() != nil || errors.Is(err, throttle.ErrDeadline) {
		j.giveBack(m)
		return false
	}
	err = fmt.Errorf("%w: %w", ErrThrottle, err)
	m.Outcome, m.Reason, m.Detail = OutcomeFailed, "throttle", err.Error()
	j.complete(m, err)
	return false
}

// lookup asks the provider for the line type of a row compliance allows; a
// number that cannot receive texts is invalid. A failed lookup sends anyway
// or defers the row, as WithLookupFailure says.
func (j *job) lookup(wait context.Context, m *Message) bool {
	info, err := j.s.lookuper.Lookup(wait, m.To)
	if err != nil {
		if wait.Err() != nil {
			j.giveBack(m)
			return false
		}
		if j.s.cfg.pipe.lookupFail == LookupDefer {
			err = fmt.Errorf("%w: %w", ErrLookup, err)
			m.Outcome, m.NotBefore, m.Reason, m.Detail = OutcomeDeferred, j.s.now().Add(LookupRetryAfter), "lookup_failed", err.Error()
			j.complete(m, err)
			return false
		}
		j.s.log.Warn("notify: line type lookup failed; sending", "to", provider.MaskNumber(m.To), "err", err)
		return true
	}
	if info.Type == provider.LineUnknown || info.Type.CanReceiveSMS() {
		return true
	}
	lerr := &NumberError{Given: m.Given, Err: ErrLandline, Cause: fmt.Errorf("line type %s", info.Type)}
	m.Outcome, m.Reason, m.Detail = OutcomeInvalid, "landline", lerr.Error()
	j.complete(m, lerr)
	return false
}

// request is the compliance question for row m of n.
func (s *Service) request(n *Notification, m *Message) compliance.Request {
	return compliance.Request{
		To: m.To, From: m.From, Scope: n.Account, Campaign: n.Campaign, Topic: m.Topic,
		Kind: n.Kind, Body: m.Body, Now: s.now(), Categories: n.Categories,
	}
}

// rateKeys returns the rate-limit keys m is charged against (the daily cap
// apart).
func (s *Service) rateKeys(j *job, m *Message) []throttle.Key {
	l := s.cfg.pipe.limits
	var keys []throttle.Key
	if l.Sender != (throttle.Limit{}) {
		keys = append(keys, throttle.Key{Name: "sender:" + m.From, Limit: l.Sender})
	}
	if c := j.rec.Notification.Campaign; c != "" && l.Campaign != (throttle.Limit{}) {
		keys = append(keys, throttle.Key{Name: "campaign:" + c, Limit: l.Campaign})
	}
	return keys
}

// dailyKey returns the account's daily-cap key for the Pacific day of now.
func (s *Service) dailyKey(j *job, now time.Time) (throttle.Key, bool) {
	l := s.cfg.pipe.limits
	if l.Daily <= 0 {
		return throttle.Key{}, false
	}
	return throttle.Key{Name: throttle.DailyKey("daily:"+j.rec.Account, now), Limit: throttle.Quota(l.Daily, 24*time.Hour)}, true
}
