// Package orders is a host application's code that texts customers, and
// orders_test.go shows how it is tested with provider/fake: asserting what
// was sent, scripting a failure, simulating a reply. Copy the test file's
// patterns into your own tests.
package orders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heraldsms/herald/notify"
)

// Order is the host's order record.
type Order struct {
	ID       string
	Customer string
	Phone    string
}

// ErrNotTexted is returned when the customer was not texted; the caller
// falls back to email.
var ErrNotTexted = errors.New("orders: customer not texted")

// ErrDeferred is returned when quiet hours at the customer's number hold
// the text: it stays in Herald's outbox and goes out when the customer's
// morning comes, so the caller must not fall back to email (the customer
// would hear twice). A test that meets it unexpectedly runs on the
// machine's clock: pin the Service's clock with notify.WithClock.
var ErrDeferred = errors.New("orders: text deferred by quiet hours")

// Shipper texts customers about their orders. It depends on the
// notify.Notifier interface, so tests can hand it a real notify.Service over
// provider/fake (as orders_test.go does) or a stub of their own.
type Shipper struct {
	Notifier notify.Notifier
	From     string // the sender number or contact point
}

// NotifyShipped texts the customer that the order shipped. A recipient
// Herald did not send to (opted out, invalid number, refused by the
// carrier) is ErrNotTexted wrapping Herald's reason; a text quiet hours
// hold until the customer's morning is ErrDeferred, naming the rule and
// the time it goes out.
func (s *Shipper) NotifyShipped(ctx context.Context, o Order) error {
	rep, err := s.Notifier.Send(ctx, notify.Notification{
		From: s.From,
		Recipients: []notify.Recipient{{
			To:   o.Phone,
			Vars: map[string]string{"name": o.Customer, "order": o.ID},
		}},
		Body:           "Hi {{name}}, order {{order}} has shipped. Reply STOP to opt out",
		Topic:          "shipping",
		IdempotencyKey: "shipped-" + o.ID,
		Metadata:       map[string]string{"order": o.ID},
	})
	if err != nil {
		return err
	}
	r := rep.Results[0]
	switch {
	case r.Outcome == notify.OutcomeSent:
		return nil
	case r.Outcome == notify.OutcomeDeferred:
		return fmt.Errorf("%w: order %s: %s until %s", ErrDeferred, o.ID, r.Reason, r.NotBefore.UTC().Format(time.RFC3339))
	case r.Err != nil:
		return fmt.Errorf("%w: order %s: %s: %w", ErrNotTexted, o.ID, r.Outcome, r.Err)
	default:
		return fmt.Errorf("%w: order %s: %s %s", ErrNotTexted, o.ID, r.Outcome, r.Reason)
	}
}
