package fake_test

import (
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

// TestErrorClasses: the constructors notify tests use give the class,
// reason, fault and failover rule of the real adapters' errors.
func TestErrorClasses(t *testing.T) {
	cases := []struct {
		name      string
		err       *provider.Error
		class     provider.Class
		reason    error
		fault     provider.Fault
		elsewhere bool
	}{
		{"OptedOut", fake.OptedOut(), provider.Permanent, provider.ErrOptedOut, provider.FaultRecipient, false},
		{"SenderRejected", fake.SenderRejected("From number not registered for 10DLC: register it"), provider.Permanent, provider.ErrSender, provider.FaultSender, false},
		{"Filtered", fake.Filtered(), provider.Permanent, provider.ErrFiltered, provider.FaultFiltered, false},
		{"AuthFailed", fake.AuthFailed(), provider.Permanent, provider.ErrAuth, provider.FaultProvider, true},
		{"Refused", fake.Refused(), provider.RejectedRetryable, provider.ErrNotSent, provider.FaultProvider, true},
		{"Timeout", fake.Timeout(), provider.Ambiguous, provider.ErrTimeout, provider.FaultProvider, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := fake.New(fake.WithName("acme"), fake.WithError(tc.err))
			defer p.Close()
			_, err := p.Send(t.Context(), msg("+14155550001"))
			var pe *provider.Error
			if !errors.As(err, &pe) || pe.Class != tc.class || !errors.Is(err, tc.reason) || pe.Provider != "acme" {
				t.Fatalf("err = %#v, want class %v reason %v from acme", err, tc.class, tc.reason)
			}
			if pe.Fault() != tc.fault || provider.SafeToTryElsewhere(err) != tc.elsewhere {
				t.Errorf("fault %v elsewhere %v, want %v %v", pe.Fault(), provider.SafeToTryElsewhere(err), tc.fault, tc.elsewhere)
			}
			if pe.HTTPStatus != 0 && pe.Code == "" { // a provider answer names its code
				t.Errorf("no code in %v", err)
			}
		})
	}
}

// TestWithErrorAfterOtherScripts: WithError fails every send the other
// scripts let through, and is overridden by FailNumber and FailNth.
func TestWithErrorAfterOtherScripts(t *testing.T) {
	p := fake.New(fake.WithError(fake.SenderRejected("unregistered")),
		fake.FailNumber("+2", fake.OptedOut()))
	defer p.Close()
	_, err1 := p.Send(t.Context(), msg("+1"))
	_, err2 := p.Send(t.Context(), msg("+2"))
	var pe *provider.Error
	if !errors.As(err1, &pe) || pe.Detail != "unregistered" {
		t.Errorf("SenderRejected's Detail = %q, want the fix text", pe.Detail)
	}
	if !errors.Is(err1, provider.ErrSender) || !errors.Is(err2, provider.ErrOptedOut) || p.Count() != 0 {
		t.Errorf("errs %v, %v; count %d", err1, err2, p.Count())
	}
}

// TestUndeliveredWith: receipts can carry any reason, so a test can feed a
// filter, a sender fault or a carrier opt-out through HandleStatus.
func TestUndeliveredWith(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		got := map[string]provider.StatusUpdate{}
		p := fake.New(fake.WithDeliveryReceipts(time.Second),
			fake.UndeliveredWith("+1", "30007", provider.ErrFiltered),
			fake.UndeliveredWith("+2", "30034", provider.ErrSender),
			fake.UndeliveredWith("+3", "21610", provider.ErrOptedOut),
			fake.Undelivered("+4", "30003"),
			fake.OnStatus(func(u provider.StatusUpdate) { mu.Lock(); got[u.To] = u; mu.Unlock() }))
		defer p.Close()
		for _, to := range []string{"+1", "+2", "+3", "+4"} {
			p.Send(t.Context(), msg(to))
		}
		time.Sleep(time.Second)
		synctest.Wait()
		mu.Lock()
		defer mu.Unlock()
		want := map[string]provider.Fault{"+1": provider.FaultFiltered, "+2": provider.FaultSender,
			"+3": provider.FaultRecipient, "+4": provider.FaultRecipient}
		for to, f := range want {
			u := got[to]
			if u.Status != provider.StatusUndelivered || u.Fault() != f || u.Code == "" {
				t.Errorf("%s: %+v (fault %v), want undelivered with fault %v", to, u, u.Fault(), f)
			}
		}
		if got["+1"].Err != provider.ErrFiltered || got["+4"].Err != provider.ErrUnreachable {
			t.Errorf("reasons %v, %v", got["+1"].Err, got["+4"].Err)
		}
	})
}
