package provider_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/heraldsms/herald/provider"
)

func ExampleError() {
	var err error = &provider.Error{Provider: "twilio", Code: "20429", HTTPStatus: 429,
		Class: provider.RejectedRetryable, Err: provider.ErrRateLimited}

	var pe *provider.Error
	switch {
	case errors.As(err, &pe) && pe.Temporary():
		fmt.Println("retry later:", errors.Is(err, provider.ErrRateLimited))
	case errors.Is(err, provider.ErrAmbiguous):
		fmt.Println("record as unknown, never retry")
	}
	// Output: retry later: true
}

func ExampleStatus_Advance() {
	s := provider.StatusQueued
	for _, update := range []provider.Status{provider.StatusDelivered, provider.StatusSent} {
		s = s.Advance(update) // the late "sent" does not undo "delivered"
	}
	fmt.Println(s)
	// Output: delivered
}

type down struct{}

func (down) Send(context.Context, provider.Message) (provider.Receipt, error) {
	return provider.Receipt{}, &provider.Error{Provider: "primary", HTTPStatus: 429, Class: provider.RejectedRetryable}
}

type up struct{}

func (up) Send(context.Context, provider.Message) (provider.Receipt, error) {
	return provider.Receipt{ID: "B-1", Provider: "backup", Status: provider.StatusQueued}, nil
}

func ExampleFailover() {
	p := provider.Failover(down{}, up{})
	r, err := p.Send(context.Background(), provider.Message{From: "+14155550000", To: "+14155550001", Body: "hi"})
	fmt.Println(r.Provider, r.ID, err)
	// Output: backup B-1 <nil>
}

func ExampleMaskNumber() {
	fmt.Println(provider.MaskNumber("+14155550671"))
	// Output: +1415****671
}

func ExampleFaultOf() {
	optOut := &provider.Error{Provider: "twilio", Code: "21610", HTTPStatus: 400, Class: provider.Permanent, Err: provider.ErrOptedOut}
	unregistered := provider.StatusUpdate{Provider: "twilio", Status: provider.StatusUndelivered, Code: "30034", Err: provider.ErrSender}
	filtered := provider.StatusUpdate{Provider: "twilio", Status: provider.StatusUndelivered, Code: "30007", Err: provider.ErrFiltered}
	fmt.Println(provider.FaultOf(optOut), provider.SafeToTryElsewhere(optOut))
	fmt.Println(unregistered.Fault(), filtered.Fault())
	// Output:
	// recipient false
	// sender filtered
}
