package notify_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

// A contact point limits who may send from a number; a send by anyone else
// fails with ErrForbidden before anything is checked or sent.
func ExampleService_ContactPoints() {
	ctx := context.Background()
	p := fake.New()
	defer p.Close()
	svc, _ := notify.New(p,
		notify.WithContactPoint(notify.ContactPoint{Name: "dispatch", Numbers: []string{"+14155550001"}, Roles: []string{"dispatcher"}}),
		notify.WithContactPoint(notify.ContactPoint{Name: "general", Numbers: []string{"+14155550002", "+14155550003"}}),
	)
	defer svc.Shutdown(ctx)

	agent := notify.Actor{ID: "u17", Roles: []string{"agent"}}
	for _, cp := range svc.ContactPoints("", agent) {
		fmt.Println("may use:", cp.Name)
	}
	_, err := svc.Send(ctx, notify.Notification{From: "dispatch", To: []string{"+14155550100"}, Body: "Driver is on the way", Actor: agent})
	fmt.Println(errors.Is(err, notify.ErrForbidden))
	// Output:
	// may use: general
	// true
}

// Topics are never deleted: a disabled topic refuses sends until it is
// enabled again. The default topic always exists.
func ExampleService_DisableTopic() {
	ctx := context.Background()
	p := fake.New()
	defer p.Close()
	svc, _ := notify.New(p)
	defer svc.Shutdown(ctx)

	svc.CreateTopic(ctx, "", "outages", "Outage alerts")
	svc.DisableTopic(ctx, "", "outages")
	_, err := svc.Send(ctx, notify.Notification{Topic: "outages", To: []string{"+14155550100"}, Body: "Power is back"})
	fmt.Println(errors.Is(err, notify.ErrTopicDisabled))

	active, _ := svc.ActiveTopics(ctx, "")
	disabled, _ := svc.DisabledTopics(ctx, "")
	fmt.Println(active[0].Name, disabled[0].Title)
	// Output:
	// true
	// default Outage alerts
}

// A STOP reply revokes consent at once and gets the one confirmation text;
// any other reply reaches the OnReply hook with the notification's topic
// and metadata.
func ExampleService_HandleInbound() {
	ctx := context.Background()
	p := fake.New()
	defer p.Close()
	svc, _ := notify.New(p,
		notify.WithContactPoint(notify.ContactPoint{Name: "support", Numbers: []string{"+14155550001"}, Brand: "Acme"}),
		notify.WithOnReply(func(_ context.Context, r notify.ReplyRecord) {
			fmt.Printf("reply %q on topic %q\n", r.Body, r.Topic)
		}),
	)
	defer svc.Shutdown(ctx)

	svc.HandleInbound(ctx, provider.Inbound{From: "+14155550100", To: "+14155550001", Body: "Is the store open?"})
	svc.HandleInbound(ctx, provider.Inbound{From: "+14155550100", To: "+14155550001", Body: "STOP"})
	for _, m := range p.Sent() {
		fmt.Println(m.Body)
	}
	// Output:
	// reply "Is the store open?" on topic ""
	// Acme: You are unsubscribed and will get no more messages. Reply START to resubscribe.
}
