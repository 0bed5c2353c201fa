package telnyx_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/providertest"
	"github.com/heraldsms/herald/provider/telnyx"
)

// scriptedServer answers /v2/messages as script says, in Telnyx's format.
func scriptedServer(t *testing.T, script providertest.Script) *httptest.Server {
	var seq atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			To string `json:"to"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch script(req.To) {
		case providertest.Accept:
			fmt.Fprintf(w, `{"data":{"id":"40385f64-5717-4562-b3fc-%012d","to":[{"phone_number":%q,"status":"queued"}],"parts":1,"cost":{"amount":"0.0051","currency":"USD"}}}`, seq.Add(1), req.To)
		case providertest.RateLimit:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"errors":[{"code":"10011","title":"Too many requests"}]}`)
		case providertest.ServerError:
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"errors":[{"code":"10007","title":"Unexpected error"}]}`)
		case providertest.InvalidNumber:
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, `{"errors":[{"code":"10016","title":"Phone number must be in +E.164 format","detail":"+1415 is invalid"}]}`)
		case providertest.OptedOut:
			w.WriteHeader(http.StatusConflict)
			fmt.Fprint(w, `{"errors":[{"code":"40300","title":"Blocked due to STOP message"}]}`)
		case providertest.SenderRejected:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"errors":[{"code":"40013","title":"Invalid source number"}]}`)
		case providertest.Hang:
			<-r.Context().Done()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, script providertest.Script) provider.Provider {
		srv := scriptedServer(t, script)
		return telnyx.New("KEY123", telnyx.WithBaseURL(srv.URL), telnyx.WithHTTPClient(srv.Client()))
	})
}

func TestSendRequest(t *testing.T) {
	var auth, path, ctype string
	var body map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth, path, ctype = r.Header.Get("Authorization"), r.URL.Path, r.Header.Get("Content-Type")
		json.NewDecoder(r.Body).Decode(&body)
		io.WriteString(w, `{"data":{"id":"msg-1","to":[{"phone_number":"+14155550001","status":"queued"}],"parts":2,"cost":{"amount":"0.0080","currency":"USD"}}}`)
	}))
	defer srv.Close()
	p := telnyx.New("KEY123", telnyx.WithBaseURL(srv.URL), telnyx.WithMessagingProfileID("prof-1"))
	r, err := p.Send(t.Context(), provider.Message{From: "+14155550000", To: "+14155550001", Body: "héllo",
		StatusCallback: "https://example.com/hook", ClientRef: "c1"})
	if err != nil {
		t.Fatal(err)
	}
	if auth != "Bearer KEY123" || path != "/v2/messages" || ctype != "application/json" {
		t.Errorf("auth %q path %q content-type %q", auth, path, ctype)
	}
	wantBody := map[string]any{"from": "+14155550000", "to": "+14155550001", "text": "héllo",
		"messaging_profile_id": "prof-1", "webhook_url": "https://example.com/hook"}
	if d := cmp.Diff(wantBody, body); d != "" {
		t.Errorf("body (-want +got):\n%s", d)
	}
	want := provider.Receipt{ID: "msg-1", Provider: "telnyx", Status: provider.StatusQueued, Segments: 2,
		Price: &provider.Price{Amount: "0.0080", Currency: "USD"}, ClientRef: "c1"}
	if d := cmp.Diff(want, r); d != "" {
		t.Errorf("receipt (-want +got):\n%s", d)
	}
}

func TestSendErrorMapping(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		status int
		body   string
		class  provider.Class
		reason error
		code   string
	}{
		{429, `{"errors":[{"code":"10011","title":"Too many requests"}]}`, provider.RejectedRetryable, provider.ErrRateLimited, "10011"},
		{400, `{"errors":[{"code":"40006","title":"Recipient server unavailable"}]}`, provider.RejectedRetryable, provider.ErrUnreachable, "40006"},
		{400, `{"errors":[{"code":"40002","title":"Blocked as spam - temporary"}]}`, provider.RejectedRetryable, provider.ErrBlocked, "40002"},
		{400, `{"errors":[{"code":"40001","title":"Not routable"}]}`, provider.Permanent, provider.ErrUnroutable, "40001"},
		{400, `{"errors":[{"code":"40003","title":"Blocked as spam - permanent"}]}`, provider.Permanent, provider.ErrBlocked, "40003"},
		{400, `{"errors":[{"code":"40008","title":"Undeliverable"}]}`, provider.Permanent, provider.ErrUnreachable, "40008"},
		{409, `{"errors":[{"code":"40300","title":"Blocked due to STOP message","detail":"Messages cannot be sent from +14155550000 to +14155550001 due to an existing block rule."}]}`, provider.Permanent, provider.ErrOptedOut, "40300"},
		{400, `{"errors":[{"code":"40013","title":"Invalid source number"}]}`, provider.Permanent, provider.ErrSender, "40013"},
		{400, `{"errors":[{"code":"40010"}]}`, provider.Permanent, provider.ErrSender, "40010"},
		{400, `{"errors":[{"code":"40015","title":"Internal spam filter"}]}`, provider.Permanent, provider.ErrFiltered, "40015"},
		{400, `{"errors":[{"code":"40003","title":"Blocked as spam - permanent"}]}`, provider.Permanent, provider.ErrSender, "40003"},
		{422, `{"errors":[{"code":"10002","title":"Invalid phone number"}]}`, provider.Permanent, provider.ErrInvalidNumber, "10002"},
		{401, `{"errors":[{"code":"10009","title":"Authentication failed"}]}`, provider.Permanent, provider.ErrAuth, "10009"},
		{502, `<html>bad gateway</html>`, provider.Ambiguous, provider.ErrUnavailable, ""},
		{503, `{"errors":[{"code":"40006","title":"x"}]}`, provider.Ambiguous, provider.ErrUnavailable, "40006"},
		{200, `{"data":{}}`, provider.Ambiguous, provider.ErrBadResponse, ""},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status, tc.code), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", now.Add(time.Minute).Format(http.TimeFormat))
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			p := telnyx.New("k", telnyx.WithBaseURL(srv.URL), telnyx.WithClock(func() time.Time { return now }))
			_, err := p.Send(t.Context(), provider.Message{From: "+14155550000", To: "+14155550001", Body: "x"})
			var pe *provider.Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *provider.Error", err)
			}
			if pe.Class != tc.class || pe.Code != tc.code || !errors.Is(err, tc.reason) {
				t.Errorf("got class %v code %q err %v; want %v %q %v", pe.Class, pe.Code, err, tc.class, tc.code, tc.reason)
			}
			if tc.status == 429 && pe.RetryAfter != time.Minute {
				t.Errorf("RetryAfter = %v, want 1m from the HTTP date", pe.RetryAfter)
			}
		})
	}
}

func TestSendValidation(t *testing.T) {
	p := telnyx.New("k", telnyx.WithBaseURL("http://127.0.0.1:1"))
	for _, m := range []provider.Message{{From: "+1", Body: "x"}, {To: "+14155550001", Body: "x"}} {
		if _, err := p.Send(t.Context(), m); provider.ClassOf(err) != provider.Permanent {
			t.Errorf("Send(%+v) = %v, want permanent", m, err)
		}
	}
}

func TestParseStatus(t *testing.T) {
	want := map[string]provider.Status{"queued": provider.StatusQueued, "sending": provider.StatusSending,
		"sent": provider.StatusSent, "delivered": provider.StatusDelivered, "sending_failed": provider.StatusFailed,
		"delivery_failed": provider.StatusUndelivered, "delivery_unconfirmed": provider.StatusSent,
		"expired": provider.StatusUndelivered, "???": provider.StatusUnknown}
	got := map[string]provider.Status{}
	for k := range want {
		got[k] = telnyx.ParseStatus(k)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Error(d)
	}
}
