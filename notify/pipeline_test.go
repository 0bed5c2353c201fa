package notify

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

// usNumber returns the i-th test number in the 415 area code
// (+1415555xxxx is not valid; 415-2xx-xxxx is).
func usNumber(i int) string { return fmt.Sprintf("+1415%07d", 2000000+i) }

// indiaNumber is in quiet hours at the synctest epoch (05:30 IST).
func indiaNumber(i int) string { return fmt.Sprintf("+9198%08d", 10000000+i) }

func optOut(t *testing.T, s *Service, number string) {
	t.Helper()
	err := s.Policy().ConsentStore().Append(context.Background(), compliance.Record{Number: number, Action: compliance.ActionOptOut, At: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
}

func newService(t *testing.T, fp *fake.Provider, opts ...Option) *Service {
	t.Helper()
	s, err := New(fp, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
		fp.Close()
	})
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTenThousand sends to 10,000 recipients with scripted 429s, permanent
// failures, ambiguous timeouts, opted-out, invalid and quiet-hour numbers,
// and checks every recipient.
func TestTenThousand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const N = 10000
		type kind int
		const (
			ok kind = iota
			invalid
			optedOut
			permanent
			timeout
			quiet
			limited
		)
		kinds := make([]kind, N)
		to := make([]string, N)
		var opts []fake.Option
		for i := range N {
			switch {
			case i%97 == 3:
				kinds[i], to[i] = invalid, fmt.Sprintf("+1415%03d", i)
			case i%89 == 5:
				kinds[i], to[i] = optedOut, usNumber(i)
			case i%83 == 7:
				kinds[i], to[i] = permanent, usNumber(i)
				opts = append(opts, fake.FailNumber(to[i], fake.Permanent(provider.ErrInvalidNumber, "21211")))
			case i%79 == 11:
				kinds[i], to[i] = timeout, usNumber(i)
				opts = append(opts, fake.FailNumber(to[i], fake.Timeout()))
			case i%73 == 13:
				kinds[i], to[i] = quiet, indiaNumber(i)
			default:
				kinds[i], to[i] = ok, usNumber(i)
			}
		}
		// Every 50th accepted send attempt is rate limited once.
		attempts := 0
		limitedOnce := map[string]bool{}
		opts = append(opts, fake.WithRule(func(ctx context.Context, m provider.Message) error {
			attempts++
			if attempts%50 == 0 && !limitedOnce[m.To] {
				limitedOnce[m.To] = true
				return fake.RateLimited(2 * time.Second)
			}
			return nil
		}))
		fp := fake.New(opts...)
		s := newService(t, fp, WithConcurrency(1), WithReputationGuard(Thresholds{}))
		for i := range N {
			if kinds[i] == optedOut {
				optOut(t, s, to[i])
			}
		}
		ctx := context.Background()
		rep, err := s.Send(ctx, Notification{From: "+14155550100", To: to, Body: "Your parcel arrives today"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Results) != N {
			t.Fatalf("%d results, want %d", len(rep.Results), N)
		}
		final, err := s.Wait(ctx, rep.NotificationID)
		if err != nil {
			t.Fatal(err)
		}
		sent := map[string]int{}
		for _, m := range fp.Sent() {
			sent[m.To]++
		}
		for to, n := range sent {
			if n > 1 {
				t.Errorf("%s sent %d times", to, n)
			}
		}
		want := map[kind]Outcome{ok: OutcomeSent, invalid: OutcomeInvalid, optedOut: OutcomeDenied, permanent: OutcomeFailed, timeout: OutcomeUnknown, quiet: OutcomeSent}
		for i, r := range final.Results {
			if r.Index != i || r.Given != to[i] {
				t.Fatalf("result %d is for %d %q", i, r.Index, r.Given)
			}
			if got := r.Outcome; got != want[kinds[i]] {
				t.Errorf("recipient %d (%v): outcome %v (%s), want %v", i, kinds[i], got, r.Reason, want[kinds[i]])
			}
			if kinds[i] == optedOut && sent[to[i]] > 0 {
				t.Errorf("opted-out %s was sent", to[i])
			}
			if r.Outcome == OutcomeSent && sent[r.To] != 1 {
				t.Errorf("sent result for %s but %d messages", r.To, sent[r.To])
			}
			// The first report showed the quiet-hour recipients deferred.
			if kinds[i] == quiet && (rep.Results[i].Outcome != OutcomeDeferred || rep.Results[i].NotBefore.IsZero()) {
				t.Errorf("recipient %d first reported %v, want deferred", i, rep.Results[i].Outcome)
			}
			switch kinds[i] {
			case optedOut:
				if !errors.Is(r.Err, compliance.ErrOptedOut) {
					t.Errorf("recipient %d error %v, want ErrOptedOut", i, r.Err)
				}
			case invalid:
				if !errors.Is(r.Err, ErrInvalidNumber) {
					t.Errorf("recipient %d error %v, want ErrInvalidNumber", i, r.Err)
				}
			case timeout:
				if !errors.Is(r.Err, provider.ErrAmbiguous) {
					t.Errorf("recipient %d error %v, want ambiguous", i, r.Err)
				}
			}
		}
		if len(limitedOnce) == 0 {
			t.Error("no 429 was scripted")
		}
		total := 0
		for _, c := range final.Counts {
			total += c
		}
		if total != N || final.Counts[OutcomePending] != 0 || final.Counts[OutcomeDeferred] != 0 {
			t.Errorf("counts %v", final.Counts)
		}
	})
}

func TestSendRefusesMultipartBeforeSending(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		s := newService(t, fp)
		body := "Your order “4417” ships today, thank you for shopping with us, we hope you enjoy it — see you soon!"
		_, err := s.Send(context.Background(), Notification{To: []string{usNumber(1)}, Body: body})
		var na *ErrNeedsAcknowledgement
		if !errors.As(err, &na) || !errors.Is(err, ErrMultipart) {
			t.Fatalf("err = %v, want *ErrNeedsAcknowledgement", err)
		}
		if diff := cmp.Diff(&ErrNeedsAcknowledgement{Segments: 2, Encoding: "UCS-2", UCS2: []rune{'“', '”', '—'}, Smart: 1, Recipient: usNumber(1)}, na); diff != "" {
			t.Errorf("error (-want +got):\n%s", diff)
		}
		if fp.Attempts() != 0 {
			t.Errorf("%d sends", fp.Attempts())
		}
		rep, err := s.Send(context.Background(), Notification{To: []string{usNumber(1)}, Body: body, AcknowledgeMultipart: true})
		if err != nil || rep.Results[0].Segments != 2 {
			t.Fatalf("acknowledged: %v %+v", err, rep)
		}
		_, err = s.Send(context.Background(), Notification{To: []string{usNumber(2)}, Body: body + body, MaxSegments: 2})
		if !errors.Is(err, ErrTooManySegments) {
			t.Fatalf("err = %v, want ErrTooManySegments", err)
		}
	})
}

func TestSmartEncodingKeepsOneSegment(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		s := newService(t, fp, WithSmartEncoding(true))
		rep, err := s.Send(context.Background(), Notification{To: []string{usNumber(1)}, Body: "It’s “ready” — come by"})
		if err != nil {
			t.Fatal(err)
		}
		if got := fp.Sent()[0].Body; got != "It's \"ready\" - come by" {
			t.Errorf("sent %q", got)
		}
		if rep.Encoding != "GSM-7" {
			t.Errorf("encoding %s", rep.Encoding)
		}
	})
}

func TestTemplates(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		s := newService(t, fp, WithSnippets(map[string]string{"stop": "Reply STOP to opt out."}))
		rep, err := s.Send(context.Background(), Notification{
			Recipients: []Recipient{
				{To: usNumber(1), Vars: map[string]string{"order": "4417", "day": "Tue"}},
				{To: usNumber(2), Vars: map[string]string{"order": "4418"}},
			},
			Body: "Order {{order}} arrives {{ day }}. {{> stop}}",
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := fp.Sent(); len(got) != 1 || got[0].Body != "Order 4417 arrives Tue. Reply STOP to opt out." {
			t.Fatalf("sent %+v", got)
		}
		r := rep.Results[1]
		var mv *MissingVariableError
		if r.Outcome != OutcomeFailed || !errors.As(r.Err, &mv) || mv.Name != "day" {
			t.Errorf("result %+v, want failed with missing {{day}}", r)
		}
		_, err = s.Send(context.Background(), Notification{To: []string{usNumber(3)}, Body: "Hi {{> nope}}"})
		if !errors.Is(err, ErrTemplate) {
			t.Errorf("unknown snippet: %v", err)
		}
		_, err = s.Send(context.Background(), Notification{To: []string{usNumber(3)}, Body: "Hi {{name"})
		if !errors.Is(err, ErrTemplate) {
			t.Errorf("unclosed: %v", err)
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		s := newService(t, fp)
		n := Notification{To: []string{usNumber(1), usNumber(2)}, Body: "Hello", IdempotencyKey: "k1"}
		first, err := s.Send(context.Background(), n)
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.Send(context.Background(), n)
		if err != nil {
			t.Fatal(err)
		}
		if fp.Count() != 2 {
			t.Errorf("%d sent, want 2", fp.Count())
		}
		if diff := cmp.Diff(first.Results, second.Results); diff != "" || first.NotificationID != second.NotificationID {
			t.Errorf("second report differs (-first +second):\n%s", diff)
		}
		if first.Replayed || !second.Replayed {
			t.Errorf("Replayed = %v then %v, want false then true", first.Replayed, second.Replayed)
		}
	})
}

func TestRetryHonoursRetryAfterAndNeverRetriesAmbiguous(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New(fake.FailNth(1, fake.RateLimited(7*time.Second)), fake.FailNth(3, fake.Timeout()))
		s := newService(t, fp, WithConcurrency(1))
		start := time.Now()
		rep, err := s.Send(context.Background(), Notification{To: []string{usNumber(1), usNumber(2)}, Body: "Hello"})
		if err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 7*time.Second {
			t.Errorf("retried after %v, want at least Retry-After 7s", waited)
		}
		got := []Outcome{rep.Results[0].Outcome, rep.Results[1].Outcome}
		if diff := cmp.Diff([]Outcome{OutcomeSent, OutcomeUnknown}, got); diff != "" {
			t.Errorf("outcomes (-want +got):\n%s", diff)
		}
		if fp.Attempts() != 3 {
			t.Errorf("%d attempts, want 3 (no retry of the timeout)", fp.Attempts())
		}
	})
}

func TestSendAfterAndShutdown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		s := newService(t, fp)
		at := time.Now().Add(time.Hour)
		rep, err := s.Send(context.Background(), Notification{To: []string{usNumber(1)}, Body: "Later", SendAfter: at})
		if err != nil {
			t.Fatal(err)
		}
		if r := rep.Results[0]; r.Outcome != OutcomeDeferred || !r.NotBefore.Equal(at) {
			t.Fatalf("result %+v, want deferred until %v", r, at)
		}
		if fp.Count() != 0 {
			t.Fatal("sent before SendAfter")
		}
		final, err := s.Wait(context.Background(), rep.NotificationID)
		if err != nil {
			t.Fatal(err)
		}
		if final.Results[0].Outcome != OutcomeSent || time.Now().Before(at) {
			t.Errorf("after wait: %+v at %v", final.Results[0], time.Now())
		}

		// A deferral pending at Shutdown is not sent, and no goroutine is left.
		_, err = s.Send(context.Background(), Notification{To: []string{usNumber(2)}, Body: "Much later", SendAfter: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if fp.Count() != 1 {
			t.Errorf("%d sent", fp.Count())
		}
		if _, err := s.Send(context.Background(), Notification{To: []string{usNumber(3)}, Body: "x"}); !errors.Is(err, ErrClosed) {
			t.Errorf("send after shutdown: %v", err)
		}
	})
}

func TestResumeOnNewFinishesWhatACrashLeft(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := NewMemoryStore()
		fp := fake.New()
		s1 := newService(t, fp, WithStore(store), WithLease(time.Minute))
		rep, err := s1.Send(context.Background(), Notification{To: []string{usNumber(1), usNumber(2), usNumber(3)}, Body: "Resume me", SendAfter: time.Now().Add(time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		// Simulate a crash mid-send: another instance claims every row and
		// marks one Sending, then dies.
		_ = s1.Shutdown(context.Background())
		time.Sleep(2 * time.Minute) // the fake clock: SendAfter has passed
		rows, _ := store.Claim(context.Background(), rep.NotificationID, "crashed", 10, time.Now(), time.Now().Add(time.Minute))
		if len(rows) != 3 {
			t.Fatalf("claimed %d rows", len(rows))
		}
		if err := store.MarkSending(context.Background(), rows[1].ID, "crashed"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Minute) // the crashed instance's leases expire
		s2 := newService(t, fp, WithStore(store))
		final, err := s2.Wait(context.Background(), rep.NotificationID)
		if err != nil {
			t.Fatal(err)
		}
		got := []Outcome{final.Results[0].Outcome, final.Results[1].Outcome, final.Results[2].Outcome}
		if diff := cmp.Diff([]Outcome{OutcomeSent, OutcomeUnknown, OutcomeSent}, got); diff != "" {
			t.Errorf("outcomes (-want +got):\n%s", diff)
		}
		if len(fp.SentTo(usNumber(2))) != 0 {
			t.Error("the row that may have gone out was resent")
		}
	})
}
