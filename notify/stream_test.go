package notify

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/throttle"
)

func seqOf(n int, number func(int) string) iter.Seq[Recipient] {
	return func(yield func(Recipient) bool) {
		for i := range n {
			if !yield(Recipient{To: number(i)}) {
				return
			}
		}
	}
}

func TestSendStreamResultsAndProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New(fake.WithLatency(100 * time.Millisecond))
		s := newService(t, fp, WithConcurrency(10))
		const N = 500
		seen := make([]int, N)
		var progress []Progress
		rep, err := s.SendStream(context.Background(), Notification{Body: "Hi"}, seqOf(N, usNumber),
			OnResult(func(r Result) { seen[r.Index]++ }),
			OnProgress(func(p Progress) { progress = append(progress, p) }),
			ProgressEvery(time.Second), WithTotal(N), WithWindow(50))
		if err != nil {
			t.Fatal(err)
		}
		for i, n := range seen {
			if n != 1 {
				t.Fatalf("recipient %d: %d results", i, n)
			}
		}
		if rep.Counts[OutcomeSent] != N || fp.Count() != N {
			t.Errorf("counts %v, sent %d", rep.Counts, fp.Count())
		}
		// 500 sends of 100 ms, 10 at a time: 5 s, so 5 ticks and a final call.
		if len(progress) < 5 {
			t.Fatalf("%d progress calls", len(progress))
		}
		mid := progress[1]
		if mid.Done <= 0 || mid.Total != N || mid.Rate <= 0 || mid.ETA <= 0 {
			t.Errorf("progress %+v", mid)
		}
		if last := progress[len(progress)-1]; last.Done != N || last.ETA != 0 {
			t.Errorf("last progress %+v", last)
		}
	})
}

func TestSendStreamRefusesMultipartBeforeSending(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		s := newService(t, fp)
		seq := func(yield func(Recipient) bool) {
			yield(Recipient{To: usNumber(1), Vars: map[string]string{"x": strings.Repeat("a", 200)}})
		}
		_, err := s.SendStream(context.Background(), Notification{Body: "{{x}}"}, seq)
		var na *ErrNeedsAcknowledgement
		if !errors.As(err, &na) || na.Segments != 2 || fp.Attempts() != 0 {
			t.Fatalf("err %v, attempts %d", err, fp.Attempts())
		}
	})
}

func TestThroughputUnderLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New(fake.WithLatency(200 * time.Millisecond))
		s := newService(t, fp, WithLimits(Limits{Sender: throttle.PerSecond(100)}))
		const N = 1000
		start := time.Now()
		rep, err := s.SendStream(context.Background(), Notification{From: "+14155550100", Body: "Hi"}, seqOf(N, usNumber))
		if err != nil {
			t.Fatal(err)
		}
		rate := float64(rep.Segments) / time.Since(start).Seconds()
		t.Logf("%d segments in %v (synctest clock): %.1f segments/s", rep.Segments, time.Since(start), rate)
		if rate < 95 || rate > 101 {
			t.Errorf("%.1f segments/s, want 95..100", rate)
		}
	})
}

func TestTransactionalLaneAhead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		s := newService(t, fp, WithLimits(Limits{Sender: throttle.PerSecond(10)}), WithConcurrency(4))
		bulkDone := make(chan struct{})
		go func() {
			defer close(bulkDone)
			_, _ = s.SendStream(context.Background(), Notification{From: "+14155550100", Body: "Sale"}, seqOf(100, usNumber))
		}()
		time.Sleep(time.Second) // fake clock: the bulk send is under way
		start := time.Now()
		rep, err := s.Send(context.Background(), Notification{From: "+14155550100", To: []string{usNumber(1000)}, Body: "Your code is 1234", Transactional: true})
		if err != nil || rep.Results[0].Outcome != OutcomeSent {
			t.Fatalf("%v %+v", err, rep)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("transactional send waited %v behind the bulk", d)
		}
		<-bulkDone
	})
}

func TestReputationGuardPausesAndResumes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		blocked := map[string]bool{}
		for i := range 20 {
			blocked[usNumber(i*3)] = true
		}
		fp := fake.New(fake.WithRule(func(ctx context.Context, m provider.Message) error {
			if blocked[m.To] {
				return fake.Permanent(provider.ErrBlocked, "30007")
			}
			return nil
		}))
		s := newService(t, fp, WithConcurrency(1), WithReputationGuard(Thresholds{MinAttempts: 20, Filtered: 0.1}))
		to := make([]string, 100)
		for i := range to {
			to[i] = usNumber(i)
		}
		rep, err := s.Send(context.Background(), Notification{To: to, Body: "Deal"})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Paused || !strings.Contains(rep.PauseReason, "carrier filtering") {
			t.Fatalf("paused=%v reason=%q", rep.Paused, rep.PauseReason)
		}
		if rep.Counts[OutcomePending] == 0 {
			t.Fatal("nothing left pending")
		}
		sentBefore := fp.Count()
		rep, err = s.Resume(context.Background(), rep.NotificationID)
		if err != nil {
			t.Fatal(err)
		}
		// Resumed, the guard counts afresh and trips again later; resume
		// until done, then every recipient has one final result.
		for rep.Paused {
			if rep, err = s.Resume(context.Background(), rep.NotificationID); err != nil {
				t.Fatal(err)
			}
		}
		if fp.Count() <= sentBefore || rep.Counts[OutcomePending] != 0 || rep.Counts[OutcomeFailed] != 20 || rep.Counts[OutcomeSent] != 80 {
			t.Errorf("counts %v", rep.Counts)
		}
		if _, err := s.Resume(context.Background(), rep.NotificationID); !errors.Is(err, ErrNotPaused) {
			t.Errorf("resume of a finished notification: %v", err)
		}
	})
}

func TestLandlineAndPricing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New(fake.WithLineType(usNumber(2), provider.LineLandline))
		s := newService(t, fp, WithLookup(true), WithPricing(PriceTable{Currency: "USD", Countries: map[string]Rates{"US": {GSM7: 0.0079, UCS2: 0.01}}, Default: Rates{GSM7: 0.05}}))
		rep, err := s.Send(context.Background(), Notification{To: []string{usNumber(1), usNumber(2), "+447911123456"}, Body: "Hello"})
		if err != nil {
			t.Fatal(err)
		}
		r := rep.Results[1]
		if r.Outcome != OutcomeInvalid || r.Reason != "landline" || !errors.Is(r.Err, ErrLandline) {
			t.Errorf("landline result %+v", r)
		}
		if diff := cmp.Diff(0.0079+0.05, rep.EstimatedCost, cmpFloat); diff != "" || rep.Currency != "USD" {
			t.Errorf("cost %v %s", rep.EstimatedCost, rep.Currency)
		}
	})
}

var cmpFloat = cmp.Comparer(func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 })

func TestParseRecipients(t *testing.T) {
	got := ParseRecipients(" (415) 200-0001, +1 415 200 0002\n415.200.0003;\r\n,, ")
	want := []Recipient{{To: "(415) 200-0001"}, {To: "+1 415 200 0002"}, {To: "415.200.0003"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, c := range []struct{ in, region, want string }{
		{"(415) 200-0001", "US", "+14152000001"},
		{"020 7946 0018", "GB", "+442079460018"},
		{"+14152000001", "GB", "+14152000001"},
	} {
		if got, err := NormalizeNumber(c.in, c.region); err != nil || got != c.want {
			t.Errorf("NormalizeNumber(%q, %s) = %q, %v; want %q", c.in, c.region, got, err, c.want)
		}
	}
	_, err := NormalizeNumber("12345", "US")
	var ne *NumberError
	if !errors.As(err, &ne) || !errors.Is(err, ErrInvalidNumber) || ne.Given != "12345" {
		t.Errorf("invalid: %v", err)
	}
}

func TestPlan(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New(fake.WithLineType(usNumber(5), provider.LineLandline))
		s := newService(t, fp, WithLimits(Limits{Sender: throttle.PerSecond(1)}),
			WithPricing(PriceTable{Currency: "USD", Default: Rates{GSM7: 0.01, UCS2: 0.02}}))
		optOut(t, s, usNumber(2))
		to := []string{usNumber(1), usNumber(2), "bogus", usNumber(1), indiaNumber(1), usNumber(5)}
		for i := range 2000 {
			to = append(to, usNumber(100+i))
		}
		pl, err := s.Plan(context.Background(), Notification{From: "+14155550100", To: to, Body: "Your “order” is on its way, thank you for shopping with us at Acme today!"})
		if err != nil {
			t.Fatal(err)
		}
		if fp.Attempts() != 0 {
			t.Fatal("Plan sent something")
		}
		got := [...]int{pl.Recipients, pl.Valid, pl.Invalid, pl.Duplicates, pl.Allowed, pl.Deferred, pl.Denied}
		// The landline counts as valid: Plan makes no (paid) line-type
		// lookup; Send looks it up only once compliance allows the row.
		if diff := cmp.Diff([...]int{2006, 2004, 1, 1, 2002, 1, 1}, got); diff != "" {
			t.Errorf("counts (-want +got):\n%s", diff)
		}
		if !errors.Is(pl.NeedsAcknowledgement, ErrMultipart) || pl.MaxSegments != 2 || pl.SmartSegments != 2003 || pl.Segments != 4006 {
			t.Errorf("segments: %v max %d smart %d total %d", pl.NeedsAcknowledgement, pl.MaxSegments, pl.SmartSegments, pl.Segments)
		}
		if diff := cmp.Diff([]rune{'“', '”'}, pl.UCS2); diff != "" {
			t.Errorf("UCS-2 chars: %s", diff)
		}
		if z := pl.Zones["Asia/Calcutta"]; z.Deferred != 1 || z.NotBefore.IsZero() {
			if z = pl.Zones["Asia/Kolkata"]; z.Deferred != 1 {
				t.Errorf("zones %+v", pl.Zones)
			}
		}
		if diff := cmp.Diff(4006*0.02, pl.EstimatedCost, cmpFloat); diff != "" {
			t.Errorf("cost %v", pl.EstimatedCost)
		}
		if pl.Duration < 4000*time.Second || pl.Throughput != 1 {
			t.Errorf("duration %v throughput %v", pl.Duration, pl.Throughput)
		}
		joined := strings.Join(pl.Warnings, "\n")
		for _, w := range []string{"segments", "1000 times"} {
			if !strings.Contains(joined, w) {
				t.Errorf("no warning about %q in:\n%s", w, joined)
			}
		}
	})
}
