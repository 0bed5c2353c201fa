package notify

import (
	"context"
	"fmt"
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

// TestSendLargeListNormalisedInParallel checks that a list long enough to be
// normalised on several goroutines reports every number exactly as the
// one-by-one path does: invalid numbers, national forms, and duplicates
// (the later occurrence) at their own index.
func TestSendLargeListNormalisedInParallel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fp := fake.New()
		defer fp.Close()
		s := newService(t, fp, WithDefaultRegion("US"))
		const N = 3 * parallelNormalizeMin
		var to []string
		var rs []Recipient
		for i := range N {
			var g string
			switch i % 7 {
			case 1:
				g = "555-01" // invalid
			case 2:
				g = usNumber(i - 2) // the number two rows up: a duplicate
			case 3:
				d := 2000000 + i
				g = fmt.Sprintf("(415) %03d-%04d", d/10000, d%10000) // national form
			default:
				g = usNumber(i)
			}
			if i < N/3 {
				to = append(to, g)
			} else {
				rs = append(rs, Recipient{To: g})
			}
		}
		rep, err := s.Send(context.Background(), Notification{To: to, Recipients: rs, Body: "Your parcel is on its way"})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for i, r := range rep.Results {
			given := r.Given
			want, nerr := NormalizeNumber(given, "US")
			var outcome Outcome
			switch {
			case nerr != nil:
				outcome, want = OutcomeInvalid, ""
			case seen[want]:
				outcome = OutcomeDuplicate
			default:
				outcome = OutcomeSent
				seen[want] = true
			}
			if r.Index != i || r.Outcome != outcome || (outcome == OutcomeSent && r.To != want) {
				t.Fatalf("result %d (%q): index %d, %s to %q; want %s to %q", i, given, r.Index, r.Outcome, r.To, outcome, want)
			}
		}
		if len(rep.Results) != N || rep.Counts[OutcomeInvalid] != N/7+1 || fp.Count() != rep.Counts[OutcomeSent] {
			t.Errorf("%d results, counts %v, provider got %d", len(rep.Results), rep.Counts, fp.Count())
		}
	})
}
