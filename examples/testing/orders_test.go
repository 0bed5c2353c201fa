package orders_test

// How a host application tests its own texting code with provider/fake.
// Copy these patterns: build a real notify.Service over a fake provider,
// call your code, then ask the fake what went out.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"

	orders "github.com/heraldsms/herald/examples/testing"
)

const shopNumber = "+13125550100"

// afternoon is a weekday afternoon in the US: quiet hours (08–21 local)
// never get in a test's way when the Service's clock is pinned to it.
var afternoon = time.Date(2025, 6, 4, 19, 0, 0, 0, time.UTC)

// newService is the one helper most host test suites need: a real Service
// over the given fake, with a fixed clock, shut down with the test.
//
// Keep the WithClock line when you copy this. Without it the Service reads
// the machine's clock, and quiet hours (no service text before 08:00 or
// after 21:00 at the customer's number) defer every text to a US number
// while CI runs at night: the fake then records nothing and the test fails
// at some hours only. NotifyShipped reports that case as orders.ErrDeferred
// naming the quiet-hours rule; TestQuietHoursByClock shows it.
func newService(t *testing.T, f *fake.Provider, opts ...notify.Option) *notify.Service {
	t.Helper()
	svc, err := notify.New(f, append([]notify.Option{
		notify.WithClock(func() time.Time { return afternoon }), // see above: never the machine's clock
		notify.WithRetry(notify.RetryPolicy{MaxAttempts: 3}),    // no backoff waits in tests
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.Close()
		svc.Shutdown(context.Background())
	})
	return svc
}

var ada = orders.Order{ID: "A-100", Customer: "Ada", Phone: "(415) 555-2671"}

// Assert what was sent: the fake records every message in order.
func TestNotifyShippedSendsOneText(t *testing.T) {
	f := fake.New()
	shipper := &orders.Shipper{Notifier: newService(t, f), From: shopNumber}

	if err := shipper.NotifyShipped(t.Context(), ada); err != nil {
		t.Fatal(err)
	}

	want := []provider.Message{{
		From: shopNumber,
		To:   "+14155552671", // normalised to E.164
		Body: "Hi Ada, order A-100 has shipped. Reply STOP to opt out",
	}}
	// Compare only the fields your code decides.
	got := f.Sent()
	for i := range got {
		got[i] = provider.Message{From: got[i].From, To: got[i].To, Body: got[i].Body}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}

	// Calling it again for the same order sends nothing (IdempotencyKey).
	if err := shipper.NotifyShipped(t.Context(), ada); err != nil {
		t.Fatal(err)
	}
	if n := f.Count(); n != 1 {
		t.Errorf("%d texts after a repeated call, want 1", n)
	}
}

// Script a failure: the carrier refuses one number permanently.
func TestNotifyShippedCarrierRefuses(t *testing.T) {
	f := fake.New(fake.FailNumber("+14155552671", fake.Permanent(provider.ErrInvalidNumber, "21211")))
	shipper := &orders.Shipper{Notifier: newService(t, f), From: shopNumber}

	err := shipper.NotifyShipped(t.Context(), ada)
	if !errors.Is(err, orders.ErrNotTexted) || !errors.Is(err, provider.ErrInvalidNumber) {
		t.Fatalf("err = %v, want ErrNotTexted wrapping provider.ErrInvalidNumber", err)
	}
	if f.Count() != 0 {
		t.Errorf("recorded %d texts, want 0", f.Count())
	}
}

// Script a transient failure: an HTTP 429 on the first attempt is retried.
func TestNotifyShippedRetriesRateLimit(t *testing.T) {
	f := fake.New(fake.FailNth(1, fake.RateLimited(0)))
	shipper := &orders.Shipper{Notifier: newService(t, f), From: shopNumber}

	if err := shipper.NotifyShipped(t.Context(), ada); err != nil {
		t.Fatal(err)
	}
	if f.Attempts() != 2 || f.Count() != 1 {
		t.Errorf("attempts %d, sent %d; want 2 attempts, 1 text", f.Attempts(), f.Count())
	}
}

// Script an ambiguous failure: a timeout after the request went out is
// never retried, so the customer is never texted twice.
func TestNotifyShippedTimeoutIsNotRetried(t *testing.T) {
	f := fake.New(fake.FailNth(1, fake.Timeout()))
	shipper := &orders.Shipper{Notifier: newService(t, f), From: shopNumber}

	err := shipper.NotifyShipped(t.Context(), ada)
	if !errors.Is(err, orders.ErrNotTexted) || !errors.Is(err, provider.ErrAmbiguous) {
		t.Fatalf("err = %v, want ErrNotTexted wrapping provider.ErrAmbiguous", err)
	}
	if f.Attempts() != 1 {
		t.Errorf("attempts = %d, want 1 (no retry)", f.Attempts())
	}
}

// Simulate a reply: the customer texts STOP, and the next send is refused.
func TestStopReplyStopsTexts(t *testing.T) {
	var svc *notify.Service
	f := fake.New(fake.OnInbound(func(in provider.Inbound) {
		if err := svc.HandleInbound(context.Background(), in); err != nil {
			t.Error(err)
		}
	}))
	svc = newService(t, f)
	shipper := &orders.Shipper{Notifier: svc, From: shopNumber}
	if err := shipper.NotifyShipped(t.Context(), ada); err != nil {
		t.Fatal(err)
	}

	f.Receive(provider.Inbound{ID: "in-1", From: "+14155552671", To: shopNumber, Body: "STOP"})

	// Herald confirmed the opt-out once...
	texts := f.SentTo("+14155552671")
	if len(texts) != 2 {
		t.Fatalf("texts to Ada: %d, want the notice and one opt-out confirmation", len(texts))
	}
	// ...and refuses the next order's text, whatever the host code does.
	err := shipper.NotifyShipped(t.Context(), orders.Order{ID: "A-101", Customer: "Ada", Phone: ada.Phone})
	if !errors.Is(err, compliance.ErrOptedOut) {
		t.Errorf("err = %v, want compliance.ErrOptedOut", err)
	}
}

// Delivery receipts arrive later: run the test in a synctest bubble and the
// fake's delays pass instantly.
func TestDeliveryReceipt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var svc *notify.Service
		f := fake.New(
			fake.WithLatency(300*time.Millisecond),
			fake.WithDeliveryReceipts(2*time.Minute),
			fake.OnStatus(func(u provider.StatusUpdate) {
				if err := svc.HandleStatus(context.Background(), u); err != nil {
					t.Error(err)
				}
			}))
		svc = newService(t, f)
		rep, err := svc.Send(t.Context(), notify.Notification{From: shopNumber, To: []string{ada.Phone}, Body: "Your parcel is on its way"})
		if err != nil {
			t.Fatal(err)
		}

		time.Sleep(2 * time.Minute) // instant inside the bubble
		synctest.Wait()

		m, err := svc.Store().Message(t.Context(), rep.Results[0].MessageID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != provider.StatusDelivered {
			t.Errorf("status = %v, want delivered", m.Status)
		}
	})
}

// The same code at three fixed clocks: Ada's number (San Francisco) is in
// quiet hours at 12:00 UTC (05:00 there), so the text is deferred, not
// sent, and NotifyShipped says so; the pinned clock keeps every other test
// in the afternoon.
func TestQuietHoursByClock(t *testing.T) {
	for _, tc := range []struct {
		hour int
		sent bool
	}{{3, true}, {12, false}, {20, true}} { // 20:00, 05:00 and 13:00 in San Francisco
		f := fake.New()
		now := time.Date(2025, 6, 4, tc.hour, 0, 0, 0, time.UTC)
		shipper := &orders.Shipper{Notifier: newService(t, f, notify.WithClock(func() time.Time { return now })), From: shopNumber}
		err := shipper.NotifyShipped(t.Context(), ada)
		switch {
		case tc.sent && (err != nil || f.Count() != 1):
			t.Errorf("at %02d:00 UTC: err %v, %d texts; want sent", tc.hour, err, f.Count())
		case !tc.sent && (!errors.Is(err, orders.ErrDeferred) || errors.Is(err, orders.ErrNotTexted) || f.Count() != 0):
			t.Errorf("at %02d:00 UTC: err %v, %d texts; want orders.ErrDeferred and nothing sent", tc.hour, err, f.Count())
		case !tc.sent && !strings.Contains(err.Error(), "quiet."):
			t.Errorf("at %02d:00 UTC: %v does not name the quiet-hours rule", tc.hour, err)
		}
	}
}
