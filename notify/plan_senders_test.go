package notify

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/throttle"
)

// poolService has a three-number pool "blast" and a single-number "solo",
// each number limited to 1 segment per second, at a US afternoon.
func poolService(t *testing.T, limits Limits) *Service {
	t.Helper()
	afternoon := time.Date(2025, 6, 4, 19, 0, 0, 0, time.UTC)
	svc, err := New(fake.New(), WithClock(func() time.Time { return afternoon }), WithLimits(limits),
		WithContactPoint(ContactPoint{Name: "blast", Numbers: []string{"+13125550101", "+13125550102", "+13125550103"}}),
		WithContactPoint(ContactPoint{Name: "solo", Numbers: []string{"+13125550104"}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	return svc
}

func blast(from string, n int) Notification {
	to := make([]string, n)
	for i := range to {
		to[i] = fmt.Sprintf("+1415555%04d", 2000+i)
	}
	return Notification{From: from, To: to, Body: "Parcel update: out for delivery today. Reply STOP to opt out"}
}

func TestPlanSendersCountsThePool(t *testing.T) {
	svc := poolService(t, Limits{Sender: throttle.PerSecond(1)})
	ctx := context.Background()
	n := blast("blast", 30)

	p, err := svc.PlanSenders(ctx, n, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if p.Senders != 3 {
		t.Errorf("Senders = %d, want the pool's 3", p.Senders)
	}
	one := throttle.Plan(30, 1, throttle.PerSecond(1))
	three := throttle.Plan(30, 1, throttle.PerSecond(1), throttle.PlanSenders(3))
	if p.Plan.Duration != one.Duration {
		t.Errorf("Plan.Duration = %v, want Service.Plan's one-number %v unchanged", p.Plan.Duration, one.Duration)
	}
	if p.Duration != three.Duration || p.Throughput != 3 {
		t.Errorf("pool estimate %v at %v/s, want %v at 3/s", p.Duration, p.Throughput, three.Duration)
	}
	// 30 segments within 5 s at 1 segment/s per number (the first segment
	// of each number goes at once): 5 numbers, more than the pool holds.
	want := throttle.Plan(30, 1, throttle.PerSecond(1), throttle.PlanTarget(5*time.Second)).SendersNeeded
	if p.SendersNeeded != want || want != 5 || p.Target != 5*time.Second {
		t.Errorf("SendersNeeded = %d for %v, want %d (throttle.Plan's) = 5", p.SendersNeeded, p.Target, want)
	}

	// A bare number or a one-number contact point is a pool of one.
	for _, from := range []string{"solo", "+13125550104"} {
		p, err := svc.PlanSenders(ctx, blast(from, 30), 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.Senders != 1 || p.Duration != one.Duration || p.SendersNeeded != 0 {
			t.Errorf("from %s: senders %d, duration %v, needed %d; want 1, %v, 0 (no target)", from, p.Senders, p.Duration, p.SendersNeeded, one.Duration)
		}
	}
}

// A campaign limit is shared by the whole pool: more numbers do not help,
// and a target beyond it is unreachable.
func TestPlanSendersCampaignLimitBinds(t *testing.T) {
	svc := poolService(t, Limits{Sender: throttle.PerSecond(1), Campaign: throttle.PerSecond(2)})
	n := blast("blast", 30)
	n.Campaign = "spring"
	p, err := svc.PlanSenders(context.Background(), n, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if p.Throughput != 2 || p.SendersNeeded != 0 {
		t.Errorf("throughput %v, senders needed %d; want 2/s (the campaign's) and 0 (unreachable)", p.Throughput, p.SendersNeeded)
	}
	if len(p.Warnings) == 0 {
		t.Error("no warning that the target is unreachable")
	}
}

// Unthrottled, there is nothing to plan: no duration, no senders needed.
func TestPlanSendersUnthrottled(t *testing.T) {
	svc := poolService(t, Limits{})
	p, err := svc.PlanSenders(context.Background(), blast("blast", 10), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if p.Duration != 0 || p.SendersNeeded != 0 || p.Senders != 3 {
		t.Errorf("unthrottled: %+v", p)
	}
}
