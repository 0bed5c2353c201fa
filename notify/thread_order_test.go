package notify

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

// A conversation reads as the recipient's phone shows it: our texts in the
// order they were sent, the replies between them by when they came in. The
// first notice's delivery receipt is held up by the carrier for ten
// minutes; ordered by its receipt, the notice used to sink below the
// customer's answer to it and below the next notice.
func TestThreadOrderIsSendOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := fake.New()
		defer p.Close()
		support := ContactPoint{Name: "support", Numbers: []string{"+14155550100"}}
		s := startService(t, p, WithContactPoint(support))
		customer := num(7)
		send := func(body string) Result {
			t.Helper()
			rep, err := s.Send(ctx, Notification{From: "support", To: []string{customer}, Body: body})
			if err != nil || rep.Results[0].Outcome != OutcomeSent {
				t.Fatalf("Send(%q): %v, %+v", body, err, rep)
			}
			return rep.Results[0]
		}
		receipt := func(r Result, st provider.Status) {
			t.Helper()
			if err := s.HandleStatus(ctx, provider.StatusUpdate{Provider: fake.Name, ID: r.ProviderID, Status: st, At: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}

		first := send("Your parcel ships today")
		time.Sleep(time.Minute)
		if err := s.HandleInbound(ctx, provider.Inbound{Provider: fake.Name, ID: "in-1", From: customer, To: "+14155550100", Body: "Great, thanks", Received: time.Now()}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		second := send("Your parcel is out for delivery")
		receipt(second, provider.StatusDelivered)
		time.Sleep(8 * time.Minute)
		receipt(first, provider.StatusSent) // the carrier's late receipts
		receipt(first, provider.StatusDelivered)

		th, err := s.Thread(ctx, "", "+14155550100", customer, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range th {
			got = append(got, fmt.Sprintf("%s %v %s", e.At.Sub(th[0].At), e.Inbound, e.Body))
		}
		want := []string{
			"0s false Your parcel ships today",
			"1m0s true Great, thanks",
			"2m0s false Your parcel is out for delivery",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("thread (-want +got):\n%s", diff)
		}
		// The receipts are kept, with their own times, and the send time
		// did not move.
		d, err := s.MessageDetail(ctx, "", first.MessageID)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(d.Message.Statuses); n != 2 || d.Message.Status != provider.StatusDelivered || !d.Message.UpdatedAt.Equal(th[0].At) {
			t.Errorf("first notice after its receipts: status %v, %d changes, updated %v; want delivered, 2, %v", d.Message.Status, n, d.Message.UpdatedAt, th[0].At)
		}
	})
}
