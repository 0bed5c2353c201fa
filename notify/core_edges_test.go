package notify

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/throttle"
)

// nyNumber returns the i-th test number in New York's 212 area code.
func nyNumber(i int) string { return fmt.Sprintf("+1212%07d", 2000000+i) }

// clockProvider records when each text reached it (the synctest clock).
type clockProvider struct {
	*fake.Provider
	mu sync.Mutex
	at map[string][]time.Time
}

func newClockProvider(opts ...fake.Option) *clockProvider {
	return &clockProvider{Provider: fake.New(opts...), at: make(map[string][]time.Time)}
}

func (p *clockProvider) Send(ctx context.Context, m provider.Message) (provider.Receipt, error) {
	rc, err := p.Provider.Send(ctx, m)
	if err == nil {
		p.mu.Lock()
		p.at[m.To] = append(p.at[m.To], time.Now())
		p.mu.Unlock()
	}
	return rc, err
}

func (p *clockProvider) times() map[string][]time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string][]time.Time, len(p.at))
	for k, v := range p.at {
		out[k] = append([]time.Time(nil), v...)
	}
	return out
}

func startService(t *testing.T, p provider.Provider, opts ...Option) *Service {
	t.Helper()
	s, err := New(p, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLastGateQuietHoursAfterThrottleWait: a campaign rail of 10 per 5
// minutes makes a 100-recipient send to New York last far past 21:00
// there. Decided before the wait, it kept texting into quiet hours; decided
// at the moment of sending, nothing goes out at or after 21:00 local and
// the rest is deferred with the quiet-hours reason.
func TestLastGateQuietHoursAfterThrottleWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ny, _ := time.LoadLocation("America/New_York")
		// The synctest epoch is 19:00 in New York; start at 20:50.
		time.Sleep(110 * time.Minute)
		cp := newClockProvider()
		s := startService(t, cp, WithLimits(Limits{Campaign: throttle.Per(10, 5*time.Minute)}))
		var to []string
		for i := range 100 {
			to = append(to, nyNumber(i))
		}
		rep, err := s.Send(context.Background(), Notification{From: "+14155550100", To: to, Campaign: "spring", Body: "Your parcel is out for delivery"})
		if err != nil {
			t.Fatal(err)
		}
		nine := time.Date(1999, 12, 31, 21, 0, 0, 0, ny)
		sent := 0
		for num, ts := range cp.times() {
			for _, at := range ts {
				sent++
				if !at.Before(nine) {
					t.Errorf("%s texted at %s New York time, inside quiet hours", num, at.In(ny).Format(time.TimeOnly))
				}
			}
		}
		if sent == 0 || rep.Counts[OutcomeSent] != sent || rep.Counts[OutcomeDeferred] != 100-sent {
			for _, r := range rep.Results {
				if r.Outcome == OutcomePending {
					m, _ := s.Store().Message(context.Background(), r.MessageID)
					t.Logf("pending %+v", m)
				}
			}
			t.Fatalf("sent %d (report %v), want the rest deferred", sent, rep.Counts)
		}
		for _, r := range rep.Results {
			if r.Outcome == OutcomeDeferred && (!errors.Is(r.Err, compliance.ErrQuietHours) || !strings.HasPrefix(r.Reason, "quiet.")) {
				t.Fatalf("deferred row %d: reason %q err %v, want quiet hours", r.Index, r.Reason, r.Err)
			}
		}
	})
}

// TestDailyCapDefersToTheNextDayAndRedecides: a daily cap smaller than the
// list makes Send return at once with the rest deferred to the cap's next
// day (not a 24-hour sleep inside Send); an opt-out recorded meanwhile is
// honoured when the held rows go out; and they go out when the day turns
// (and quiet hours end), not 24 hours after the first send.
func TestDailyCapDefersToTheNextDayAndRedecides(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		la, _ := time.LoadLocation("America/Los_Angeles")
		cp := newClockProvider()
		s := startService(t, cp, WithLimits(Limits{Daily: 10}))
		var to []string
		for i := range 20 {
			to = append(to, usNumber(i))
		}
		start := time.Now()
		rep, err := s.Send(context.Background(), Notification{From: "+14155550100", To: to, Body: "Your parcel is out for delivery"})
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > time.Minute {
			t.Fatalf("Send took %v with a used-up daily cap", d)
		}
		if rep.Counts[OutcomeSent] != 10 || rep.Counts[OutcomeDeferred] != 10 {
			t.Fatalf("counts %v, want 10 sent and 10 deferred", rep.Counts)
		}
		midnight := time.Date(2000, 1, 1, 0, 0, 0, 0, la)
		var held string
		for _, r := range rep.Results {
			if r.Outcome == OutcomeDeferred {
				if r.Reason != "daily_cap" || !errors.Is(r.Err, ErrDailyCap) || !r.NotBefore.Equal(midnight) {
					t.Fatalf("deferred row: reason %q err %v until %v, want daily_cap until %v", r.Reason, r.Err, r.NotBefore, midnight)
				}
				held = r.To
			}
		}
		time.Sleep(time.Minute)
		optOut(t, s, held)
		final, err := s.Wait(context.Background(), rep.NotificationID)
		if err != nil {
			t.Fatal(err)
		}
		if final.Counts[OutcomeSent] != 19 || final.Counts[OutcomeDenied] != 1 {
			t.Fatalf("final counts %v, want 19 sent and the opted-out number denied", final.Counts)
		}
		if got := cp.times()[held]; len(got) != 0 {
			t.Fatalf("opted-out number texted at %v", got)
		}
		eight := time.Date(2000, 1, 1, 8, 0, 0, 0, la)
		for num, ts := range cp.times() {
			for _, at := range ts {
				if at.After(start.Add(time.Minute)) && (at.Before(eight) || at.After(eight.Add(time.Hour))) {
					t.Errorf("%s held text went out at %v, want when the day (and quiet hours) turned, %v", num, at.In(la), eight)
				}
			}
		}
	})
}

// TestOptOutWhileWaitingForTheThrottle: a number opted out while its row
// waits for the sender's throttle is not texted.
func TestOptOutWhileWaitingForTheThrottle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cp := newClockProvider()
		// One text a second from the sender: four recipients take until
		// t=3s; all four are opted out at t=1.5s.
		s := startService(t, cp, WithLimits(Limits{Sender: throttle.PerSecond(1)}), WithConcurrency(4))
		var to []string
		for i := range 4 {
			to = append(to, usNumber(i))
		}
		start := time.Now()
		go func() {
			time.Sleep(1500 * time.Millisecond)
			for _, n := range to {
				optOut(t, s, n)
			}
		}()
		rep, err := s.Send(context.Background(), Notification{From: "+14155550100", To: to, Body: "Your parcel is out for delivery"})
		if err != nil {
			t.Fatal(err)
		}
		for num, ts := range cp.times() {
			for _, at := range ts {
				if at.Sub(start) >= 1500*time.Millisecond {
					t.Errorf("%s texted %v in, after its opt-out", num, at.Sub(start))
				}
			}
		}
		if rep.Counts[OutcomeSent] != 2 || rep.Counts[OutcomeDenied] != 2 {
			t.Fatalf("counts %v, want 2 sent before the opt-out and 2 denied", rep.Counts)
		}
		for _, r := range rep.Results {
			if r.Outcome == OutcomeDenied && !errors.Is(r.Err, compliance.ErrOptedOut) {
				t.Fatalf("row %d denied with %v, want opted out", r.Index, r.Err)
			}
		}
	})
}

// TestOnResultMayPauseAndResume: a host callback runs outside every lock of
// the Service, so it may pause the notification it reports on.
func TestOnResultMayPauseAndResume(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		s := startService(t, fp)
		var once sync.Once
		var id string
		seq := func(yield func(Recipient) bool) {
			for i := range 50 {
				if !yield(Recipient{To: usNumber(i)}) {
					return
				}
			}
		}
		rep, err := s.SendStream(context.Background(), Notification{From: "+14155550100", Body: "Hello"}, seq,
			OnResult(func(r Result) {
				once.Do(func() {
					id, _, _ = strings.Cut(r.MessageID, "/")
					if err := s.Pause(context.Background(), id, "host says stop"); err != nil {
						t.Error(err)
					}
				})
			}), WithWindow(4))
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Paused || rep.PauseReason != "host says stop" {
			t.Fatalf("report paused=%v reason %q", rep.Paused, rep.PauseReason)
		}
		final, err := s.Resume(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if final.Counts[OutcomeSent] != 50 {
			t.Fatalf("after Resume: %v", final.Counts)
		}
	})
}

// TestPauseResumeBeforeDeferredRowsAreDue: the first run's timer must not
// record the notification as paused once Resume has taken over.
func TestPauseResumeBeforeDeferredRowsAreDue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		s := startService(t, fp)
		ctx := context.Background()
		rep, err := s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(1), usNumber(2)}, Body: "Later", SendAfter: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Pause(ctx, rep.NotificationID, "hold"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Resume(ctx, rep.NotificationID); err != nil {
			t.Fatal(err)
		}
		final, err := s.Wait(ctx, rep.NotificationID)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := s.Store().Notification(ctx, rep.NotificationID)
		if err != nil {
			t.Fatal(err)
		}
		if final.Counts[OutcomeSent] != 2 || rec.State != NotificationDone || final.Paused {
			t.Fatalf("counts %v state %v paused %v, want both sent and done", final.Counts, rec.State, final.Paused)
		}
	})
}

// TestConcurrentPause: two Pause calls at once leave one consistent record
// (run with -race).
func TestConcurrentPause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New(fake.WithLatency(100 * time.Millisecond))
		s := startService(t, fp, WithConcurrency(2))
		ctx := context.Background()
		var to []string
		for i := range 40 {
			to = append(to, usNumber(i))
		}
		ids := make(chan string, 1)
		go func() {
			rep, err := s.Send(ctx, Notification{From: "+14155550100", To: to, Body: "Hi", IdempotencyKey: "k"})
			if err != nil {
				t.Error(err)
			}
			ids <- rep.NotificationID
		}()
		time.Sleep(250 * time.Millisecond)
		recs, _ := s.Store().Unfinished(ctx)
		if len(recs) != 1 {
			t.Fatalf("%d unfinished notifications", len(recs))
		}
		var wg sync.WaitGroup
		for _, why := range []string{"a", "b"} {
			wg.Go(func() {
				if err := s.Pause(ctx, recs[0].ID, why); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		<-ids
		rec, _ := s.Store().Notification(ctx, recs[0].ID)
		if rec.State != NotificationPaused || (rec.PauseReason != "a" && rec.PauseReason != "b") {
			t.Fatalf("state %v reason %q", rec.State, rec.PauseReason)
		}
	})
}

// TestSendStreamStopsReadingWhenCanceled: rows that need no provider call
// (invalid numbers) must not keep the stream reading after cancellation.
func TestSendStreamStopsReadingWhenCanceled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := startService(t, fake.New())
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		read := 0
		var seq iter.Seq[Recipient] = func(yield func(Recipient) bool) {
			for {
				read++
				if read == 5000 {
					cancel()
				}
				if read > 1_000_000 || !yield(Recipient{To: "bogus"}) {
					return
				}
			}
		}
		_, err := s.SendStream(ctx, Notification{From: "+14155550100", Body: "Hi"}, seq, WithWindow(100))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if read > 5000+100 {
			t.Fatalf("read %d recipients after cancel at 5000", read)
		}
	})
}

// TestErrorsSurviveReadBack: every Result.Err read back (Report, an
// idempotent replay) satisfies the errors.Is and errors.As checks the live
// one did.
func TestErrorsSurviveReadBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New(
			fake.WithRule(func(_ context.Context, m provider.Message) error {
				switch m.To {
				case usNumber(3):
					return &provider.Error{Provider: "fake", Code: "21610", Class: provider.Permanent, Err: provider.ErrOptedOut}
				case usNumber(4):
					return &provider.Error{Provider: "fake", Class: provider.Ambiguous, Err: provider.ErrTimeout}
				}
				return nil
			}),
		)
		s := startService(t, fp)
		optOut(t, s, usNumber(2))
		ctx := context.Background()
		n := Notification{From: "+14155550100", Body: "Hi {{name}}", IdempotencyKey: "read-back",
			Recipients: []Recipient{
				{To: usNumber(1), Vars: map[string]string{"name": "A"}},
				{To: usNumber(2), Vars: map[string]string{"name": "B"}},
				{To: usNumber(3), Vars: map[string]string{"name": "C"}},
				{To: usNumber(4), Vars: map[string]string{"name": "D"}},
				{To: "bogus", Vars: map[string]string{"name": "E"}},
				{To: usNumber(1), Vars: map[string]string{"name": "A"}},
				{To: usNumber(5)},
			}}
		live, err := s.Send(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		sentinels := []error{ErrInvalidNumber, ErrDuplicateRecipient, ErrMissingVariable, compliance.ErrOptedOut,
			compliance.ErrNoConsent, provider.ErrOptedOut, provider.ErrPermanent, provider.ErrAmbiguous,
			provider.ErrTimeout, provider.ErrRetryable}
		check := func(name string, got *Report) {
			t.Helper()
			for i, want := range live.Results {
				g := got.Results[i]
				for _, sen := range sentinels {
					if errors.Is(want.Err, sen) != errors.Is(g.Err, sen) {
						t.Errorf("%s row %d (%s): errors.Is(%v) live %v, read back %v (%v)", name, i, want.Reason, sen, errors.Is(want.Err, sen), errors.Is(g.Err, sen), g.Err)
					}
				}
				var lp, gp *provider.Error
				if errors.As(want.Err, &lp) != errors.As(g.Err, &gp) || lp != nil && (lp.Code != gp.Code || lp.Class != gp.Class) {
					t.Errorf("%s row %d: *provider.Error live %+v, read back %+v", name, i, lp, gp)
				}
				var lr, gr compliance.Reason
				if errors.As(want.Err, &lr) != errors.As(g.Err, &gr) || lr.Rule != gr.Rule {
					t.Errorf("%s row %d: compliance.Reason live %q, read back %q", name, i, lr.Rule, gr.Rule)
				}
				var ln, gn *NumberError
				if errors.As(want.Err, &ln) != errors.As(g.Err, &gn) {
					t.Errorf("%s row %d: *NumberError live %v, read back %v", name, i, ln, gn)
				}
				if want.Reason != g.Reason || want.Outcome != g.Outcome {
					t.Errorf("%s row %d: %v %q, read back %v %q", name, i, want.Outcome, want.Reason, g.Outcome, g.Reason)
				}
			}
		}
		wantReasons := []string{"", "consent.opted-out", "carrier_opted_out:21610", "timeout", "invalid_number", "duplicate", "missing_variable"}
		for i, r := range live.Results {
			if r.Reason != wantReasons[i] {
				t.Errorf("row %d reason %q, want %q", i, r.Reason, wantReasons[i])
			}
		}
		rep, err := s.Report(ctx, live.NotificationID)
		if err != nil {
			t.Fatal(err)
		}
		check("Report", rep)
		again, err := s.Send(ctx, n)
		if err != nil || !again.Replayed {
			t.Fatalf("replay: %v replayed=%v", err, again != nil && again.Replayed)
		}
		check("replay", again)
	})
}

// TestPlanRecordsNothing: a dry run creates no topic, claims no sender,
// makes no lookup and writes no row.
func TestPlanRecordsNothing(t *testing.T) {
	fp := fake.New(fake.WithLineType(usNumber(1), provider.LineLandline))
	s := startService(t, fp, WithLookup(true))
	ctx := context.Background()
	pl, err := s.Plan(ctx, Notification{From: "+14155550100", Topic: "brand-new", To: []string{usNumber(1), usNumber(2)}, Body: "Hi"})
	if err != nil {
		t.Fatal(err)
	}
	if pl.Valid != 2 || pl.Allowed+pl.Deferred != 2 { // deferred at night in California
		t.Fatalf("plan valid %d allowed %d deferred %d", pl.Valid, pl.Allowed, pl.Deferred)
	}
	if _, err := s.Store().Topic(ctx, "", "brand-new"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Plan created the topic: %v", err)
	}
	if _, err := s.Store().SenderAccount(ctx, "+14155550100"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Plan claimed the sender: %v", err)
	}
	if recs, _ := s.Store().Unfinished(ctx); len(recs) != 0 {
		t.Errorf("Plan stored %d notifications", len(recs))
	}
	if fp.Attempts() != 0 {
		t.Errorf("Plan called the provider")
	}
}

// failingEnqueue stops accepting rows after the first batch, as a process
// killed during the enqueue would.
type failingEnqueue struct {
	*MemoryStore
	mu      sync.Mutex
	batches int
	failAt  int
}

func (f *failingEnqueue) Enqueue(ctx context.Context, msgs []Message) error {
	f.mu.Lock()
	f.batches++
	n := f.batches
	f.mu.Unlock()
	if f.failAt > 0 && n >= f.failAt {
		return errors.New("killed")
	}
	return f.MemoryStore.Enqueue(ctx, msgs)
}

// TestInterruptedAcceptanceIsFinishedByARetry: a crash after 1,000 of
// 3,000 rows were written loses nobody: a restarted Service sends the rows
// it has without marking the notification done, and Send with the same
// idempotency key adds the missing rows; every number is texted once.
func TestInterruptedAcceptanceIsFinishedByARetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mem := NewMemoryStore()
		fp := fake.New()
		ctx := context.Background()
		var to []string
		for i := range 3000 {
			to = append(to, usNumber(i))
		}
		n := Notification{From: "+14155550100", To: to, Body: "Your parcel is out for delivery", IdempotencyKey: "blast-1"}
		crashing := &failingEnqueue{MemoryStore: mem, failAt: 2}
		s1, err := New(fp, WithStore(crashing))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s1.Send(ctx, n); err == nil {
			t.Fatal("Send over a failing store succeeded")
		}
		_ = s1.Shutdown(ctx)

		s2 := startService(t, fp, WithStore(mem))
		synctest.Wait()
		rep, err := s2.Send(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Replayed || len(rep.Results) != 3000 || rep.Counts[OutcomeSent] != 3000 {
			t.Fatalf("replayed=%v results=%d counts=%v", rep.Replayed, len(rep.Results), rep.Counts)
		}
		for _, num := range to {
			if got := len(fp.SentTo(num)); got != 1 {
				t.Fatalf("%s texted %d times", num, got)
			}
		}
		rec, _ := mem.Notification(ctx, rep.NotificationID)
		if rec.State != NotificationDone {
			t.Fatalf("state %v", rec.State)
		}
	})
}

// TestCapsSharedThroughTheStore: the duplicate guard and the caps live in
// the host's store, so a second Service over the same store (another
// instance, or this one after a restart) does not send the same body to the
// same number again.
func TestCapsSharedThroughTheStore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mem := NewMemoryStore()
		fp := fake.New()
		ctx := context.Background()
		n := Notification{From: "+14155550100", To: []string{usNumber(1)}, Body: "Your code is 1234"}
		a := startService(t, fp, WithStore(mem))
		if rep, err := a.Send(ctx, n); err != nil || rep.Counts[OutcomeSent] != 1 {
			t.Fatalf("first send: %v %v", err, rep)
		}
		b := startService(t, fp, WithStore(mem))
		rep, err := b.Send(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if r := rep.Results[0]; r.Outcome != OutcomeDenied || !errors.Is(r.Err, compliance.ErrDuplicate) {
			t.Fatalf("second instance: %v %q %v, want denied as a duplicate", r.Outcome, r.Reason, r.Err)
		}
		if len(fp.SentTo(usNumber(1))) != 1 {
			t.Fatalf("texted %d times", len(fp.SentTo(usNumber(1))))
		}
	})
}

// TestConsentStoreWithPolicyIsAnError: WithConsentStore only configures the
// default policy; combined with WithPolicy it would be silently ignored.
func TestConsentStoreWithPolicyIsAnError(t *testing.T) {
	_, err := New(fake.New(), WithPolicy(compliance.NewPolicy()), WithConsentStore(compliance.NewMemoryConsentStore()))
	if err == nil {
		t.Fatal("New accepted WithConsentStore with WithPolicy")
	}
}

// lookupCounter counts line-type lookups.
type lookupCounter struct {
	*fake.Provider
	mu sync.Mutex
	n  int
}

func (p *lookupCounter) Lookup(ctx context.Context, number string) (provider.LineInfo, error) {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
	return p.Provider.Lookup(ctx, number)
}

// TestLookupsAreOptInAfterComplianceAndCached: no lookup unless the host
// turns them on; then none for a recipient compliance refuses, none in
// Plan, and one per number across sends (cached in the store).
func TestLookupsAreOptInAfterComplianceAndCached(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		off := &lookupCounter{Provider: fake.New()}
		s := startService(t, off)
		if _, err := s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(1)}, Body: "Hi"}); err != nil {
			t.Fatal(err)
		}
		if off.n != 0 {
			t.Fatalf("%d lookups with lookups off", off.n)
		}
		on := &lookupCounter{Provider: fake.New()}
		s = startService(t, on, WithLookup(true))
		optOut(t, s, usNumber(3))
		n := Notification{From: "+14155550100", To: []string{usNumber(1), usNumber(2), usNumber(3)}, Body: "Hi {{x}}", Recipients: nil}
		n.Body = "Hi"
		if _, err := s.Plan(ctx, n); err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			n.IdempotencyKey = fmt.Sprint("k", i)
			n.Body = fmt.Sprint("Hi ", i) // a new body: the duplicate guard lets it through
			if _, err := s.Send(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		if on.n != 2 {
			t.Fatalf("%d lookups, want 2 (two allowed numbers, cached, none for the opted-out one or the plan)", on.n)
		}
	})
}

// TestCarrierOptOutIsRecordedAndHonoured: a carrier opt-out error is written
// to the consent ledger with its evidence, so the next send to the number
// is denied before any provider call.
func TestCarrierOptOutIsRecordedAndHonoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		fp := fake.New(fake.FailNumber(usNumber(1), fake.OptedOut()))
		s := startService(t, fp)
		rep, err := s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(1)}, Body: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		if r := rep.Results[0]; r.Outcome != OutcomeFailed || !errors.Is(r.Err, provider.ErrOptedOut) {
			t.Fatalf("first send: %v %v", r.Outcome, r.Err)
		}
		hist, err := s.Policy().ConsentStore().History(ctx, usNumber(1))
		if err != nil || len(hist) != 1 || hist[0].Source != SourceCarrier || hist[0].Action != compliance.ActionOptOut || hist[0].Actor == "" {
			t.Fatalf("ledger %+v %v, want one carrier opt-out with its provider", hist, err)
		}
		attempts := fp.Attempts()
		rep, err = s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(1)}, Body: "Hi again"})
		if err != nil {
			t.Fatal(err)
		}
		if r := rep.Results[0]; r.Outcome != OutcomeDenied || !errors.Is(r.Err, compliance.ErrOptedOut) || fp.Attempts() != attempts {
			t.Fatalf("second send: %v %v, provider calls %d -> %d", r.Outcome, r.Err, attempts, fp.Attempts())
		}
	})
}

// TestSenderErrorPausesTheBlast: a refusal about the sender (an
// unregistered 10DLC number) is not one failure per recipient: the
// notification pauses with what to fix, and the recipients wait for Resume.
func TestSenderErrorPausesTheBlast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		fp := fake.New(fake.WithError(fake.SenderRejected("register the number with a 10DLC campaign")))
		s := startService(t, fp, WithConcurrency(1))
		var to []string
		for i := range 20 {
			to = append(to, usNumber(i))
		}
		rep, err := s.Send(ctx, Notification{From: "+14155550100", To: to, Body: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Paused || !strings.Contains(rep.PauseReason, "10DLC") {
			t.Fatalf("paused=%v reason %q", rep.Paused, rep.PauseReason)
		}
		if rep.Counts[OutcomeFailed] != 0 || rep.Counts[OutcomePending] != 20 {
			t.Fatalf("counts %v, want every recipient still pending", rep.Counts)
		}
	})
}

// TestFilteringReceiptsPauseTheBlast: carriers report filtering (Twilio
// 30007) in delivery receipts, after the send succeeded; the reputation
// guard counts them too and pauses a running blast.
func TestFilteringReceiptsPauseTheBlast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		var s *Service
		opts := []fake.Option{fake.WithDeliveryReceipts(100 * time.Millisecond), fake.OnStatus(func(u provider.StatusUpdate) {
			_ = s.HandleStatus(ctx, u)
		})}
		for i := range 10 {
			opts = append(opts, fake.UndeliveredWith(usNumber(i), "30007", provider.ErrFiltered))
		}
		fp := fake.New(opts...)
		s = startService(t, fp, WithReputationGuard(Thresholds{MinAttempts: 10, Filtered: 0.2}),
			WithLimits(Limits{Sender: throttle.PerSecond(1)}))
		var to []string
		for i := range 60 {
			to = append(to, usNumber(i))
		}
		rep, err := s.Send(ctx, Notification{From: "+14155550100", To: to, Body: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Paused || !strings.Contains(rep.PauseReason, "filtering") {
			t.Fatalf("paused=%v reason %q counts %v", rep.Paused, rep.PauseReason, rep.Counts)
		}
		if rep.Counts[OutcomeSent] >= 60 || rep.Counts[OutcomePending] == 0 {
			t.Fatalf("counts %v: the blast was not stopped", rep.Counts)
		}
	})
}

// hangingProvider sends through p until hang is set, then blocks every call
// until release is closed: a process that stopped answering mid-send.
type hangingProvider struct {
	p       *fake.Provider
	mu      sync.Mutex
	calls   int
	after   int
	release chan struct{}
}

func (h *hangingProvider) Send(ctx context.Context, m provider.Message) (provider.Receipt, error) {
	h.mu.Lock()
	h.calls++
	hang := h.calls > h.after
	h.mu.Unlock()
	if hang {
		<-h.release
		return provider.Receipt{}, &provider.Error{Class: provider.Ambiguous, Err: provider.ErrTimeout}
	}
	return h.p.Send(ctx, m)
}

// TestInstancesJoinAndTakeOver: a Service sharing the store joins a
// notification another instance accepted while both run, and takes over the
// rows of an instance that stopped answering once their lease ends; nobody
// is texted twice and the rows the stopped instance had at the provider
// become unknown.
func TestInstancesJoinAndTakeOver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		mem := NewMemoryStore()
		shared := fake.New(fake.WithLatency(50 * time.Millisecond))
		hang := &hangingProvider{p: shared, after: 40, release: make(chan struct{})}
		a := startService(t, hang, WithStore(mem), WithLease(4*time.Second), WithConcurrency(4))
		b := startService(t, shared, WithStore(mem), WithLease(4*time.Second), WithConcurrency(4))
		var to []string
		for i := range 400 {
			to = append(to, usNumber(i))
		}
		go func() { _, _ = a.Send(ctx, Notification{From: "+14155550100", To: to, Body: "Hi"}) }()
		time.Sleep(10 * time.Millisecond)
		recs, _ := mem.Unfinished(ctx)
		if len(recs) != 1 {
			t.Fatalf("%d unfinished", len(recs))
		}
		if _, err := b.Wait(ctx, recs[0].ID); err != nil {
			t.Fatal(err)
		}
		// b's Wait may return while a's hung rows are still leased; wait for
		// the store to settle.
		for range 100 {
			if c, _ := mem.Counts(ctx, recs[0].ID); c[OutcomePending] == 0 && c[OutcomeDeferred] == 0 {
				break
			}
			time.Sleep(time.Second)
		}
		final, err := b.Report(ctx, recs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if final.Counts[OutcomeSent]+final.Counts[OutcomeUnknown] != 400 || final.Counts[OutcomeUnknown] == 0 {
			t.Fatalf("counts %v: want every row sent by b or unknown (a's hung calls)", final.Counts)
		}
		bySent := 0
		for _, num := range to {
			n := len(shared.SentTo(num))
			if n > 1 {
				t.Fatalf("%s texted %d times", num, n)
			}
			bySent += n
		}
		if bySent != final.Counts[OutcomeSent] {
			t.Fatalf("%d texts for %d sent rows", bySent, final.Counts[OutcomeSent])
		}
		close(hang.release)
	})
}

// startClock records when each provider call starts (before any latency).
type startClock struct {
	p  provider.Provider
	mu sync.Mutex
	at map[string][]time.Time
}

func (c *startClock) Send(ctx context.Context, m provider.Message) (provider.Receipt, error) {
	if strings.HasPrefix(m.Body, "Your parcel") { // the blast, not keyword answers
		c.mu.Lock()
		c.at[m.To] = append(c.at[m.To], time.Now())
		c.mu.Unlock()
	}
	return c.p.Send(ctx, m)
}

// TestStopDuringABlastOnTwoInstances: 40 recipients text STOP to a third
// instance while two others send a blast from one store. No provider call
// to them starts after their opt-out is acknowledged: what can still go out
// is at most the calls already in flight.
func TestStopDuringABlastOnTwoInstances(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		mem := NewMemoryStore()
		shared := fake.New(fake.WithLatency(50 * time.Millisecond))
		calls := &startClock{p: shared, at: make(map[string][]time.Time)}
		a := startService(t, calls, WithStore(mem), WithConcurrency(4))
		b := startService(t, calls, WithStore(mem), WithConcurrency(4))
		c := startService(t, calls, WithStore(mem), WithContactPoint(ContactPoint{Name: "main", Numbers: []string{"+14155550100"}}))
		var to []string
		for i := range 400 {
			to = append(to, usNumber(i))
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			rep, err := a.Send(ctx, Notification{From: "+14155550100", To: to, Body: "Your parcel is out for delivery"})
			if err != nil {
				t.Error(err)
				return
			}
			if rep.Counts[OutcomePending] != 0 {
				t.Errorf("Send returned with rows pending: %v", rep.Counts)
			}
		}()
		time.Sleep(800 * time.Millisecond) // the blast is near 200
		acked := make(map[string]time.Time)
		for i := 200; i < 280; i += 2 {
			if err := c.HandleInbound(ctx, provider.Inbound{Provider: "fake", ID: fmt.Sprint("in-", i), From: usNumber(i), To: "+14155550100", Body: "STOP"}); err != nil {
				t.Fatal(err)
			}
			acked[usNumber(i)] = time.Now()
			time.Sleep(5 * time.Millisecond)
		}
		<-done
		recs, _ := mem.Unfinished(ctx)
		for _, r := range recs {
			_, _ = b.Wait(ctx, r.ID)
		}
		late, before := 0, 0
		calls.mu.Lock()
		for num, at := range acked {
			for _, s := range calls.at[num] {
				if s.After(at) {
					late++
				} else {
					before++
				}
			}
		}
		calls.mu.Unlock()
		t.Logf("texts to the 40 after their STOP was acknowledged: %d (%d went out before)", late, before)
		calls.mu.Lock()
		var first, last time.Time
		n := 0
		for _, ts := range calls.at {
			for _, x := range ts {
				n++
				if first.IsZero() || x.Before(first) {
					first = x
				}
				if x.After(last) {
					last = x
				}
			}
		}
		calls.mu.Unlock()
		t.Logf("%d blast calls from %v to %v; STOPs from %v", n, first, last, acked[usNumber(200)])
		if late != 0 {
			t.Fatalf("%d provider calls started after the opt-out was acknowledged", late)
		}
		if before == 0 || before == 40 {
			t.Fatalf("the STOPs did not overlap the blast (%d of 40 went out before): the test proves nothing", before)
		}
	})
}

// TestCancel: a canceled notification sends nothing more; every recipient
// not yet sent (pending, or deferred by SendAfter) is canceled, and the
// report read back says so with ErrCanceled. Cancel works from OnResult.
func TestCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		fp := fake.New()
		s := startService(t, fp, WithConcurrency(1))
		later, err := s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(1), usNumber(2)}, Body: "Later", SendAfter: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Cancel(ctx, later.NotificationID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Hour)
		rep, err := s.Report(ctx, later.NotificationID)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts[OutcomeCanceled] != 2 || fp.Attempts() != 0 || !errors.Is(rep.Results[0].Err, ErrCanceled) {
			t.Fatalf("counts %v, %d provider calls, err %v", rep.Counts, fp.Attempts(), rep.Results[0].Err)
		}
		var once sync.Once
		seq := func(yield func(Recipient) bool) {
			for i := range 3000 {
				if !yield(Recipient{To: usNumber(100 + i)}) {
					return
				}
			}
		}
		var id string
		stream, err := s.SendStream(ctx, Notification{From: "+14155550100", Body: "Now"}, seq, WithWindow(8), OnResult(func(r Result) {
			once.Do(func() {
				id, _, _ = strings.Cut(r.MessageID, "/")
				if err := s.Cancel(ctx, id); err != nil {
					t.Error(err)
				}
			})
		}))
		if err != nil {
			t.Fatal(err)
		}
		_ = stream
		synctest.Wait()
		final, err := s.Report(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		sent := final.Counts[OutcomeSent]
		if sent == 0 || sent > 10 || len(final.Results) > 1100 || sent+final.Counts[OutcomeCanceled] != len(final.Results) || final.Counts[OutcomePending] != 0 {
			t.Fatalf("after Cancel from OnResult: %v of %d results", final.Counts, len(final.Results))
		}
		rec, _ := s.Store().Notification(ctx, id)
		if rec.State != NotificationCanceled {
			t.Fatalf("state %v", rec.State)
		}
	})
}

// TestStatusCallbackAndExpiry: every send carries the configured status
// callback and, for a notification that expires, the time left as the
// validity period; a recipient still waiting when it expires is failed,
// not sent late.
func TestStatusCallbackAndExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		if _, err := New(fake.New(), WithStatusCallback("/hooks/status")); err == nil {
			t.Fatal("a relative callback URL was accepted")
		}
		fp := fake.New()
		s := startService(t, fp, WithStatusCallback("https://crm.example.com/hooks/status"))
		exp := time.Now().Add(30 * time.Minute)
		rep, err := s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(1)}, Body: "Your code is 1234", ExpiresAt: exp})
		if err != nil || rep.Counts[OutcomeSent] != 1 {
			t.Fatalf("%v %v", rep, err)
		}
		m := fp.SentTo(usNumber(1))[0]
		if m.StatusCallback != "https://crm.example.com/hooks/status" || m.ValidityPeriod != 30*time.Minute {
			t.Fatalf("sent message: callback %q validity %v", m.StatusCallback, m.ValidityPeriod)
		}
		late, err := s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(2)}, Body: "Your code is 5678",
			SendAfter: time.Now().Add(time.Hour), ExpiresAt: time.Now().Add(10 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		final, err := s.Wait(ctx, late.NotificationID)
		if err != nil {
			t.Fatal(err)
		}
		if r := final.Results[0]; r.Outcome != OutcomeFailed || r.Reason != "expired" || !errors.Is(r.Err, ErrExpired) {
			t.Fatalf("expired recipient: %v %q %v", r.Outcome, r.Reason, r.Err)
		}
		if len(fp.SentTo(usNumber(2))) != 0 {
			t.Fatal("an expired text was sent")
		}
	})
}
