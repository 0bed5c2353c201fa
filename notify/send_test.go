package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"

	"github.com/heraldsms/herald/provider/fake"
)

func TestSendHappyPath(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		defer fp.Close()
		s, err := New(fp)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Shutdown(context.Background())
		rep, err := s.Send(context.Background(), Notification{
			From:       "+14155550100",
			To:         []string{"(415) 555-2671", "+1 415 555 2672", "bogus", "415-555-2671"},
			Recipients: []Recipient{{To: "+14155552673", Vars: map[string]string{"name": "Ann"}}},
			Body:       "Your order ships today",
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []Outcome
		for _, r := range rep.Results {
			got = append(got, r.Outcome)
		}
		want := []Outcome{OutcomeSent, OutcomeSent, OutcomeInvalid, OutcomeDuplicate, OutcomeSent}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("outcomes (-want +got):\n%s", d)
		}
		if n := len(fp.Sent()); n != 3 {
			t.Errorf("sent %d messages, want 3", n)
		}
		if rep.Counts[OutcomeSent] != 3 || rep.Segments != 3 {
			t.Errorf("counts %v segments %d", rep.Counts, rep.Segments)
		}
	})
}

// TestSendLargeListBuiltInParallel checks that a list long enough to have
// its rows drafted on several goroutines is reported exactly as the
// one-by-one path reports it: invalid numbers, national forms, duplicates
// (the later occurrence, even when its own body is bad), missing
// variables, at their own index; and that a multipart body refuses the
// notification only when a non-duplicate recipient has it.
func TestSendLargeListBuiltInParallel(t *testing.T) {
	const N = 3 * parallelBuildMin
	given := func(i int) (string, map[string]string) {
		vars := map[string]string{"name": "Ann"}
		switch i % 7 {
		case 1:
			return "555-01", vars // invalid
		case 2:
			// A duplicate of the number two rows up, with a missing
			// variable and, from 4000 on, a body of several segments.
			if i >= 4000 {
				return usNumber(i - 2), map[string]string{"name": strings.Repeat("x", 200)}
			}
			return usNumber(i - 2), nil
		case 3:
			d := 2000000 + i
			return fmt.Sprintf("(415) %03d-%04d", d/10000, d%10000), vars // national form
		case 4:
			return usNumber(i), nil // missing variable
		}
		return usNumber(i), vars
	}
	build := func(multipartAt int) ([]string, []Recipient) {
		var to []string
		var rs []Recipient
		for i := range N {
			g, vars := given(i)
			if i == multipartAt {
				vars = map[string]string{"name": strings.Repeat("y", 200)}
			}
			if i < N/3 {
				to = append(to, g)
			} else {
				rs = append(rs, Recipient{To: g, Vars: vars})
			}
		}
		return to, rs
	}
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		defer fp.Close()
		s := newService(t, fp, WithDefaultRegion("US"))
		to, rs := build(-1)
		rep, err := s.Send(context.Background(), Notification{To: to, Recipients: rs, Body: "Hi {{name}}, your parcel is on its way"})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for i, r := range rep.Results {
			g, vars := given(i)
			want, nerr := NormalizeNumber(g, "US")
			var outcome Outcome
			switch {
			case nerr != nil:
				outcome, want = OutcomeInvalid, ""
			case seen[want]:
				outcome = OutcomeDuplicate
			case vars == nil || i < N/3: // the numbers of To have no variables
				outcome = OutcomeFailed
				seen[want] = true
			default:
				outcome = OutcomeSent
				seen[want] = true
			}
			if r.Index != i || r.Given != g || r.Outcome != outcome || (outcome == OutcomeSent && r.To != want) {
				t.Fatalf("result %d (%q): index %d, %s to %q (%v); want %s to %q", i, g, r.Index, r.Outcome, r.To, r.Err, outcome, want)
			}
		}
		if len(rep.Results) != N || fp.Count() != rep.Counts[OutcomeSent] {
			t.Errorf("%d results, counts %v, provider got %d", len(rep.Results), rep.Counts, fp.Count())
		}

		// A multipart body on a recipient that is not a duplicate (5005 is
		// not; the duplicates above from 4000 on had one) refuses the
		// notification, naming that recipient, and sends nothing.
		before := fp.Count()
		to, rs = build(5005)
		_, err = s.Send(context.Background(), Notification{To: to, Recipients: rs, Body: "Hi {{name}}, your parcel is on its way"})
		var ack *ErrNeedsAcknowledgement
		if !errors.As(err, &ack) || ack.Recipient != usNumber(5005) || fp.Count() != before {
			t.Errorf("multipart body at 5005: %v, %d sent", err, fp.Count()-before)
		}
	})
}
