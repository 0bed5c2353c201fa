package throttle_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/throttle"
)

func TestPlan(t *testing.T) {
	pacific, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	nineAM := time.Date(2025, 6, 2, 9, 0, 0, 0, pacific)
	type summary struct {
		SendTime, Duration time.Duration
		Days               int
		PerDay             []int
		SendersNeeded      int
		Warnings           []throttle.Warning
	}
	for _, tc := range []struct {
		name string
		r, s int
		opts []throttle.PlanOption
		want summary
	}{
		{"ten per second", 10000, 1, []throttle.PlanOption{throttle.PerSecond(10)},
			summary{999900 * time.Millisecond, 999900 * time.Millisecond, 1, []int{10000}, 0, nil}}, // exactly 1000× is not more
		{"more than 1000 times the throughput", 10001, 1, []throttle.PlanOption{throttle.PerSecond(10)},
			summary{1000 * time.Second, 1000 * time.Second, 1, []int{10001}, 0,
				[]throttle.Warning{throttle.WarnLargeBlast}}},
		{"gladly guard rail: 500 take about 4 hours", 500, 1, []throttle.PlanOption{throttle.Per(10, 5*time.Minute)},
			summary{499 * 30 * time.Second, 499 * 30 * time.Second, 1, []int{500}, 0,
				[]throttle.Warning{throttle.WarnLargeBlast}}},
		{"daily cap splits over days", 2500, 2, []throttle.PlanOption{throttle.Preset(throttle.TenDLCLow), throttle.PlanStart(nineAM)},
			// 4 segments/s: (2000-1)/4 s on day 1 and 2, (1000-1)/4 s on day 3
			// after the second Pacific midnight, 15 h + 24 h after 09:00.
			summary{1249250 * time.Millisecond, 39*time.Hour + 249750*time.Millisecond,
				3, []int{2000, 2000, 1000}, 0,
				[]throttle.Warning{throttle.WarnLargeBlast, throttle.WarnSplitsDays}}},
		{"longer than the queue window", 200000, 1, []throttle.PlanOption{throttle.Preset(throttle.TollFreeVerified)},
			summary{66666333333334, 66666333333334, 1, []int{200000}, 0,
				[]throttle.Warning{throttle.WarnLargeBlast, throttle.WarnExceedsQueueWindow}}},
		{"senders needed for a target", 100000, 1, []throttle.PlanOption{throttle.Preset(throttle.TollFreeVerified), throttle.PlanTarget(time.Hour)},
			summary{33333000000000, 33333000000000, 1, []int{100000}, 10,
				[]throttle.Warning{throttle.WarnLargeBlast}}},
		{"shared guard makes the target unreachable", 1000, 1, []throttle.PlanOption{throttle.PerSecond(1), throttle.Shared(throttle.Per(10, 5*time.Minute)), throttle.PlanTarget(time.Hour)},
			summary{999 * 30 * time.Second, 999 * 30 * time.Second, 1, []int{1000}, 0,
				[]throttle.Warning{throttle.WarnLargeBlast, throttle.WarnTargetUnreachable}}},
		{"blocked sender", 10, 1, []throttle.PlanOption{throttle.Preset(throttle.TollFreeUnverified)},
			summary{Warnings: []throttle.Warning{throttle.WarnBlocked}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := throttle.Plan(tc.r, tc.s, tc.opts...)
			got := summary{p.SendTime, p.Duration, p.Days, p.PerDay, p.SendersNeeded, p.Warnings}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Plan(%d, %d) (-want +got):\n%s", tc.r, tc.s, diff)
			}
		})
	}
}

func TestPlanFinish(t *testing.T) {
	start := time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)
	p := throttle.Plan(100, 1, throttle.PerSecond(10), throttle.PlanStart(start))
	if want := start.Add(9900 * time.Millisecond); !p.Finish.Equal(want) || !p.Start.Equal(start) {
		t.Errorf("Start, Finish = %v, %v; want %v, %v", p.Start, p.Finish, start, want)
	}
	if p := throttle.Plan(100, 1, throttle.PerSecond(10)); !p.Finish.IsZero() {
		t.Errorf("Finish without PlanStart = %v, want zero", p.Finish)
	}
	if got := throttle.Plan(10000, 1, throttle.PerSecond(10), throttle.PlanSenders(2)).SendTime; got != 499900*time.Millisecond {
		t.Errorf("two senders: SendTime = %v, want 499.9s", got)
	}
	if !throttle.Plan(100000, 1, throttle.PerSecond(10)).Has(throttle.WarnLargeBlast) {
		t.Error("Has(WarnLargeBlast) = false")
	}
}
