package provider_test

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/heraldsms/herald/provider"
)

func TestFaultOf(t *testing.T) {
	perm := func(reason error) error {
		return &provider.Error{Provider: "p", Code: "1", Class: provider.Permanent, Err: fmt.Errorf("%w: detail", reason)}
	}
	cases := []struct {
		name string
		err  error
		want provider.Fault
	}{
		{"nil", nil, provider.FaultUnknown},
		{"untyped", errors.New("boom"), provider.FaultUnknown},
		{"opted out", perm(provider.ErrOptedOut), provider.FaultRecipient},
		{"invalid number", perm(provider.ErrInvalidNumber), provider.FaultRecipient},
		{"landline", perm(provider.ErrLandline), provider.FaultRecipient},
		{"unreachable", perm(provider.ErrUnreachable), provider.FaultRecipient},
		{"unroutable", perm(provider.ErrUnroutable), provider.FaultRecipient},
		{"blocked", perm(provider.ErrBlocked), provider.FaultRecipient},
		{"filtered", perm(provider.ErrFiltered), provider.FaultFiltered},
		{"sender", perm(provider.ErrSender), provider.FaultSender},
		{"sender blocked as spam", perm(provider.ErrSenderBlocked), provider.FaultSender},
		{"geo permission", perm(provider.ErrGeoPermission), provider.FaultSender},
		{"auth", perm(provider.ErrAuth), provider.FaultProvider},
		{"rate limited", perm(provider.ErrRateLimited), provider.FaultProvider},
		{"queue full", perm(provider.ErrQueueFull), provider.FaultProvider},
		{"server error", perm(provider.ErrUnavailable), provider.FaultProvider},
		{"not sent", provider.TransportError("p", syscall.ECONNREFUSED, false), provider.FaultProvider},
		{"timeout", provider.TransportError("p", context.DeadlineExceeded, true), provider.FaultProvider},
		{"invalid request", perm(provider.ErrInvalidRequest), provider.FaultRequest},
		{"bare sentinel", provider.ErrOptedOut, provider.FaultRecipient},
	}
	for _, tc := range cases {
		if got := provider.FaultOf(tc.err); got != tc.want {
			t.Errorf("%s: FaultOf(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestFilteredIsAlsoBlocked(t *testing.T) {
	// Code that counted ErrBlocked as "carrier filtered" keeps counting it.
	if !errors.Is(provider.ErrFiltered, provider.ErrBlocked) {
		t.Error("ErrFiltered does not match ErrBlocked")
	}
	if errors.Is(provider.ErrBlocked, provider.ErrFiltered) {
		t.Error("a plain block matches ErrFiltered")
	}
	if !errors.Is(provider.ErrSenderBlocked, provider.ErrSender) || !errors.Is(provider.ErrSenderBlocked, provider.ErrFiltered) {
		t.Error("ErrSenderBlocked must match ErrSender and ErrFiltered")
	}
	if errors.Is(provider.ErrSender, provider.ErrUnreachable) || errors.Is(provider.ErrSenderBlocked, provider.ErrUnreachable) {
		t.Error("a sender error reads as recipient unreachable")
	}
}

func TestSafeToTryElsewhere(t *testing.T) {
	e := func(class provider.Class, status int, reason error) error {
		return &provider.Error{Provider: "p", HTTPStatus: status, Class: class, Err: reason}
	}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", provider.TransportError("p", syscall.ECONNREFUSED, false), true},
		{"429", e(provider.RejectedRetryable, 429, provider.ErrRateLimited), true},
		{"queue full", e(provider.RejectedRetryable, 400, provider.ErrQueueFull), true},
		{"auth", e(provider.Permanent, 401, provider.ErrAuth), true},
		{"opted out", e(provider.Permanent, 400, provider.ErrOptedOut), false},
		{"invalid number", e(provider.Permanent, 400, provider.ErrInvalidNumber), false},
		{"not mobile", e(provider.Permanent, 400, provider.ErrLandline), false},
		{"unreachable, retryable", e(provider.RejectedRetryable, 400, provider.ErrUnreachable), false},
		{"temporarily filtered", e(provider.RejectedRetryable, 400, provider.ErrFiltered), false},
		{"sender", e(provider.Permanent, 400, provider.ErrSender), false},
		{"bad request", e(provider.Permanent, 400, provider.ErrInvalidRequest), false},
		{"5xx", e(provider.Ambiguous, 500, provider.ErrUnavailable), false},
		{"timeout after write", provider.TransportError("p", context.DeadlineExceeded, true), false},
		{"untyped", errors.New("boom"), false},
		{"nil", nil, false},
	}
	for _, tc := range cases {
		if got := provider.SafeToTryElsewhere(tc.err); got != tc.want {
			t.Errorf("%s: SafeToTryElsewhere(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestFaultString(t *testing.T) {
	for f, want := range map[provider.Fault]string{
		provider.FaultUnknown: "unknown", provider.FaultRecipient: "recipient", provider.FaultSender: "sender",
		provider.FaultFiltered: "filtered", provider.FaultProvider: "provider", provider.FaultRequest: "request",
		provider.Fault(200): "unknown",
	} {
		if f.String() != want {
			t.Errorf("Fault(%d).String() = %q, want %q", f, f.String(), want)
		}
	}
}

func TestStatusUpdateFault(t *testing.T) {
	u := provider.StatusUpdate{Status: provider.StatusUndelivered, Code: "30007", Err: provider.ErrFiltered}
	if u.Fault() != provider.FaultFiltered {
		t.Errorf("Fault() = %v, want filtered", u.Fault())
	}
	if (provider.StatusUpdate{Status: provider.StatusDelivered}).Fault() != provider.FaultUnknown {
		t.Error("a delivered update has a fault")
	}
}
