package throttle

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// PlanOption configures [Plan]. A [Limit] is a PlanOption (a per-sender
// limit) and so is a [Profile] (its throughput per sender, its daily cap and
// queue window).
type PlanOption interface{ applyPlan(*planConfig) }

type planConfig struct {
	perSender   []Limit
	shared      []Limit
	dailyCap    int
	queueWindow time.Duration
	start       time.Time
	target      time.Duration
	senders     int
	blocked     bool
}

type planFunc func(*planConfig)

func (f planFunc) applyPlan(c *planConfig) { f(c) }

func (l Limit) applyPlan(c *planConfig) { c.perSender = append(c.perSender, l) }

func (p Profile) applyPlan(c *planConfig) {
	if p.Blocked {
		c.blocked = true
		return
	}
	c.perSender = append(c.perSender, p.Throughput)
	if p.DailyCap > 0 && (c.dailyCap == 0 || p.DailyCap < c.dailyCap) {
		c.dailyCap = p.DailyCap
	}
	if p.QueueWindow > 0 {
		c.queueWindow = p.QueueWindow
	}
}

// Shared adds a limit that more senders do not raise, such as a campaign
// guard rail (Per(10, 5*time.Minute)) or a campaign's AT&T throughput.
func Shared(l Limit) PlanOption {
	return planFunc(func(c *planConfig) { c.shared = append(c.shared, l) })
}

// PlanDailyCap sets the brand's daily cap in segments per Pacific day
// (overriding a profile's); more senders do not raise it.
func PlanDailyCap(n int) PlanOption { return planFunc(func(c *planConfig) { c.dailyCap = max(n, 0) }) }

// PlanQueueWindow sets how long the provider queues messages; the default is
// [DefaultQueueWindow].
func PlanQueueWindow(d time.Duration) PlanOption {
	return planFunc(func(c *planConfig) { c.queueWindow = d })
}

// PlanStart sets when the blast starts, so the plan has a finish time and
// knows where the Pacific midnights (daily-cap resets) fall. Without it the
// blast is assumed to start at a Pacific midnight and Start/Finish are zero.
func PlanStart(t time.Time) PlanOption { return planFunc(func(c *planConfig) { c.start = t }) }

// PlanTarget asks how many senders of the given per-sender limits would
// finish the blast within d (PlanResult.SendersNeeded).
func PlanTarget(d time.Duration) PlanOption { return planFunc(func(c *planConfig) { c.target = d }) }

// PlanSenders sets how many sender numbers share the blast (default 1); the
// per-sender limits apply to each.
func PlanSenders(k int) PlanOption { return planFunc(func(c *planConfig) { c.senders = k }) }

// Warning is something a blast plan should make a person look at.
type Warning int

// Plan warnings.
const (
	// WarnLargeBlast: more segments than 1000 times the per-second
	// throughput; such a blast needs a plan (Quiq's guidance).
	WarnLargeBlast Warning = iota + 1
	// WarnExceedsQueueWindow: one continuous stretch of sending lasts longer
	// than the provider queues messages; do not hand it all to the
	// provider at once.
	WarnExceedsQueueWindow
	// WarnSplitsDays: the daily cap splits the blast over several days.
	WarnSplitsDays
	// WarnTargetUnreachable: no number of senders meets PlanTarget, because
	// a shared limit or the daily cap binds.
	WarnTargetUnreachable
	// WarnBlocked: the sender type is blocked from sending.
	WarnBlocked
)

// String describes the warning.
func (w Warning) String() string {
	switch w {
	case WarnLargeBlast:
		return "blast exceeds 1000 times the per-second throughput"
	case WarnExceedsQueueWindow:
		return "sending lasts longer than the provider's queue window"
	case WarnSplitsDays:
		return "daily cap splits the blast over several days"
	case WarnTargetUnreachable:
		return "no number of senders meets the target time"
	case WarnBlocked:
		return "sender type is blocked from sending"
	}
	return fmt.Sprintf("Warning(%d)", int(w))
}

// PlanResult is the estimate [Plan] returns.
type PlanResult struct {
	// Segments is recipients × segments each.
	Segments int
	// Senders is the number of sender numbers assumed.
	Senders int
	// Throughput is the binding rate in segments per second (0 when
	// nothing limits it or the sender is blocked).
	Throughput float64
	// SendTime is the time spent sending, ignoring daily-cap pauses.
	SendTime time.Duration
	// Duration is the time from start to the last segment, including
	// waits for the daily cap to reset at midnight Pacific.
	Duration time.Duration
	// Start and Finish are set when PlanStart was given.
	Start, Finish time.Time
	// Days is the number of daily-cap windows (Pacific days) the blast
	// needs: 1 unless the daily cap splits it.
	Days int
	// PerDay is the number of segments sent in each of those days.
	PerDay []int
	// SendersNeeded is, with PlanTarget, the fewest senders that finish
	// within the target; 0 when there is no target or it is unreachable.
	SendersNeeded int
	// Warnings lists what needs attention, in Warning order.
	Warnings []Warning
}

// Has reports whether the plan carries warning w.
func (p PlanResult) Has(w Warning) bool { return slices.Contains(p.Warnings, w) }

// maxPlanSenders bounds the search for PlanResult.SendersNeeded.
const maxPlanSenders = 100000

// Plan estimates a blast of recipients messages of segmentsEach segments
// under the given limits: how long it takes, when it finishes, whether the
// daily cap splits it over several days, and, with [PlanTarget], how many
// senders would finish it in time. Each limit's bucket is assumed full at the
// start. Plan is pure: it reads no clock.
func Plan(recipients, segmentsEach int, opts ...PlanOption) PlanResult {
	c := planConfig{senders: 1, queueWindow: DefaultQueueWindow}
	for _, o := range opts {
		if o != nil {
			o.applyPlan(&c)
		}
	}
	c.senders = max(c.senders, 1)
	if c.queueWindow <= 0 {
		c.queueWindow = DefaultQueueWindow
	}
	segments := max(recipients, 0) * max(segmentsEach, 0)
	res := c.simulate(segments, c.senders)
	res.Start = c.start
	if !c.start.IsZero() {
		res.Finish = c.start.Add(res.Duration)
	}
	if c.blocked {
		res.Warnings = append(res.Warnings, WarnBlocked)
		return res.PlanResult
	}
	if res.Throughput > 0 && float64(segments) > 1000*res.Throughput {
		res.Warnings = append(res.Warnings, WarnLargeBlast)
	}
	if res.longestRun > c.queueWindow {
		res.Warnings = append(res.Warnings, WarnExceedsQueueWindow)
	}
	if res.Days > 1 {
		res.Warnings = append(res.Warnings, WarnSplitsDays)
	}
	if c.target > 0 {
		res.SendersNeeded = c.sendersNeeded(segments)
		if res.SendersNeeded == 0 {
			res.Warnings = append(res.Warnings, WarnTargetUnreachable)
		}
	}
	return res.PlanResult
}

type simResult struct {
	PlanResult
	longestRun time.Duration
}

// bucket is one limit scaled to the number of senders.
type bucket struct{ rate, burst float64 }

func (c *planConfig) buckets(senders int) []bucket {
	var bs []bucket
	add := func(l Limit, k float64) {
		if l.Validate() != nil || l.IsInf() {
			return
		}
		b := bucket{rate: l.PerSecondRate() * k, burst: float64(l.EffectiveBurst()) * k}
		if l.IsQuota() {
			b.rate = float64(l.Burst) / l.EffectivePeriod().Seconds() * k
		}
		bs = append(bs, b)
	}
	for _, l := range c.perSender {
		add(l, float64(senders))
	}
	for _, l := range c.shared {
		add(l, 1)
	}
	return bs
}

// sendTime is how long n segments take through full buckets bs.
func sendTime(bs []bucket, n float64) time.Duration {
	var d float64
	for _, b := range bs {
		d = max(d, max(n-b.burst, 0)/b.rate)
	}
	return time.Duration(math.Ceil(d * float64(time.Second)))
}

// sendable is how many segments full buckets bs admit within d.
func sendable(bs []bucket, d time.Duration) float64 {
	n := math.Inf(1)
	for _, b := range bs {
		n = min(n, b.burst+b.rate*d.Seconds())
	}
	return math.Floor(n)
}

func (c *planConfig) simulate(segments, senders int) simResult {
	res := simResult{PlanResult: PlanResult{Segments: segments, Senders: senders}}
	if c.blocked || segments == 0 {
		return res
	}
	bs := c.buckets(senders)
	res.Throughput = math.Inf(1)
	for _, b := range bs {
		res.Throughput = min(res.Throughput, b.rate)
	}
	if math.IsInf(res.Throughput, 1) {
		res.Throughput = 0
	}
	start := c.start
	if start.IsZero() {
		start = time.Date(2001, 1, 1, 0, 0, 0, 0, pacific())
	}
	t, rem := start, segments
	for day := 0; rem > 0 && day < 100000; day++ {
		dayEnd := nextPacificMidnight(t)
		want := rem
		if c.dailyCap > 0 {
			want = min(want, c.dailyCap)
		}
		d := sendTime(bs, float64(want))
		sent := want
		if t.Add(d).After(dayEnd) && c.dailyCap > 0 {
			// The day ends first; the cap resets at midnight.
			sent = min(want, int(sendable(bs, dayEnd.Sub(t))))
			d = dayEnd.Sub(t)
		}
		if sent > 0 {
			res.PerDay = append(res.PerDay, sent)
		}
		res.SendTime += d
		res.longestRun = max(res.longestRun, d)
		rem -= sent
		if rem == 0 {
			t = t.Add(d)
			break
		}
		t = dayEnd
	}
	res.Days = len(res.PerDay)
	res.Duration = t.Sub(start)
	return res
}

func nextPacificMidnight(t time.Time) time.Time {
	p := t.In(pacific())
	y, m, d := p.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, pacific())
}

// sendersNeeded returns the fewest senders finishing within the target, or
// 0 when even maxPlanSenders do not.
func (c *planConfig) sendersNeeded(segments int) int {
	fits := func(k int) bool { return c.simulate(segments, k).Duration <= c.target }
	if !fits(maxPlanSenders) {
		return 0
	}
	lo, hi := 1, maxPlanSenders
	for lo < hi {
		mid := (lo + hi) / 2
		if fits(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
