package provider

import "context"

// Failover returns a Provider that sends through primary and moves to the
// next of secondary only when [SafeToTryElsewhere] says so: the current one
// surely did not take the message (connection refused before the request
// was written, HTTP 429, a documented queue-full code, bad credentials) and
// the error is not about the recipient. It never moves on after an opt-out,
// an invalid or non-mobile number, an unreachable recipient, a carrier
// filter, a sender problem, or an ambiguous outcome (timeout after the
// request was written, 5xx, an error that is not a *Error), and it stops
// when ctx is done. The error that stopped it is returned unchanged, so
// errors.Is(err, ErrOptedOut) and errors.As(err, &*Error) still work.
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
		if !SafeToTryElsewhere(err) || ctx.Err() != nil {
			return Receipt{}, err
		}
	}
	return Receipt{}, lastErr
}
