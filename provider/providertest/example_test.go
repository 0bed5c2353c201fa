package providertest_test

import (
	"context"
	"testing"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/provider/providertest"
)

// An adapter's test file runs the suite with a factory that makes its
// backend answer as the Script says. For an HTTP adapter the factory starts
// an httptest.Server that decodes the recipient, calls script(to) and
// writes the provider's response for that Outcome; here the fake stands in.
func ExampleRun() {
	var t *testing.T // in a real test: func TestConformance(t *testing.T)
	if t == nil {
		return
	}
	providertest.Run(t, func(t *testing.T, script providertest.Script) provider.Provider {
		p := fake.New(fake.WithRule(func(ctx context.Context, m provider.Message) error {
			switch script(m.To) {
			case providertest.RateLimit:
				return fake.RateLimited(providertest.RetryAfter)
			case providertest.ServerError:
				return fake.Unavailable()
			case providertest.InvalidNumber:
				return fake.Permanent(provider.ErrInvalidNumber, "invalid")
			case providertest.OptedOut:
				return fake.Permanent(provider.ErrOptedOut, "opted_out")
			case providertest.Hang:
				<-ctx.Done()
				return provider.TransportError(fake.Name, ctx.Err(), true)
			}
			return nil
		}))
		t.Cleanup(func() { p.Close() })
		return p
	})
}
