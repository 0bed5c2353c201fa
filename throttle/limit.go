package throttle

import (
	"fmt"
	"math"
	"time"
)

// Limit is a rate limit: Rate events per Period, with bursts of up to Burst
// events. Events are message segments wherever Herald charges a limit.
//
// Zero fields have these meanings:
//   - Period 0 means one second.
//   - Burst 0 means 1: strict pacing, one event every Period/Rate.
//   - Rate 0 with Burst > 0 is a fixed-window quota (see [Quota]): Burst events
//     per window, the window opening at the key's first charge and lasting
//     Period. Daily caps are quotas on a per-day key ([DailyKey]).
//   - The zero Limit (Rate 0, Burst 0) admits nothing: stores and the Limiter
//     reject it with [ErrInvalidLimit], so a forgotten limit fails loudly
//     instead of sending unthrottled. Use [Inf] for "no limit".
//
// A token bucket (GCRA in every store) holds up to Burst events and refills
// at Rate/Period. An event counts at the instant the store admits it, or,
// for a reservation ([Reserver]), at the instant it is due. A single request
// for n > Burst events is admitted only when the bucket is full and then
// leaves the key owing the excess, so a 3-segment message at 1 per second
// with burst 1 goes out and the next one waits 3 s, as carriers meter it;
// its n events count at one instant, though. So, with B the larger of Burst
// and the largest single request, a key admits fewer than
// B + Rate·W/Period events in any half-open window of length W: at 10 per
// second with burst 1, at most 10 single segments in any second, but 12
// when 3-segment messages are among them (9 singles, then a 3-segment
// message). Give a limit a Burst of at least the largest message when the
// bound must be Burst + Rate·W/Period. A [Limiter] also keeps the instants
// it lets sends out, however late their waiters wake, to at most B + Rate
// events in any window of one Period.
type Limit struct {
	// Rate is the number of events per Period; +Inf means unlimited.
	Rate float64
	// Burst is the largest number of events admitted at once (bucket size).
	Burst int
	// Period is the time Rate is counted over; zero means one second.
	Period time.Duration
}

// Inf is the Limit that admits everything immediately.
var Inf = Limit{Rate: math.Inf(1)}

// PerSecond returns a limit of n events per second with burst 1 (smooth
// pacing, one event every 1/n s).
func PerSecond(n float64) Limit { return Limit{Rate: n, Burst: 1, Period: time.Second} }

// PerMinute returns a limit of n events per minute with burst 1; carriers
// quote 10DLC throughput this way (TPM).
func PerMinute(n float64) Limit { return Limit{Rate: n, Burst: 1, Period: time.Minute} }

// Per returns a limit of n events per period d with burst 1, so that no
// half-open window of length d ever holds more than n events while each
// request is one event: Per(10, 5*time.Minute) is the "10 messages per 5
// minutes per campaign" guard rail. A request of k > 1 events (a k-segment
// message) can bring a window to n + k - 1 (see [Limit]).
func Per(n int, d time.Duration) Limit { return Limit{Rate: float64(n), Burst: 1, Period: d} }

// Quota returns a fixed-window quota of n events per window d, the window
// opening at the key's first charge. Combine it with [DailyKey] for a
// calendar-day cap.
func Quota(n int, d time.Duration) Limit { return Limit{Burst: n, Period: d} }

// WithBurst returns a copy of l with Burst set to b.
func (l Limit) WithBurst(b int) Limit { l.Burst = b; return l }

// IsInf reports whether l admits everything.
func (l Limit) IsInf() bool { return math.IsInf(l.Rate, 1) }

// IsQuota reports whether l is a fixed-window quota (Rate 0, Burst > 0).
func (l Limit) IsQuota() bool { return l.Rate == 0 && l.Burst > 0 }

// EffectiveBurst returns Burst, or 1 when Burst is 0.
func (l Limit) EffectiveBurst() int {
	if l.Burst <= 0 {
		return 1
	}
	return l.Burst
}

// EffectivePeriod returns Period, or one second when Period is 0.
func (l Limit) EffectivePeriod() time.Duration {
	if l.Period <= 0 {
		return time.Second
	}
	return l.Period
}

// PerSecondRate returns the refill rate in events per second: +Inf for
// [Inf], 0 for a quota.
func (l Limit) PerSecondRate() float64 {
	if l.IsInf() {
		return math.Inf(1)
	}
	return l.Rate / l.EffectivePeriod().Seconds()
}

// Interval returns the time one event's worth of capacity takes to refill
// (Period/Rate); 0 for [Inf] and for quotas.
func (l Limit) Interval() time.Duration {
	if l.IsInf() || l.Rate <= 0 {
		return 0
	}
	return time.Duration(float64(l.EffectivePeriod()) / l.Rate)
}

// Validate reports why l cannot be used, as an error matching
// [ErrInvalidLimit], or nil.
func (l Limit) Validate() error {
	switch {
	case math.IsNaN(l.Rate) || l.Rate < 0 || math.IsInf(l.Rate, -1):
		return fmt.Errorf("%w: rate %v", ErrInvalidLimit, l.Rate)
	case l.Burst < 0:
		return fmt.Errorf("%w: negative burst %d", ErrInvalidLimit, l.Burst)
	case l.Period < 0:
		return fmt.Errorf("%w: negative period %v", ErrInvalidLimit, l.Period)
	case l.Rate == 0 && l.Burst == 0:
		return fmt.Errorf("%w: zero limit admits nothing (use throttle.Inf for no limit)", ErrInvalidLimit)
	case !l.IsInf() && l.Rate > 0 && l.Interval() <= 0:
		return fmt.Errorf("%w: rate %v per %v is finer than a nanosecond", ErrInvalidLimit, l.Rate, l.EffectivePeriod())
	}
	return nil
}

// String formats l as "10/1s burst 1", "quota 2000/24h0m0s" or "inf".
func (l Limit) String() string {
	switch {
	case l.IsInf():
		return "inf"
	case l.IsQuota():
		return fmt.Sprintf("quota %d/%v", l.Burst, l.EffectivePeriod())
	}
	return fmt.Sprintf("%g/%v burst %d", l.Rate, l.EffectivePeriod(), l.EffectiveBurst())
}
