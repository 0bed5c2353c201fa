package notify

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/throttle"
)

// TestRowsRefusedAfterPacingGiveTheirChargeBack: rows charged to the daily
// cap and the sender's rate, then refused by the last check (opted out
// while they waited), give the charge back: the day's cap counts only the
// texts that went out, so a later notification that day still has room.
func TestRowsRefusedAfterPacingGiveTheirChargeBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cp := newClockProvider()
		s := startService(t, cp, WithLimits(Limits{Daily: 3, Sender: throttle.PerSecond(1)}), WithConcurrency(3))
		first := []string{usNumber(0), usNumber(1), usNumber(2)}
		go func() {
			// The first text goes at once, the others wait for the sender's
			// rate with the day's cap already charged.
			time.Sleep(500 * time.Millisecond)
			for _, n := range first {
				optOut(t, s, n)
			}
		}()
		rep, err := s.Send(context.Background(), Notification{From: "+14155550100", To: first, Body: "Your parcel is out for delivery"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts[OutcomeSent] != 1 || rep.Counts[OutcomeDenied] != 2 {
			t.Fatalf("first notification %v, want 1 sent and 2 denied", rep.Counts)
		}
		rep, err = s.Send(context.Background(), Notification{From: "+14155550100", To: []string{usNumber(3), usNumber(4)}, Body: "Your parcel is out for delivery"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts[OutcomeSent] != 2 {
			t.Fatalf("second notification %v, want both sent: the day's cap of 3 has 2 left", rep.Counts)
		}
	})
}

// TestRowsTheProviderRefusesGiveTheirChargeBack: a text the provider
// refuses for certain never reached a carrier and spends none of the day's
// cap; one with an unknown outcome may have, and keeps its charge.
func TestRowsTheProviderRefusesGiveTheirChargeBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		refused, lost := usNumber(0), usNumber(1)
		fp := fake.New(fake.WithRule(func(_ context.Context, m provider.Message) error {
			switch m.To {
			case refused:
				return &provider.Error{Provider: "fake", Code: "21211", Class: provider.Permanent, Err: provider.ErrInvalidNumber}
			case lost:
				return &provider.Error{Provider: "fake", Class: provider.Ambiguous, Err: provider.ErrAmbiguous}
			}
			return nil
		}))
		s := startService(t, fp, WithLimits(Limits{Daily: 3}))
		rep, err := s.Send(context.Background(), Notification{From: "+14155550100", To: []string{refused, lost}, Body: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts[OutcomeFailed] != 1 || rep.Counts[OutcomeUnknown] != 1 {
			t.Fatalf("counts %v, want 1 failed and 1 unknown", rep.Counts)
		}
		rep, err = s.Send(context.Background(), Notification{From: "+14155550100", To: []string{usNumber(2), usNumber(3), usNumber(4)}, Body: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts[OutcomeSent] != 2 || rep.Counts[OutcomeDeferred] != 1 {
			t.Fatalf("after a refused and an unknown text, a cap of 3 sent %v, want 2 sent and 1 deferred", rep.Counts)
		}
	})
}
