package twilio_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/twilio"
)

// How a fuzzed webhook request is signed.
const (
	sigNone     = iota // no X-Twilio-Signature
	sigValid           // signed with the right token over the body sent
	sigWrongKey        // signed with another token
	sigTampered        // signed over the body, then a parameter added
	sigGarbage         // a header that is no signature at all
	sigModes
)

// fuzzRequest builds a POST of body to hookURL signed as mode says, and
// reports whether it carries a valid signature.
func fuzzRequest(body string, mode uint8) (*http.Request, bool) {
	form, formErr := url.ParseQuery(body)
	sig, valid := "", false
	switch mode % sigModes {
	case sigValid:
		if formErr == nil {
			sig, valid = twilio.Signature(testToken, hookURL, form), true
		}
	case sigWrongKey:
		if formErr == nil {
			sig = twilio.Signature(testToken+"x", hookURL, form)
		}
	case sigTampered:
		if formErr == nil {
			sig = twilio.Signature(testToken, hookURL, form)
			body += "&Tampered=1"
		}
	case sigGarbage:
		sig = "not-a-signature=="
	}
	r := httptest.NewRequest(http.MethodPost, hookURL, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if sig != "" {
		r.Header.Set("X-Twilio-Signature", sig)
	}
	return r, valid
}

// checkHandler serves one fuzzed request and fails when a request without
// a valid signature was processed or answered 200.
func checkHandler(t *testing.T, h http.Handler, r *http.Request, valid bool, processed func() int) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if !valid && (processed() != 0 || w.Code == http.StatusOK) {
		t.Fatalf("request without a valid signature: status %d, %d events processed", w.Code, processed())
	}
	if w.Code != http.StatusOK && processed() != 0 {
		t.Fatalf("status %d but the callback ran", w.Code)
	}
}

func FuzzStatusHandler(f *testing.F) {
	f.Add(statusForm().Encode(), uint8(sigValid))
	f.Add(statusForm().Encode(), uint8(sigWrongKey))
	f.Add("MessageSid=SM1&MessageStatus=delivered", uint8(sigTampered))
	f.Add("%zz", uint8(sigValid))
	f.Fuzz(func(t *testing.T, body string, mode uint8) {
		var c collector[provider.StatusUpdate]
		h := twilio.StatusHandler(testToken, c.fn, twilio.WithDedupCapacity(1))
		r, valid := fuzzRequest(body, mode)
		checkHandler(t, h, r, valid, func() int { return len(c.got) })
		for _, u := range c.got {
			if u.ID == "" || (u.Err != nil && u.Code == "") {
				t.Fatalf("bad update %+v from %q", u, body)
			}
		}
	})
}

func FuzzInboundHandler(f *testing.F) {
	f.Add("MessageSid=SM2&From=%2B1&Body=hi&NumMedia=3&MediaUrl0=x", uint8(sigValid))
	f.Add("%zz", uint8(sigValid))
	f.Add("MessageSid=SM2&NumMedia=999999999", uint8(sigNone))
	f.Add("MessageSid=SM2&Body=STOP", uint8(sigGarbage))
	f.Fuzz(func(t *testing.T, body string, mode uint8) {
		var c collector[provider.Inbound]
		h := twilio.InboundHandler(testToken, c.fn, twilio.WithDedupCapacity(1))
		r, valid := fuzzRequest(body, mode)
		checkHandler(t, h, r, valid, func() int { return len(c.got) })
		for _, in := range c.got {
			if in.ID == "" || len(in.Media) > 10 {
				t.Fatalf("bad inbound %+v from %q", in, body)
			}
		}
	})
}

func FuzzParseStatusCallback(f *testing.F) {
	f.Add(statusForm().Encode())
	f.Add("MessageSid=SM1&MessageStatus=delivered&RawDlrDoneDate=9913011299")
	f.Add("SmsSid=&ErrorCode=0&NumSegments=-1")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		u, err := twilio.ParseStatusCallback(form, hookNow)
		if err != nil {
			return
		}
		if u.ID == "" {
			t.Fatalf("accepted a callback with no id: %q", body)
		}
		if (u.Err == nil) != (u.Code == "") {
			t.Fatalf("code %q with reason %v from %q", u.Code, u.Err, body)
		}
	})
}

func FuzzParseInbound(f *testing.F) {
	f.Add("MessageSid=SM2&From=%2B14155550001&To=%2B14155550000&Body=STOP&NumSegments=1&NumMedia=1&MediaUrl0=https%3A%2F%2Fm")
	f.Add("SmsSid=SM3&NumMedia=-4")
	f.Add("Body=no+sid")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		in, err := twilio.ParseInbound(form, hookNow)
		if err != nil {
			return
		}
		if in.ID == "" || len(in.Media) > 10 || !in.Received.Equal(hookNow) {
			t.Fatalf("bad inbound %+v from %q", in, body)
		}
	})
}
