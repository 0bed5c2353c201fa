// Package providertest is the conformance suite every provider.Provider
// passes: sending, error classes, context cancellation and concurrency.
//
// The suite drives the provider through a Script: it chooses, per
// recipient number, how the provider behind the adapter should answer. An
// HTTP adapter's factory starts an httptest server that decodes the
// recipient from the request, asks the Script, and writes that provider's
// wire response for the Outcome; the fake's factory turns the Script into a
// fake.Rule.
package providertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldsms/herald/provider"
)

// Outcome is how the provider should answer one send.
type Outcome uint8

// Outcomes a factory must be able to produce.
const (
	// Accept: accept the message (HTTP 2xx with a fresh message id).
	Accept Outcome = iota
	// RateLimit: reject with HTTP 429 and a Retry-After of RetryAfter.
	RateLimit
	// ServerError: answer HTTP 500; the adapter cannot know whether the
	// message went out.
	ServerError
	// InvalidNumber: reject the recipient as not a valid number.
	InvalidNumber
	// OptedOut: reject because the recipient opted out at the carrier.
	OptedOut
	// Hang: never answer; wait until the client gives up (the request's
	// context is done) and only then return.
	Hang
	// SenderRejected: reject because of the sender, not the recipient (the
	// From number is not message-capable or not registered: Twilio 21606,
	// Telnyx 40013).
	SenderRejected
)

// RetryAfter is the Retry-After a RateLimit outcome carries (send it as
// the header value "7").
const RetryAfter = 7 * time.Second

// Script returns the outcome for a send to the recipient to. It is safe for
// concurrent use.
type Script func(to string) Outcome

// Factory returns a fresh provider whose backend answers as script says.
// It registers any cleanup with t.Cleanup.
type Factory func(t *testing.T, script Script) provider.Provider

// Numbers the suite sends to; each maps to one Outcome.
const (
	NumberAccept         = "+14155550100"
	NumberRateLimit      = "+14155550101"
	NumberServerError    = "+14155550102"
	NumberInvalid        = "+14155550103"
	NumberOptedOut       = "+14155550104"
	NumberHang           = "+14155550105"
	NumberSenderRejected = "+14155550106"
	NumberSender         = "+14155559999"
	concurrentSends      = 64
	concurrentWorkers    = 16
	concurrentNumberFmt  = "+1415556%04d"
)

// recorder is the Script the suite hands to factories: it maps numbers to
// outcomes and records every call.
type recorder struct {
	mu      sync.Mutex
	calls   map[string]int
	hanging chan struct{}
	once    sync.Once
}

func newRecorder() *recorder {
	return &recorder{calls: map[string]int{}, hanging: make(chan struct{})}
}

func (r *recorder) script(to string) Outcome {
	r.mu.Lock()
	r.calls[to]++
	r.mu.Unlock()
	switch to {
	case NumberRateLimit:
		return RateLimit
	case NumberServerError:
		return ServerError
	case NumberInvalid:
		return InvalidNumber
	case NumberOptedOut:
		return OptedOut
	case NumberHang:
		r.once.Do(func() { close(r.hanging) })
		return Hang
	case NumberSenderRejected:
		return SenderRejected
	}
	return Accept
}

func (r *recorder) count(to string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[to]
}

func msg(to string) provider.Message {
	return provider.Message{From: NumberSender, To: to, Body: "Your code is 123456", ClientRef: "ref-" + to}
}

// Run runs the conformance suite against providers made by newProvider.
func Run(t *testing.T, newProvider Factory) {
	t.Helper()
	setup := func(t *testing.T) (provider.Provider, *recorder) {
		rec := newRecorder()
		return newProvider(t, rec.script), rec
	}
	t.Run("Send", func(t *testing.T) {
		p, rec := setup(t)
		r, err := p.Send(t.Context(), msg(NumberAccept))
		if err != nil {
			t.Fatalf("Send to an accepting backend: %v", err)
		}
		if r.ID == "" {
			t.Errorf("Receipt.ID is empty: %+v", r)
		}
		if r.Provider == "" {
			t.Errorf("Receipt.Provider is empty: %+v", r)
		}
		if r.Status == provider.StatusUnknown || r.Status.Final() {
			t.Errorf("Receipt.Status = %v, want queued, sending or sent", r.Status)
		}
		if n := rec.count(NumberAccept); n != 1 {
			t.Errorf("backend saw %d sends to %s, want 1", n, NumberAccept)
		}
	})
	t.Run("DistinctIDs", func(t *testing.T) {
		p, _ := setup(t)
		seen := map[string]bool{}
		for i := range 5 {
			r, err := p.Send(t.Context(), msg(NumberAccept))
			if err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
			if seen[r.ID] {
				t.Fatalf("send %d: id %q reused", i, r.ID)
			}
			seen[r.ID] = true
		}
	})
	t.Run("Errors", func(t *testing.T) { runErrors(t, setup) })
	t.Run("CanceledBeforeSend", func(t *testing.T) {
		p, rec := setup(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := p.Send(ctx, msg(NumberAccept))
		checkClass(t, err, provider.RejectedRetryable)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("errors.Is(err, context.Canceled) = false for %v", err)
		}
		if n := rec.count(NumberAccept); n != 0 {
			t.Errorf("backend saw %d sends with a canceled context, want 0", n)
		}
	})
	t.Run("CanceledInFlight", func(t *testing.T) {
		p, rec := setup(t)
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			<-rec.hanging
			cancel()
		}()
		done := make(chan error, 1)
		go func() {
			_, err := p.Send(ctx, msg(NumberHang))
			done <- err
		}()
		var err error
		select {
		case err = <-done:
		case <-time.After(10 * time.Second):
			cancel()
			t.Fatal("Send did not return within 10s of its context being canceled")
		}
		checkClass(t, err, provider.Ambiguous)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("errors.Is(err, context.Canceled) = false for %v", err)
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		p, rec := setup(t)
		ids := make(chan string, concurrentSends)
		errs := make(chan error, concurrentSends)
		var wg sync.WaitGroup
		for w := range concurrentWorkers {
			wg.Go(func() {
				for i := w; i < concurrentSends; i += concurrentWorkers {
					r, err := p.Send(t.Context(), msg(fmt.Sprintf(concurrentNumberFmt, i)))
					if err != nil {
						errs <- err
						continue
					}
					ids <- r.ID
				}
			})
		}
		wg.Wait()
		close(ids)
		close(errs)
		for err := range errs {
			t.Errorf("concurrent send: %v", err)
		}
		seen := map[string]bool{}
		for id := range ids {
			if seen[id] {
				t.Errorf("id %q assigned twice", id)
			}
			seen[id] = true
		}
		for i := range concurrentSends {
			if n := rec.count(fmt.Sprintf(concurrentNumberFmt, i)); n != 1 {
				t.Errorf("backend saw %d sends to number %d, want 1", n, i)
			}
		}
	})
}

func runErrors(t *testing.T, setup func(*testing.T) (provider.Provider, *recorder)) {
	cases := []struct {
		name      string
		to        string
		class     provider.Class
		reason    error
		temporary bool
		fault     provider.Fault
		elsewhere bool // provider.SafeToTryElsewhere
	}{
		{"RateLimit", NumberRateLimit, provider.RejectedRetryable, provider.ErrRateLimited, true, provider.FaultProvider, true},
		{"ServerError", NumberServerError, provider.Ambiguous, provider.ErrAmbiguous, false, provider.FaultProvider, false},
		{"InvalidNumber", NumberInvalid, provider.Permanent, provider.ErrInvalidNumber, false, provider.FaultRecipient, false},
		{"OptedOut", NumberOptedOut, provider.Permanent, provider.ErrOptedOut, false, provider.FaultRecipient, false},
		{"SenderRejected", NumberSenderRejected, provider.Permanent, provider.ErrSender, false, provider.FaultSender, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := setup(t)
			r, err := p.Send(t.Context(), msg(tc.to))
			if err == nil {
				t.Fatalf("Send succeeded with receipt %+v, want a %v error", r, tc.class)
			}
			pe := checkClass(t, err, tc.class)
			if !errors.Is(err, tc.reason) {
				t.Errorf("errors.Is(err, %v) = false for %v", tc.reason, err)
			}
			if pe == nil {
				return
			}
			if pe.Temporary() != tc.temporary {
				t.Errorf("Temporary() = %v, want %v", pe.Temporary(), tc.temporary)
			}
			if pe.Provider == "" {
				t.Errorf("Error.Provider is empty: %v", err)
			}
			if tc.to == NumberRateLimit && pe.RetryAfter != RetryAfter {
				t.Errorf("RetryAfter = %v, want %v", pe.RetryAfter, RetryAfter)
			}
			if f := provider.FaultOf(err); f != tc.fault {
				t.Errorf("FaultOf = %v, want %v (error: %v)", f, tc.fault, err)
			}
			if got := provider.SafeToTryElsewhere(err); got != tc.elsewhere {
				t.Errorf("SafeToTryElsewhere = %v, want %v (error: %v)", got, tc.elsewhere, err)
			}
			// A carrier opt-out is evidence for the consent ledger: it
			// must name the provider's own code.
			if tc.to == NumberOptedOut && pe.Code == "" {
				t.Errorf("opt-out without the provider's code: %v", err)
			}
		})
	}
	t.Run("FailoverStopsAtRecipient", func(t *testing.T) {
		p, _ := setup(t)
		var next countingProvider
		_, err := provider.Failover(p, &next).Send(t.Context(), msg(NumberOptedOut))
		if !errors.Is(err, provider.ErrOptedOut) || next.calls.Load() != 0 {
			t.Errorf("Failover after an opt-out: err %v, next provider called %d times; want ErrOptedOut and 0",
				err, next.calls.Load())
		}
	})
	t.Run("FailoverMovesOnRateLimit", func(t *testing.T) {
		p, _ := setup(t)
		var next countingProvider
		r, err := provider.Failover(p, &next).Send(t.Context(), msg(NumberRateLimit))
		if err != nil || next.calls.Load() != 1 || r.Provider != "next" {
			t.Errorf("Failover after a 429: receipt %+v, err %v, next called %d times; want the next provider's receipt",
				r, err, next.calls.Load())
		}
	})
}

// countingProvider accepts every message and counts the sends.
type countingProvider struct{ calls atomic.Int32 }

func (c *countingProvider) Send(ctx context.Context, m provider.Message) (provider.Receipt, error) {
	n := c.calls.Add(1)
	return provider.Receipt{ID: fmt.Sprint("next-", n), Provider: "next", Status: provider.StatusQueued}, nil
}

func checkClass(t *testing.T, err error, want provider.Class) *provider.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want a %v *provider.Error", want)
	}
	var pe *provider.Error
	if !errors.As(err, &pe) {
		t.Errorf("error %v (%T) is not a *provider.Error", err, err)
		return nil
	}
	if pe.Class != want {
		t.Errorf("Class = %v, want %v (error: %v)", pe.Class, want, err)
	}
	return pe
}
