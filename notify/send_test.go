package notify

import (
	"context"
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
