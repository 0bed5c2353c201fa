package notify_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/provider/twilio"
)

// noon is a weekday noon in San Francisco. The examples pin the Service's
// clock to it so quiet hours (08–21 in the recipient's time zone) never
// defer their sends, whenever they run.
func noon() time.Time { return time.Date(2025, 6, 4, 19, 0, 0, 0, time.UTC) }

// Send one text: the number is normalised, checked and sent; the Result
// says what happened.
func ExampleService_Send_one() {
	ctx := context.Background()
	p := fake.New()
	defer p.Close()
	svc, _ := notify.New(p, notify.WithClock(noon))
	defer svc.Shutdown(ctx)

	rep, err := svc.Send(ctx, notify.Notification{
		From: "+14155550001",
		To:   []string{"(415) 555-2671"},
		Body: "Your table for 4 is ready. Reply STOP to opt out",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Results[0]
	fmt.Println(r.To, r.Outcome, r.Segments, r.ProviderID)
	fmt.Println(p.Sent()[0].Body)
	// Output:
	// +14155552671 sent 1 fake-1
	// Your table for 4 is ready. Reply STOP to opt out
}

// Send in bulk and read the report: one Result per recipient in input
// order, counts by outcome, segments and cost. Bad numbers and duplicates
// are reported; the rest still go out.
func ExampleService_Send_bulkReport() {
	ctx := context.Background()
	p := fake.New()
	defer p.Close()
	svc, _ := notify.New(p, notify.WithClock(noon),
		notify.WithPricing(notify.PriceTable{Currency: "USD", Default: notify.Rates{GSM7: 0.0079}}))
	defer svc.Shutdown(ctx)

	rep, _ := svc.Send(ctx, notify.Notification{
		From: "+14155550001",
		Recipients: []notify.Recipient{
			{To: "+14155552671", Vars: map[string]string{"name": "Ada"}},
			{To: "415-555-2671", Vars: map[string]string{"name": "Ada"}},
			{To: "not a number", Vars: map[string]string{"name": "Bob"}},
			{To: "+12125550143", Vars: map[string]string{"name": "Cy"}},
		},
		Body:  "Hi {{name}}, the pool closes early today. Reply STOP to opt out",
		Topic: "announcements",
	})
	for _, r := range rep.Results {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-14q %-9s %s", r.Given, r.Outcome, r.Reason)))
	}
	fmt.Println(rep.Counts[notify.OutcomeSent], "sent,", rep.Segments, "segments", rep.Encoding)
	fmt.Printf("%.4f %s\n", rep.EstimatedCost, rep.Currency)
	// Output:
	// "+14155552671" sent
	// "415-555-2671" duplicate duplicate
	// "not a number" invalid   invalid_number
	// "+12125550143" sent
	// 2 sent, 2 segments GSM-7
	// 0.0158 USD
}

// Topics group notifications; delivery receipts (here handed in directly,
// in production by a status webhook) feed the topic's tally.
func ExampleService_TopicTally() {
	ctx := context.Background()
	p := fake.New()
	defer p.Close()
	svc, _ := notify.New(p, notify.WithClock(noon))
	defer svc.Shutdown(ctx)

	svc.CreateTopic(ctx, "", "deliveries", "Delivery updates")
	rep, _ := svc.Send(ctx, notify.Notification{
		From:  "+14155550001",
		To:    []string{"+14155552671", "+12125550143"},
		Body:  "Your parcel arrives today. Reply STOP to opt out",
		Topic: "deliveries",
	})
	svc.HandleStatus(ctx, provider.StatusUpdate{Provider: fake.Name, ID: rep.Results[0].ProviderID, Status: provider.StatusDelivered})
	svc.HandleStatus(ctx, provider.StatusUpdate{Provider: fake.Name, ID: rep.Results[1].ProviderID, Status: provider.StatusUndelivered, Code: "30003"})

	t, _ := svc.TopicTally(ctx, "", "deliveries", noon().Add(-time.Hour), noon().Add(time.Hour))
	fmt.Printf("sent %d, delivered %d, failed %d\n", t.Sent, t.Delivered, t.Failed)
	// Output:
	// sent 2, delivered 1, failed 1
}

// Handle a provider's status webhook: the Twilio handler verifies the
// signature and hands the normalised receipt to Service.HandleStatus.
func ExampleService_HandleStatus_webhook() {
	ctx := context.Background()
	const authToken = "your-twilio-auth-token"
	p := fake.New(fake.WithName(twilio.Name)) // stands in for twilio.New(sid, authToken)
	defer p.Close()
	svc, _ := notify.New(p, notify.WithClock(noon))
	defer svc.Shutdown(ctx)

	rep, _ := svc.Send(ctx, notify.Notification{From: "+14155550001", To: []string{"+14155552671"}, Body: "Code 4417 opens your locker"})

	mux := http.NewServeMux()
	mux.Handle("POST /hooks/twilio/status", twilio.StatusHandler(authToken, svc.HandleStatus))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// What Twilio posts when the message is delivered, signed.
	form := url.Values{"MessageSid": {rep.Results[0].ProviderID}, "MessageStatus": {"delivered"}, "AccountSid": {"AC123"}}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/hooks/twilio/status", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twilio.Signature(authToken, srv.URL+"/hooks/twilio/status", form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()

	m, _ := svc.Store().Message(ctx, rep.Results[0].MessageID)
	fmt.Println(resp.StatusCode, m.Status)
	// Output:
	// 200 delivered
}

// The opt-out flow: a STOP reply revokes consent and is confirmed once;
// every later send to the number is denied with compliance.ErrOptedOut
// until the person texts START.
func ExampleService_HandleInbound_optOut() {
	ctx := context.Background()
	now := noon()
	clock := func() time.Time { return now }
	p := fake.New()
	defer p.Close()
	svc, _ := notify.New(p, notify.WithClock(clock),
		notify.WithContactPoint(notify.ContactPoint{Name: "alerts", Numbers: []string{"+14155550001"}, Brand: "Acme"}))
	defer svc.Shutdown(ctx)
	send := func(body string) {
		now = now.Add(time.Minute)
		rep, _ := svc.Send(ctx, notify.Notification{From: "alerts", To: []string{"+14155552671"}, Body: body})
		r := rep.Results[0]
		fmt.Println(r.Outcome, errors.Is(r.Err, compliance.ErrOptedOut))
	}
	reply := func(body string) {
		now = now.Add(time.Minute)
		svc.HandleInbound(ctx, provider.Inbound{From: "+14155552671", To: "+14155550001", Body: body})
	}

	send("Storm warning for your area tonight")
	reply("STOP")
	send("Storm warning lifted")
	reply("START")
	send("New storm warning for tomorrow")

	for _, m := range p.Sent() {
		fmt.Println(">", m.Body)
	}
	// Output:
	// sent false
	// denied true
	// sent false
	// > Storm warning for your area tonight
	// > Acme: You are unsubscribed and will get no more messages. Reply START to resubscribe.
	// > Acme: You are subscribed again. Msg & data rates may apply. Reply HELP for help, STOP to unsubscribe.
	// > New storm warning for tomorrow
}

// Plan is a dry run: every check Send would make, nothing sent or stored.
func ExampleService_Plan_dryRun() {
	ctx := context.Background()
	p := fake.New()
	defer p.Close()
	svc, _ := notify.New(p, notify.WithClock(noon))
	defer svc.Shutdown(ctx)

	plan, err := svc.Plan(ctx, notify.Notification{
		From: "+14155550001",
		To:   []string{"+14155552671", "+14155552671", "12345", "+12125550143"},
		Body: "Your order shipped. Reply STOP to opt out",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan.Valid, "valid,", plan.Invalid, "invalid,", plan.Duplicates, "duplicate,", plan.Allowed, "allowed now")
	fmt.Println(plan.Segments, "segments", plan.Encoding, "-", p.Count(), "sent")
	// Output:
	// 2 valid, 1 invalid, 1 duplicate, 2 allowed now
	// 2 segments GSM-7 - 0 sent
}
