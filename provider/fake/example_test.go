package fake_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

func Example() {
	p := fake.New(fake.FailNumber("+14155550199", fake.Permanent(provider.ErrOptedOut, "21610")))
	defer p.Close()

	ctx := context.Background()
	r, _ := p.Send(ctx, provider.Message{From: "+14155550000", To: "+14155550100", Body: "Your order shipped"})
	_, err := p.Send(ctx, provider.Message{From: "+14155550000", To: "+14155550199", Body: "Your order shipped"})

	fmt.Println(r.ID, r.Status)
	fmt.Println(errors.Is(err, provider.ErrOptedOut), provider.ClassOf(err))
	fmt.Println(p.Count(), len(p.SentTo("+14155550100")))
	// Output:
	// fake-1 queued
	// true permanent
	// 1 1
}

func ExampleWithDeliveryReceipts() {
	updates := make(chan provider.StatusUpdate, 1)
	p := fake.New(
		fake.WithDeliveryReceipts(10*time.Millisecond),
		fake.OnStatus(func(u provider.StatusUpdate) { updates <- u }),
	)
	defer p.Close()
	p.Send(context.Background(), provider.Message{From: "+14155550000", To: "+14155550100", Body: "hi"})
	u := <-updates
	fmt.Println(u.ID, u.Status)
	// Output: fake-1 delivered
}

func ExampleSenderRejected() {
	p := fake.New(fake.WithError(fake.SenderRejected("the From number is not registered for US A2P 10DLC: register it with a campaign")))
	defer p.Close()
	_, err := p.Send(context.Background(), provider.Message{From: "+14155550000", To: "+14155550100", Body: "hi"})
	fmt.Println(errors.Is(err, provider.ErrSender), provider.FaultOf(err), provider.SafeToTryElsewhere(err))
	// Output: true sender false
}
