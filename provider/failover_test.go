package provider_test

import (
	"context"
	"errors"
	"testing"

	"github.com/heraldsms/herald/provider"
)

type stub struct {
	name  string
	err   error
	calls int
}

func (s *stub) Send(ctx context.Context, m provider.Message) (provider.Receipt, error) {
	s.calls++
	if s.err != nil {
		return provider.Receipt{}, s.err
	}
	return provider.Receipt{ID: s.name + "-1", Provider: s.name}, nil
}

func TestFailover(t *testing.T) {
	retryable := &provider.Error{Class: provider.RejectedRetryable, HTTPStatus: 429}
	permanent := &provider.Error{Class: provider.Permanent, Err: provider.ErrAuth}
	ambiguous := &provider.Error{Class: provider.Ambiguous, HTTPStatus: 500}
	cases := []struct {
		name      string
		primary   error
		wantFrom  string
		wantErr   error
		wantCalls int // calls to the secondary
	}{
		{"primary ok", nil, "a", nil, 0},
		{"retryable moves on", retryable, "b", nil, 1},
		{"permanent moves on", permanent, "b", nil, 1},
		{"ambiguous stops", ambiguous, "", ambiguous, 0},
		{"untyped stops", errors.New("boom"), "", nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := &stub{name: "a", err: tc.primary}, &stub{name: "b"}
			r, err := provider.Failover(a, b).Send(t.Context(), provider.Message{To: "+14155550100"})
			if r.Provider != tc.wantFrom {
				t.Errorf("receipt from %q, want %q (err %v)", r.Provider, tc.wantFrom, err)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if b.calls != tc.wantCalls {
				t.Errorf("secondary called %d times, want %d", b.calls, tc.wantCalls)
			}
		})
	}
}

func TestFailoverAllFail(t *testing.T) {
	first := &provider.Error{Provider: "a", Class: provider.RejectedRetryable}
	last := &provider.Error{Provider: "c", Class: provider.Permanent}
	a, b, c := &stub{err: first}, &stub{err: first}, &stub{err: last}
	_, err := provider.Failover(a, b, c).Send(t.Context(), provider.Message{})
	if err != last || a.calls+b.calls+c.calls != 3 {
		t.Errorf("err = %v after %d calls, want the last provider's error after 3", err, a.calls+b.calls+c.calls)
	}
}

func TestFailoverStopsWhenContextDone(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	canceled := provider.TransportError("a", context.Canceled, false)
	a, b := &stub{err: canceled}, &stub{name: "b"}
	_, err := provider.Failover(a, b).Send(ctx, provider.Message{})
	if !errors.Is(err, context.Canceled) || b.calls != 0 {
		t.Errorf("err = %v, secondary calls %d; want the canceled error and no failover", err, b.calls)
	}
}

func TestFailoverOnlyWhenSafeElsewhere(t *testing.T) {
	cases := []struct {
		name    string
		primary error
		moves   bool
	}{
		{"opted out", &provider.Error{Class: provider.Permanent, Code: "21610", Err: provider.ErrOptedOut}, false},
		{"invalid number", &provider.Error{Class: provider.Permanent, Err: provider.ErrInvalidNumber}, false},
		{"unreachable but retryable", &provider.Error{Class: provider.RejectedRetryable, Err: provider.ErrUnreachable}, false},
		{"sender not registered", &provider.Error{Class: provider.Permanent, Err: provider.ErrSender}, false},
		{"unknown 4xx", &provider.Error{Class: provider.Permanent, HTTPStatus: 400, Err: provider.ErrInvalidRequest}, false},
		{"auth", &provider.Error{Class: provider.Permanent, HTTPStatus: 401, Err: provider.ErrAuth}, true},
		{"queue full", &provider.Error{Class: provider.RejectedRetryable, Err: provider.ErrQueueFull}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := &stub{name: "a", err: tc.primary}, &stub{name: "b"}
			_, err := provider.Failover(a, b).Send(t.Context(), provider.Message{To: "+14155550100"})
			if got := b.calls == 1; got != tc.moves {
				t.Errorf("secondary called %d times (err %v), want moved on = %v", b.calls, err, tc.moves)
			}
			if !tc.moves && err != tc.primary {
				t.Errorf("err = %v, want the primary's error unchanged", err)
			}
		})
	}
}
