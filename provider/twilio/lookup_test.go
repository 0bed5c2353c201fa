package twilio_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/twilio"
)

// onlyHost is a transport that refuses every host but one, so a request
// meant for the real Twilio never leaves the machine.
type onlyHost struct{ host string }

func (o onlyHost) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != o.host {
		return nil, fmt.Errorf("test transport: request to %s, want only %s", r.URL.Host, o.host)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func lookupServer(t *testing.T, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/PhoneNumbers/+14155550001" {
			w.WriteHeader(404)
			io.WriteString(w, `{"code":20404,"message":"not found"}`)
			return
		}
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

const lookupMobile = `{"phone_number":"+14155550001","valid":true,"country_code":"US","line_type_intelligence":{"type":"mobile","carrier_name":"T-Mobile","error_code":null}}`

// TestLookupFollowsBaseURL: with only the base URL changed, lookups go to
// the same server instead of the real lookups host.
func TestLookupFollowsBaseURL(t *testing.T) {
	srv := lookupServer(t, lookupMobile)
	u, _ := url.Parse(srv.URL)
	client := &http.Client{Transport: onlyHost{u.Host}}
	p := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL), twilio.WithHTTPClient(client))
	info, err := p.Lookup(t.Context(), "+14155550001")
	if err != nil {
		t.Fatal(err)
	}
	if info.Type != provider.LineMobile || info.Carrier != "T-Mobile" {
		t.Errorf("info = %+v", info)
	}
}

// TestLookupBaseURLWins: an explicit lookup URL wins over the base URL,
// whatever the order of the options.
func TestLookupBaseURLWins(t *testing.T) {
	srv := lookupServer(t, lookupMobile)
	u, _ := url.Parse(srv.URL)
	client := &http.Client{Transport: onlyHost{u.Host}}
	for _, opts := range [][]twilio.Option{
		{twilio.WithLookupBaseURL(srv.URL), twilio.WithBaseURL("http://api.invalid"), twilio.WithHTTPClient(client)},
		{twilio.WithBaseURL("http://api.invalid"), twilio.WithLookupBaseURL(srv.URL), twilio.WithHTTPClient(client)},
	} {
		if _, err := twilio.New(testSID, testToken, opts...).Lookup(t.Context(), "+14155550001"); err != nil {
			t.Error(err)
		}
	}
}

// TestLookupErrors: a lookup that did not answer the question is an error,
// never a silent LineUnknown.
func TestLookupErrors(t *testing.T) {
	cases := []struct {
		name   string
		body   string
		code   string
		reason error
	}{
		{"line type error", `{"phone_number":"+14155550001","valid":true,"line_type_intelligence":{"type":null,"carrier_name":null,"error_code":60600}}`, "60600", provider.ErrNoLineType},
		{"no line type package", `{"phone_number":"+14155550001","valid":true,"line_type_intelligence":null}`, "", provider.ErrNoLineType},
		{"not json", `<html>`, "", provider.ErrBadResponse},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := lookupServer(t, tc.body)
			_, err := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL)).Lookup(t.Context(), "+14155550001")
			var pe *provider.Error
			if !errors.As(err, &pe) || pe.Code != tc.code || !errors.Is(err, tc.reason) || pe.Provider != "twilio" {
				t.Fatalf("err = %v (code %q), want a twilio error with code %q matching %v", err, codeOf(pe), tc.code, tc.reason)
			}
		})
	}
	t.Run("invalid number is an answer", func(t *testing.T) {
		srv := lookupServer(t, `{"phone_number":"+14155550001","valid":false,"validation_errors":["TOO_SHORT"],"line_type_intelligence":null}`)
		info, err := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL)).Lookup(t.Context(), "+14155550001")
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(provider.LineInfo{Number: "+14155550001"}, info); d != "" {
			t.Errorf("info (-want +got):\n%s", d)
		}
	})
	t.Run("rate limited", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(429)
			io.WriteString(w, `{"code":20429,"message":"Too Many Requests"}`)
		}))
		defer srv.Close()
		_, err := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL)).Lookup(t.Context(), "+14155550001")
		if provider.ClassOf(err) != provider.RejectedRetryable || !errors.Is(err, provider.ErrRateLimited) {
			t.Errorf("err = %v, want a retryable rate limit", err)
		}
	})
}

func codeOf(pe *provider.Error) string {
	if pe == nil {
		return ""
	}
	return pe.Code
}
