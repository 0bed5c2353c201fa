// Package compliancetest holds conformance suites for the interfaces of
// package compliance. Every ConsentStore implementation (in memory, SQL)
// runs TestConsentStore from its own tests:
//
//	func TestStore(t *testing.T) {
//		compliancetest.TestConsentStore(t, func(t *testing.T) compliance.ConsentStore { return newStore(t) })
//	}
package compliancetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/compliance"
)

// TestConsentStore checks that a ConsentStore keeps an append-only,
// time-ordered history and derives state by the ledger rule. newStore must
// return an empty store for each call.
func TestConsentStore(t *testing.T, newStore func(t *testing.T) compliance.ConsentStore) {
	t0 := time.Date(2025, 4, 11, 15, 0, 0, 0, time.UTC)
	const num, other = "+14155552671", "+14155550000"
	optIn := func(at time.Duration, scope string, kind compliance.Kind) compliance.Record {
		return compliance.Record{Number: num, Scope: scope, Kind: kind, Action: compliance.ActionOptIn, At: t0.Add(at),
			Source: compliance.SourceWebForm, Disclosure: "I agree to receive texts", Level: compliance.LevelExpressWritten, IP: "192.0.2.1"}
	}
	optOut := func(at time.Duration, scope string, kind compliance.Kind) compliance.Record {
		return compliance.Record{Number: num, Scope: scope, Kind: kind, Action: compliance.ActionOptOut, At: t0.Add(at),
			Source: compliance.SourceKeyword, Text: "STOP"}
	}
	ctx := context.Background()

	t.Run("EmptyHistory", func(t *testing.T) {
		s := newStore(t)
		h, err := s.History(ctx, num)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 0 {
			t.Fatalf("History of unknown number = %v, want empty", h)
		}
		st, err := s.State(ctx, num, "acme", compliance.Service, t0)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != compliance.StatusUnknown {
			t.Fatalf("State of unknown number = %v, want unknown", st.Status)
		}
	})

	t.Run("RejectsInvalid", func(t *testing.T) {
		s := newStore(t)
		for name, r := range map[string]compliance.Record{
			"no number": {Action: compliance.ActionOptIn, At: t0},
			"not E.164": {Number: "4155552671", Action: compliance.ActionOptIn, At: t0},
			"no action": {Number: num, At: t0},
			"no time":   {Number: num, Action: compliance.ActionOptOut},
		} {
			if err := s.Append(ctx, r); !errors.Is(err, compliance.ErrInvalidRecord) {
				t.Errorf("%s: Append error = %v, want ErrInvalidRecord", name, err)
			}
		}
		h, _ := s.History(ctx, num)
		if len(h) != 0 {
			t.Errorf("invalid records were stored: %v", h)
		}
	})

	t.Run("HistoryKeepsEveryFieldInTimeOrder", func(t *testing.T) {
		s := newStore(t)
		a := optIn(0, "acme", compliance.Marketing)
		a.ID, a.DisclosureVersion, a.Channel, a.Actor, a.UserAgent, a.URL = "r1", "v3", "web", "signup-form", "Mozilla/5.0", "https://acme.example/join"
		b := optOut(2*time.Hour, "acme", compliance.Service)
		c := optIn(time.Hour, "", compliance.Service) // appended late, earlier time
		d := optOut(2*time.Hour, "acme", compliance.Marketing)
		for _, r := range []compliance.Record{a, b, c, d} {
			if err := s.Append(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Append(ctx, compliance.Record{Number: other, Action: compliance.ActionOptOut, At: t0}); err != nil {
			t.Fatal(err)
		}
		h, err := s.History(ctx, num)
		if err != nil {
			t.Fatal(err)
		}
		want := []compliance.Record{a, c, b, d}
		if diff := cmp.Diff(want, h, timeEqual); diff != "" {
			t.Errorf("History (-want +got):\n%s", diff)
		}
	})

	t.Run("State", func(t *testing.T) {
		type q struct {
			scope string
			kind  compliance.Kind
			at    time.Duration
		}
		tests := []struct {
			name    string
			records []compliance.Record
			q       q
			want    compliance.Status
			wantAt  time.Duration
		}{
			{"opt-in", []compliance.Record{optIn(0, "acme", compliance.Marketing)}, q{"acme", compliance.Marketing, time.Hour}, compliance.StatusOptedIn, 0},
			{"before the opt-in", []compliance.Record{optIn(time.Hour, "acme", compliance.Marketing)}, q{"acme", compliance.Marketing, 0}, compliance.StatusUnknown, 0},
			{"at the opt-in instant", []compliance.Record{optIn(time.Hour, "acme", compliance.Marketing)}, q{"acme", compliance.Marketing, time.Hour}, compliance.StatusOptedIn, time.Hour},
			{"other scope", []compliance.Record{optIn(0, "acme", compliance.Marketing)}, q{"globex", compliance.Marketing, time.Hour}, compliance.StatusUnknown, 0},
			{"empty scope covers all", []compliance.Record{optOut(0, "", compliance.Service)}, q{"globex", compliance.Service, time.Hour}, compliance.StatusOptedOut, 0},
			{"marketing opt-in covers service", []compliance.Record{optIn(0, "acme", compliance.Marketing)}, q{"acme", compliance.Service, time.Hour}, compliance.StatusOptedIn, 0},
			{"service opt-in does not cover marketing", []compliance.Record{optIn(0, "acme", compliance.Service)}, q{"acme", compliance.Marketing, time.Hour}, compliance.StatusUnknown, 0},
			{"opt-out after opt-in", []compliance.Record{optIn(0, "acme", compliance.Marketing), optOut(time.Minute, "acme", compliance.Service)}, q{"acme", compliance.Marketing, time.Hour}, compliance.StatusOptedOut, time.Minute},
			{"opt-out not yet effective", []compliance.Record{optIn(0, "acme", compliance.Marketing), optOut(2*time.Hour, "acme", compliance.Service)}, q{"acme", compliance.Marketing, time.Hour}, compliance.StatusOptedIn, 0},
			{"re-opt-in after opt-out", []compliance.Record{optOut(0, "acme", compliance.Service), optIn(time.Minute, "acme", compliance.Service)}, q{"acme", compliance.Service, time.Hour}, compliance.StatusOptedIn, time.Minute},
			{"opt-out beats opt-in at same instant", []compliance.Record{optOut(time.Minute, "acme", compliance.Service), optIn(time.Minute, "acme", compliance.Marketing)}, q{"acme", compliance.Marketing, time.Hour}, compliance.StatusOptedOut, time.Minute},
			{"opt-out beats opt-in at same instant, either order", []compliance.Record{optIn(time.Minute, "acme", compliance.Marketing), optOut(time.Minute, "acme", compliance.Service)}, q{"acme", compliance.Service, time.Hour}, compliance.StatusOptedOut, time.Minute},
			{"marketing opt-out keeps service", []compliance.Record{optIn(0, "acme", compliance.Marketing), optOut(time.Minute, "acme", compliance.Marketing)}, q{"acme", compliance.Service, time.Hour}, compliance.StatusOptedIn, 0},
			{"marketing opt-out stops marketing", []compliance.Record{optIn(0, "acme", compliance.Marketing), optOut(time.Minute, "acme", compliance.Marketing)}, q{"acme", compliance.Marketing, time.Hour}, compliance.StatusOptedOut, time.Minute},
			{"late-appended earlier opt-out", []compliance.Record{optIn(time.Hour, "acme", compliance.Marketing), optOut(time.Minute, "acme", compliance.Service)}, q{"acme", compliance.Marketing, 2 * time.Hour}, compliance.StatusOptedIn, time.Hour},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := newStore(t)
				for _, r := range tt.records {
					if err := s.Append(ctx, r); err != nil {
						t.Fatal(err)
					}
				}
				st, err := s.State(ctx, num, tt.q.scope, tt.q.kind, t0.Add(tt.q.at))
				if err != nil {
					t.Fatal(err)
				}
				if st.Status != tt.want {
					t.Fatalf("Status = %v, want %v", st.Status, tt.want)
				}
				if tt.want != compliance.StatusUnknown && !st.Record.At.Equal(t0.Add(tt.wantAt)) {
					t.Errorf("deciding record at %v, want %v", st.Record.At, t0.Add(tt.wantAt))
				}
				// The store must agree with the reference rule.
				h, err := s.History(ctx, num)
				if err != nil {
					t.Fatal(err)
				}
				ref := compliance.DeriveState(h, tt.q.scope, tt.q.kind, t0.Add(tt.q.at))
				if ref.Status != st.Status {
					t.Errorf("State = %v, DeriveState over History = %v", st.Status, ref.Status)
				}
			})
		}
	})

	t.Run("AppendIsVisibleToNextState", func(t *testing.T) {
		s := newStore(t)
		if err := s.Append(ctx, optIn(0, "acme", compliance.Marketing)); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 20; i++ {
			r := optOut(time.Duration(i)*time.Second, "acme", compliance.Service)
			if i%2 == 0 {
				r = optIn(time.Duration(i)*time.Second, "acme", compliance.Marketing)
			}
			if err := s.Append(ctx, r); err != nil {
				t.Fatal(err)
			}
			st, err := s.State(ctx, num, "acme", compliance.Marketing, t0.Add(time.Duration(i)*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			want := compliance.StatusOptedOut
			if i%2 == 0 {
				want = compliance.StatusOptedIn
			}
			if st.Status != want {
				t.Fatalf("after append %d: Status = %v, want %v", i, st.Status, want)
			}
		}
	})

	t.Run("HistoryIsACopy", func(t *testing.T) {
		s := newStore(t)
		if err := s.Append(ctx, optIn(0, "acme", compliance.Marketing)); err != nil {
			t.Fatal(err)
		}
		h, _ := s.History(ctx, num)
		h[0].Action = compliance.ActionOptOut
		st, _ := s.State(ctx, num, "acme", compliance.Marketing, t0)
		if st.Status != compliance.StatusOptedIn {
			t.Fatalf("mutating History's result changed the ledger")
		}
	})

	t.Run("CanceledContext", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Append(cctx, optIn(0, "acme", compliance.Marketing)); !errors.Is(err, context.Canceled) {
			t.Errorf("Append error = %v, want context.Canceled", err)
		}
		if _, err := s.History(cctx, num); !errors.Is(err, context.Canceled) {
			t.Errorf("History error = %v, want context.Canceled", err)
		}
		if _, err := s.State(cctx, num, "acme", compliance.Marketing, t0); !errors.Is(err, context.Canceled) {
			t.Errorf("State error = %v, want context.Canceled", err)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		const workers, each = 4, 25
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := fmt.Sprintf("+1415555%04d", w)
				for i := range each {
					if err := s.Append(ctx, compliance.Record{Number: n, Action: compliance.ActionOptIn, At: t0.Add(time.Duration(i) * time.Second)}); err != nil {
						t.Error(err)
						return
					}
					if _, err := s.State(ctx, n, "", compliance.Service, t0.Add(time.Hour)); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		for w := range workers {
			h, err := s.History(ctx, fmt.Sprintf("+1415555%04d", w))
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != each {
				t.Errorf("worker %d: %d records, want %d", w, len(h), each)
			}
		}
	})
}

// timeEqual compares times by instant, since stores may change locations.
var timeEqual = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
