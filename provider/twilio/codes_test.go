package twilio_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/twilio"
)

// TestSendSenderErrors: codes about the sender are sender faults, never
// "recipient unreachable", and name what to fix.
func TestSendSenderErrors(t *testing.T) {
	for _, code := range []string{"21606", "21601", "21661", "21212"} {
		t.Run(code, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(400)
				io.WriteString(w, `{"code":`+code+`,"more_info":"https://www.twilio.com/docs/errors/`+code+`"}`)
			}))
			defer srv.Close()
			_, err := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL)).Send(t.Context(),
				provider.Message{From: "+14155550000", To: "+14155550001", Body: "x"})
			var pe *provider.Error
			if !errors.As(err, &pe) || pe.Code != code || pe.Provider != "twilio" {
				t.Fatalf("err = %v, want a twilio *provider.Error with code %s", err, code)
			}
			if !errors.Is(err, provider.ErrSender) || pe.Fault() != provider.FaultSender || errors.Is(err, provider.ErrUnreachable) {
				t.Errorf("err = %v (fault %v), want a sender fault", err, pe.Fault())
			}
			if !strings.Contains(err.Error(), "From") || !strings.Contains(pe.Detail, "From") {
				t.Errorf("err = %q, Detail %q; want both to say what to fix (the From number)", err, pe.Detail)
			}
		})
	}
}

func TestOptOutEvidence(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, `{"code":21610,"message":"Attempt to send to unsubscribed recipient"}`)
	}))
	defer srv.Close()
	_, err := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL)).Send(t.Context(),
		provider.Message{From: "+14155550000", To: "+14155550001", Body: "x"})
	var pe *provider.Error
	if !errors.Is(err, provider.ErrOptedOut) || !errors.As(err, &pe) || pe.Provider != "twilio" || pe.Code != "21610" {
		t.Fatalf("err = %#v, want ErrOptedOut from twilio with code 21610", err)
	}
	if pe.Fault() != provider.FaultRecipient || provider.SafeToTryElsewhere(err) {
		t.Errorf("opt-out fault %v, safe elsewhere %v; want recipient, false", pe.Fault(), provider.SafeToTryElsewhere(err))
	}
}

func TestStatusCallbackCodes(t *testing.T) {
	cases := []struct {
		code      string
		reason    error
		fault     provider.Fault
		retryable bool
	}{
		{"30007", provider.ErrFiltered, provider.FaultFiltered, false},
		{"30034", provider.ErrSender, provider.FaultSender, false},
		{"30032", provider.ErrSender, provider.FaultSender, false},
		{"30024", provider.ErrSender, provider.FaultSender, false},
		{"30022", provider.ErrSender, provider.FaultSender, true},
		{"30023", provider.ErrSender, provider.FaultSender, true},
		{"21610", provider.ErrOptedOut, provider.FaultRecipient, false},
		{"30003", provider.ErrUnreachable, provider.FaultRecipient, true},
		{"30004", provider.ErrBlocked, provider.FaultRecipient, false},
		{"30005", provider.ErrInvalidNumber, provider.FaultRecipient, false},
		{"30006", provider.ErrLandline, provider.FaultRecipient, false},
		{"30001", provider.ErrQueueFull, provider.FaultProvider, true},
		{"39999", provider.ErrUnreachable, provider.FaultRecipient, false}, // not in the table
	}
	for _, tc := range cases {
		form := url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"undelivered"}, "ErrorCode": {tc.code}}
		u, err := twilio.ParseStatusCallback(form, hookNow)
		if err != nil {
			t.Fatal(err)
		}
		if u.Err != tc.reason || u.Fault() != tc.fault || u.Retryable != tc.retryable || u.Code != tc.code {
			t.Errorf("%s: Err %v fault %v retryable %v; want %v, %v, %v", tc.code, u.Err, u.Fault(), u.Retryable, tc.reason, tc.fault, tc.retryable)
		}
		if tc.code != "39999" && u.Detail == "" {
			t.Errorf("%s: no Detail", tc.code)
		}
	}
	// Filtering stays countable by code that only knows ErrBlocked.
	u, _ := twilio.ParseStatusCallback(url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30007"}}, hookNow)
	if !errors.Is(u.Err, provider.ErrBlocked) {
		t.Error("30007 no longer matches ErrBlocked")
	}
}
