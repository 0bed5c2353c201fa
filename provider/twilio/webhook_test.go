package twilio_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/twilio"
)

var hookNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const hookURL = "https://hooks.example.com/twilio/status?tenant=7"

// signedRequest builds a POST of form to hookURL signed with token.
func signedRequest(token string, form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, hookURL, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Twilio-Signature", twilio.Signature(token, hookURL, form))
	return r
}

type collector[T any] struct {
	mu   sync.Mutex
	got  []T
	fail error
}

func (c *collector[T]) fn(_ context.Context, v T) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail != nil {
		return c.fail
	}
	c.got = append(c.got, v)
	return nil
}

func statusForm() url.Values {
	return url.Values{
		"MessageSid": {"SM1"}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30003"},
		"AccountSid": {testSID}, "From": {"+14155550000"}, "To": {"+14155550001"},
		"ApiVersion": {"2010-04-01"}, "RawDlrDoneDate": {"2603011159"},
	}
}

func TestStatusHandler(t *testing.T) {
	var c collector[provider.StatusUpdate]
	h := twilio.StatusHandler(testToken, c.fn, twilio.WithWebhookClock(func() time.Time { return hookNow }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, signedRequest(testToken, statusForm()))
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d %s", w.Code, w.Body)
	}
	want := []provider.StatusUpdate{{
		Provider: "twilio", ID: "SM1", Status: provider.StatusUndelivered, Raw: "undelivered",
		Code: "30003", Err: provider.ErrUnreachable, Detail: "the destination handset is unreachable", Retryable: true, From: "+14155550000", To: "+14155550001",
		At: time.Date(2026, 3, 1, 11, 59, 0, 0, time.UTC),
	}}
	if d := cmp.Diff(want, c.got, cmp.Comparer(func(a, b error) bool { return a == b })); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

func TestStatusHandlerRejects(t *testing.T) {
	body := statusForm()
	body.Set("MessageStatus", "delivered")
	tampered := httptest.NewRequest(http.MethodPost, hookURL, strings.NewReader(body.Encode()))
	tampered.Header.Set("X-Twilio-Signature", twilio.Signature(testToken, hookURL, statusForm()))

	unsigned := signedRequest(testToken, statusForm())
	unsigned.Header.Del("X-Twilio-Signature")

	wrongToken := signedRequest("other-token", statusForm())

	otherURL := signedRequest(testToken, statusForm())
	otherURL.URL.RawQuery = "tenant=8"
	otherURL.RequestURI = "/twilio/status?tenant=8"

	big := url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"sent"}, "Pad": {strings.Repeat("x", 2048)}}
	oversized := signedRequest(testToken, big)

	get := httptest.NewRequest(http.MethodGet, hookURL, nil)

	cases := []struct {
		name string
		req  *http.Request
		code int
	}{
		{"tampered", tampered, http.StatusForbidden},
		{"unsigned", unsigned, http.StatusForbidden},
		{"wrong token", wrongToken, http.StatusForbidden},
		{"other URL", otherURL, http.StatusForbidden},
		{"oversized", oversized, http.StatusRequestEntityTooLarge},
		{"GET", get, http.StatusMethodNotAllowed},
		{"no MessageSid", signedRequest(testToken, url.Values{"MessageStatus": {"sent"}}), http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c collector[provider.StatusUpdate]
			h := twilio.StatusHandler(testToken, c.fn, twilio.WithMaxBodyBytes(1024))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, tc.req)
			if w.Code != tc.code {
				t.Errorf("status = %d, want %d", w.Code, tc.code)
			}
			if len(c.got) != 0 {
				t.Errorf("callback got %d events, want none", len(c.got))
			}
		})
	}
}

func TestStatusHandlerReplayAndRetry(t *testing.T) {
	var c collector[provider.StatusUpdate]
	h := twilio.StatusHandler(testToken, c.fn)

	// The callback fails: 500, and Twilio's retry must be processed.
	c.fail = errors.New("database down")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, signedRequest(testToken, statusForm()))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("failing callback: status = %d, want 500", w.Code)
	}
	c.fail = nil
	for i := range 3 { // the retry, then two replays
		w := httptest.NewRecorder()
		h.ServeHTTP(w, signedRequest(testToken, statusForm()))
		if w.Code != http.StatusOK {
			t.Fatalf("delivery %d: status = %d, want 200", i, w.Code)
		}
	}
	if len(c.got) != 1 {
		t.Errorf("callback ran %d times for one event replayed, want 1", len(c.got))
	}
	// A later status of the same message is a new event.
	next := statusForm()
	next.Set("MessageStatus", "delivered")
	next.Del("ErrorCode")
	h.ServeHTTP(httptest.NewRecorder(), signedRequest(testToken, next))
	if len(c.got) != 2 || c.got[1].Status != provider.StatusDelivered {
		t.Errorf("events = %+v, want a second, delivered one", c.got)
	}
}

func TestInboundHandler(t *testing.T) {
	var c collector[provider.Inbound]
	p := twilio.New(testSID, testToken)
	h := p.InboundHandler(c.fn, twilio.WithWebhookClock(func() time.Time { return hookNow }),
		twilio.WithPublicURL("https://hooks.example.com"))
	form := url.Values{
		"MessageSid": {"SM2"}, "AccountSid": {testSID}, "From": {"+14155550001"}, "To": {"+14155550000"},
		"Body": {"STOP"}, "NumSegments": {"1"}, "NumMedia": {"2"},
		"MediaUrl0": {"https://api.twilio.com/m0"}, "MediaUrl1": {"https://api.twilio.com/m1"},
	}
	// Behind a proxy: the request arrives on an internal host over HTTP.
	r := httptest.NewRequest(http.MethodPost, "http://10.0.0.5:8080/twilio/status?tenant=7", strings.NewReader(form.Encode()))
	r.Header.Set("X-Twilio-Signature", twilio.Signature(testToken, hookURL, form))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<Response>") {
		t.Fatalf("status = %d body %q, want 200 with empty TwiML", w.Code, w.Body)
	}
	want := []provider.Inbound{{Provider: "twilio", ID: "SM2", From: "+14155550001", To: "+14155550000",
		Body: "STOP", Received: hookNow, Segments: 1, Media: []string{"https://api.twilio.com/m0", "https://api.twilio.com/m1"}}}
	if d := cmp.Diff(want, c.got); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

func TestInboundHandlerForwardedProto(t *testing.T) {
	var c collector[provider.Inbound]
	h := twilio.InboundHandler(testToken, c.fn)
	form := url.Values{"MessageSid": {"SM3"}, "From": {"+14155550001"}, "To": {"+14155550000"}, "Body": {"hi"}}
	r := httptest.NewRequest(http.MethodPost, "http://hooks.example.com/twilio/status?tenant=7", strings.NewReader(form.Encode()))
	r.Header.Set("X-Forwarded-Proto", "https")
	r.Header.Set("X-Twilio-Signature", twilio.Signature(testToken, hookURL, form))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK || len(c.got) != 1 {
		t.Fatalf("status = %d, events %d; want 200 and 1", w.Code, len(c.got))
	}
}
