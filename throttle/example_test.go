package throttle_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heraldsms/herald/throttle"
)

func ExampleLimiter_Wait() {
	l := throttle.NewLimiter(throttle.NewMemoryStore())
	keys := []throttle.Key{
		{Name: "sender:+14155550100", Limit: throttle.Limit{Rate: 1, Burst: 3, Period: time.Minute}},
		{Name: "campaign:spring", Limit: throttle.Per(10, 5*time.Minute).WithBurst(10)},
	}
	ctx := context.Background()
	for i := range 3 {
		// A one-time code goes ahead of any bulk blast on the same sender.
		if err := l.Wait(ctx, keys, 1, throttle.LaneTransactional); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("sent", i+1)
	}
	// The burst is spent; the next segment is 20 s away, more than this
	// caller is willing to wait, so Wait fails at once.
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	err := l.Wait(ctx, keys, 1)
	fmt.Println(errors.Is(err, throttle.ErrDeadline), errors.Is(err, context.DeadlineExceeded))
	// Output:
	// sent 1
	// sent 2
	// sent 3
	// true true
}

func ExamplePreset() {
	p := throttle.Preset(throttle.TenDLCHigh)
	daily, _ := p.DailyLimit()
	fmt.Println(p.Type, "|", p.Throughput, "|", daily)
	fmt.Println(throttle.Preset(throttle.TollFreeUnverified).Err())
	// Output:
	// 10DLC trust 75-100 | 4500/1m0s burst 1 | quota 40000/24h0m0s
	// throttle: sender type is blocked from sending: toll-free unverified
}

func ExampleProfile_Keys() {
	at := time.Date(2025, 6, 2, 3, 0, 0, 0, time.UTC) // still 1 June in California
	for _, k := range throttle.Preset(throttle.TenDLCLow).Keys("+14155550100", "acme", at) {
		fmt.Println(k.Name, k.Limit)
	}
	// Output:
	// sender:+14155550100 240/1m0s burst 1
	// brand:acme@2025-06-01 quota 2000/24h0m0s
}

func ExamplePlan() {
	// Gladly's guard rail: 10 messages per 5 minutes per campaign.
	p := throttle.Plan(500, 1, throttle.Shared(throttle.Per(10, 5*time.Minute)))
	fmt.Println(p.Duration.Round(time.Minute), p.Warnings)

	// 100,000 two-segment messages from verified toll-free numbers, to be
	// done within two hours.
	p = throttle.Plan(100000, 2, throttle.Preset(throttle.TollFreeVerified), throttle.PlanTarget(2*time.Hour))
	fmt.Println(p.Duration.Round(time.Minute), p.SendersNeeded, "senders")
	// Output:
	// 4h10m0s [blast exceeds 1000 times the per-second throughput]
	// 18h31m0s 10 senders
}

func ExampleMemoryStore_AllowNAt() {
	s := throttle.NewMemoryStore()
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	oneMPS := throttle.PerSecond(1)
	// A 3-segment message at 1 segment/s goes out at once; the key then
	// owes two segments, so the next message waits 3 s.
	r, _ := s.AllowNAt(t0, "sender:+14155550100", oneMPS, 3)
	fmt.Println(r.Allowed)
	r, _ = s.AllowNAt(t0, "sender:+14155550100", oneMPS, 1)
	fmt.Println(r.Allowed, r.RetryAfter)
	r, _ = s.AllowNAt(t0.Add(3*time.Second), "sender:+14155550100", oneMPS, 1)
	fmt.Println(r.Allowed)
	// Output:
	// true
	// false 3s
	// true
}

func ExampleMemoryStore_ReserveNAt() {
	s := throttle.NewMemoryStore()
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tenMPS := throttle.PerSecond(10)
	// Three senders reserve at once, 200 ms ahead at most: each is due 100 ms
	// after the one before, and a fourth must come back later.
	for range 4 {
		r, _ := s.ReserveNAt(t0, "sender:+14155550100", tenMPS, 1, 0, 200*time.Millisecond)
		fmt.Println(r.Allowed, r.Delay, r.RetryAfter)
	}
	// It comes back 50 ms late, at 150 ms: still due at 300 ms, right after
	// the previous reservation, so the lateness costs no capacity.
	r, _ := s.ReserveNAt(t0.Add(150*time.Millisecond), "sender:+14155550100", tenMPS, 1, 0, 200*time.Millisecond)
	fmt.Println(r.Allowed, r.Delay)
	// Output:
	// true 0s 0s
	// true 100ms 0s
	// true 200ms 0s
	// false 0s 100ms
	// true 150ms
}

func ExampleLimiter_Refund() {
	l := throttle.NewLimiter(throttle.NewMemoryStore())
	daily := []throttle.Key{{Name: throttle.DailyKey("daily:acme", time.Now()), Limit: throttle.Quota(2, 24*time.Hour)}}
	ctx := context.Background()
	for _, to := range []string{"first", "second"} {
		if res, _ := l.Allow(ctx, daily, 1); res.Allowed {
			fmt.Println("charged for", to)
		}
	}
	// The second text was refused before it went out: give its segment
	// back, and the day still has room for one more.
	if err := l.Refund(ctx, daily, 1); err != nil {
		fmt.Println(err)
		return
	}
	res, _ := l.Allow(ctx, daily, 1)
	fmt.Println("third allowed:", res.Allowed)
	// Output:
	// charged for first
	// charged for second
	// third allowed: true
}
