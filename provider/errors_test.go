package provider_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/heraldsms/herald/provider"
)

func TestErrorMatching(t *testing.T) {
	e := &provider.Error{Provider: "twilio", Code: "21610", HTTPStatus: 400, Class: provider.Permanent,
		Err: fmt.Errorf("%w: unsubscribed", provider.ErrOptedOut)}
	wrapped := fmt.Errorf("notify: send to +1415****671: %w", e)
	if !errors.Is(wrapped, provider.ErrOptedOut) || !errors.Is(wrapped, provider.ErrPermanent) {
		t.Error("wrapped permanent error does not match its reason and class")
	}
	if errors.Is(wrapped, provider.ErrRetryable) || errors.Is(wrapped, provider.ErrAmbiguous) || errors.Is(wrapped, provider.ErrRateLimited) {
		t.Error("permanent error matches another class")
	}
	if e.Temporary() {
		t.Error("permanent error is Temporary")
	}
	want := "twilio: permanent error, code 21610, HTTP 400: recipient opted out at the carrier: unsubscribed"
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}

	rl := &provider.Error{Provider: "x", HTTPStatus: 429, Class: provider.RejectedRetryable, RetryAfter: 2 * time.Second}
	if !errors.Is(rl, provider.ErrRateLimited) || !errors.Is(rl, provider.ErrRetryable) || !rl.Temporary() {
		t.Error("429 error does not match ErrRateLimited/ErrRetryable or is not Temporary")
	}
	var zero provider.Error
	if zero.Class != provider.Ambiguous || zero.Temporary() {
		t.Error("zero Error is not Ambiguous")
	}
	if provider.ClassOf(errors.New("boom")) != provider.Ambiguous || provider.ClassOf(wrapped) != provider.Permanent {
		t.Error("ClassOf")
	}
}

func TestTransportError(t *testing.T) {
	refused := &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}
	cases := []struct {
		name    string
		err     error
		written bool
		class   provider.Class
		reason  error
	}{
		{"refused", refused, false, provider.RejectedRetryable, provider.ErrNotSent},
		{"refused even if written", refused, true, provider.RejectedRetryable, provider.ErrNotSent},
		{"canceled before write", context.Canceled, false, provider.RejectedRetryable, context.Canceled},
		{"deadline after write", context.DeadlineExceeded, true, provider.Ambiguous, provider.ErrTimeout},
		{"reset after write", syscall.ECONNRESET, true, provider.Ambiguous, provider.ErrConnectionLost},
	}
	for _, tc := range cases {
		e := provider.TransportError("p", tc.err, tc.written)
		if e.Class != tc.class || !errors.Is(e, tc.reason) || !errors.Is(e, tc.err) {
			t.Errorf("%s: %v (class %v), want class %v wrapping %v", tc.name, e, e.Class, tc.class, tc.reason)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":  0,
		"5": 5 * time.Second,
		"0": 0, "-3": 0, "soon": 0,
		now.Add(2 * time.Minute).Format(http.TimeFormat): 2 * time.Minute,
		now.Add(-time.Minute).Format(http.TimeFormat):    0,
	}
	for in, want := range cases {
		if got := provider.ParseRetryAfter(in, now); got != want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestStatusError(t *testing.T) {
	now := time.Now()
	cases := []struct {
		status int
		class  provider.Class
		reason error
	}{
		{429, provider.RejectedRetryable, provider.ErrRateLimited},
		{500, provider.Ambiguous, provider.ErrUnavailable},
		{503, provider.Ambiguous, provider.ErrUnavailable},
		{401, provider.Permanent, provider.ErrAuth},
		{422, provider.Permanent, provider.ErrInvalidRequest},
	}
	for _, tc := range cases {
		e := provider.StatusError("p", tc.status, http.Header{"Retry-After": {"4"}}, now)
		if e.Class != tc.class || !errors.Is(e, tc.reason) || e.HTTPStatus != tc.status {
			t.Errorf("StatusError(%d) = %v", tc.status, e)
		}
		if (tc.status == 429) != (e.RetryAfter == 4*time.Second) {
			t.Errorf("StatusError(%d).RetryAfter = %v", tc.status, e.RetryAfter)
		}
	}
}
