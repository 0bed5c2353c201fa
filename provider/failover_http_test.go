package provider_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/telnyx"
	"github.com/heraldsms/herald/provider/twilio"
)

// loopback answers every request with status and body, counting calls.
func loopback(t *testing.T, status int, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// refusedURL returns a loopback URL nothing listens on.
func refusedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

const (
	twilioOK = `{"sid":"SM1","status":"queued","num_segments":"1"}`
	telnyxOK = `{"data":{"id":"msg-1","to":[{"status":"queued"}],"parts":1}}`
)

// TestFailoverRealAdapters sends through a real Twilio adapter failing over
// to a real Telnyx adapter, and the other way round, each on a loopback
// server: the secondary is called only when the primary surely did not take
// the message and the error is not about the recipient.
func TestFailoverRealAdapters(t *testing.T) {
	type answer struct {
		status int
		body   string
	}
	cases := []struct {
		name           string
		twilio, telnyx answer // the primary's answer, per adapter
		moves          bool
		reason         error
	}{
		{"opted out", answer{400, `{"code":21610,"message":"Attempt to send to unsubscribed recipient"}`},
			answer{409, `{"errors":[{"code":"40300","title":"Blocked due to STOP message"}]}`}, false, provider.ErrOptedOut},
		{"invalid number", answer{400, `{"code":21211,"message":"invalid To"}`},
			answer{400, `{"errors":[{"code":"10002","title":"Invalid phone number"}]}`}, false, provider.ErrInvalidNumber},
		{"not a mobile", answer{400, `{"code":21614,"message":"not a mobile"}`},
			answer{400, `{"errors":[{"code":"40001","title":"Not routable"}]}`}, false, nil},
		{"sender not capable", answer{400, `{"code":21606,"message":"From is not a valid message-capable number"}`},
			answer{400, `{"errors":[{"code":"40013","title":"Invalid source number"}]}`}, false, provider.ErrSender},
		{"server error", answer{500, `{"code":20500,"message":"Internal"}`},
			answer{500, `{"errors":[{"code":"10007","title":"Unexpected error"}]}`}, false, provider.ErrAmbiguous},
		{"rate limited", answer{429, `{"code":20429,"message":"Too Many Requests"}`},
			answer{429, `{"errors":[{"code":"10011","title":"Too many requests"}]}`}, true, nil},
		{"queue full", answer{400, `{"code":21611,"message":"queue full"}`},
			answer{429, `{"errors":[{"code":"10011","title":"Too many requests"}]}`}, true, nil},
		{"bad credentials", answer{401, `{"code":20003,"message":"Authenticate"}`},
			answer{401, `{"errors":[{"code":"10009","title":"Authentication failed"}]}`}, true, nil},
	}
	msg := provider.Message{From: "+14155550000", To: "+14155550001", Body: "hi"}
	for _, tc := range cases {
		t.Run("twilio to telnyx/"+tc.name, func(t *testing.T) {
			primary, _ := loopback(t, tc.twilio.status, tc.twilio.body)
			secondary, calls := loopback(t, 200, telnyxOK)
			p := provider.Failover(twilio.New("AC1", "tok", twilio.WithBaseURL(primary.URL)),
				telnyx.New("key", telnyx.WithBaseURL(secondary.URL)))
			checkFailover(t, p, msg, calls, tc.moves, tc.reason, telnyx.Name)
		})
		t.Run("telnyx to twilio/"+tc.name, func(t *testing.T) {
			primary, _ := loopback(t, tc.telnyx.status, tc.telnyx.body)
			secondary, calls := loopback(t, 201, twilioOK)
			p := provider.Failover(telnyx.New("key", telnyx.WithBaseURL(primary.URL)),
				twilio.New("AC1", "tok", twilio.WithBaseURL(secondary.URL)))
			checkFailover(t, p, msg, calls, tc.moves, tc.reason, twilio.Name)
		})
	}
	t.Run("connection refused", func(t *testing.T) {
		secondary, calls := loopback(t, 200, telnyxOK)
		p := provider.Failover(twilio.New("AC1", "tok", twilio.WithBaseURL(refusedURL(t))),
			telnyx.New("key", telnyx.WithBaseURL(secondary.URL)))
		checkFailover(t, p, msg, calls, true, nil, telnyx.Name)
	})
	t.Run("timeout after the request was written", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			cancel() // the whole request arrived; now the caller gives up
			<-r.Context().Done()
		}))
		defer hung.Close()
		secondary, calls := loopback(t, 200, telnyxOK)
		p := provider.Failover(twilio.New("AC1", "tok", twilio.WithBaseURL(hung.URL)),
			telnyx.New("key", telnyx.WithBaseURL(secondary.URL)))
		_, err := p.Send(ctx, msg)
		if calls.Load() != 0 || provider.ClassOf(err) != provider.Ambiguous {
			t.Errorf("secondary called %d times, err %v; want no failover after an ambiguous timeout", calls.Load(), err)
		}
	})
}

func checkFailover(t *testing.T, p provider.Provider, m provider.Message, calls *atomic.Int32, moves bool, reason error, secondaryName string) {
	t.Helper()
	r, err := p.Send(t.Context(), m)
	if moves {
		if err != nil || calls.Load() != 1 || r.Provider != secondaryName {
			t.Fatalf("receipt %+v, err %v, secondary calls %d; want the secondary (%s) to send it", r, err, calls.Load(), secondaryName)
		}
		return
	}
	if calls.Load() != 0 {
		t.Fatalf("secondary called %d times after %v; want never", calls.Load(), err)
	}
	if err == nil {
		t.Fatal("no error from the primary's refusal")
	}
	if reason != nil && !errors.Is(err, reason) {
		t.Errorf("errors.Is(err, %v) = false; err = %v", reason, err)
	}
	var pe *provider.Error
	if !errors.As(err, &pe) || pe.Provider == "" || pe.Code == "" {
		t.Errorf("err = %#v, want a *provider.Error naming the provider and its code", err)
	}
}
