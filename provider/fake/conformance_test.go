package fake_test

import (
	"context"
	"testing"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/provider/providertest"
)

// scriptRule turns a providertest.Script into a fake.Rule.
func scriptRule(script providertest.Script) fake.Rule {
	return func(ctx context.Context, m provider.Message) error {
		switch script(m.To) {
		case providertest.RateLimit:
			return fake.RateLimited(providertest.RetryAfter)
		case providertest.ServerError:
			return fake.Unavailable()
		case providertest.InvalidNumber:
			return fake.Permanent(provider.ErrInvalidNumber, "invalid")
		case providertest.OptedOut:
			return fake.Permanent(provider.ErrOptedOut, "opted_out")
		case providertest.SenderRejected:
			return fake.SenderRejected("the From number is not registered")
		case providertest.Hang:
			<-ctx.Done()
			return provider.TransportError(fake.Name, ctx.Err(), true)
		}
		return nil
	}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, script providertest.Script) provider.Provider {
		p := fake.New(fake.WithRule(scriptRule(script)))
		t.Cleanup(func() { p.Close() })
		return p
	})
}
