package provider

import (
	"context"
	"errors"
)

// Failover returns a Provider that sends through primary and moves to the
// next of secondary only when the current one surely did not send the
// message: a RejectedRetryable error (429, connection refused, queue full) or
// a Permanent one (refused at that provider). It never moves on after an
// Ambiguous failure or an error that is not a *Error, since the message may
// already have gone out, and it stops when ctx is done.
//
// The Receipt's Provider field names the provider that accepted the message.
// When every provider fails, the last error is returned.
func Failover(primary Provider, secondary ...Provider) Provider {
	all := make([]Provider, 0, 1+len(secondary))
	all = append(all, primary)
	all = append(all, secondary...)
	return &failover{providers: all}
}

type failover struct {
	providers []Provider
}

func (f *failover) Send(ctx context.Context, m Message) (Receipt, error) {
	var lastErr error
	for _, p := range f.providers {
		r, err := p.Send(ctx, m)
		if err == nil {
			return r, nil
		}
		lastErr = err
		var pe *Error
		if !errors.As(err, &pe) || pe.Class == Ambiguous || ctx.Err() != nil {
			return Receipt{}, err
		}
	}
	return Receipt{}, lastErr
}
