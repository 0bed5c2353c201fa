package twilio_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/twilio"
)

func TestSendRequest(t *testing.T) {
	type seen struct {
		Method, Path, ContentType string
		User, Pass                string
		Form                      url.Values
	}
	var got seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		u, p, _ := r.BasicAuth()
		got = seen{r.Method, r.URL.Path, r.Header.Get("Content-Type"), u, p, r.PostForm}
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"sid":"SM123","status":"queued","num_segments":"2","price":"-0.01500","price_unit":"USD"}`)
	}))
	defer srv.Close()
	p := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL+"/"))
	r, err := p.Send(t.Context(), provider.Message{
		From: "+14155550000", To: "+14155550001", Body: "Hi & bye = ok ✓",
		StatusCallback: "https://example.com/status?x=1", ValidityPeriod: 90*time.Second + time.Millisecond,
		ClientRef: "order-7",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := seen{
		Method: "POST", Path: "/2010-04-01/Accounts/" + testSID + "/Messages.json",
		ContentType: "application/x-www-form-urlencoded", User: testSID, Pass: testToken,
		Form: url.Values{
			"From": {"+14155550000"}, "To": {"+14155550001"}, "Body": {"Hi & bye = ok ✓"},
			"StatusCallback": {"https://example.com/status?x=1"}, "ValidityPeriod": {"91"},
		},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("request (-want +got):\n%s", d)
	}
	wantR := provider.Receipt{ID: "SM123", Provider: "twilio", Status: provider.StatusQueued, Segments: 2,
		Price: &provider.Price{Amount: "-0.01500", Currency: "USD"}, ClientRef: "order-7"}
	if d := cmp.Diff(wantR, r); d != "" {
		t.Errorf("receipt (-want +got):\n%s", d)
	}
}

func TestSendAPIKeyAndMessagingService(t *testing.T) {
	var user, pass string
	var form url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		user, pass, _ = r.BasicAuth()
		form = r.PostForm
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"sid":"SM1","status":"accepted","num_segments":"0"}`)
	}))
	defer srv.Close()
	p := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL),
		twilio.WithAPIKey("SKkey", "keysecret"), twilio.WithMessagingServiceSID("MG1"))
	r, err := p.Send(t.Context(), provider.Message{To: "+14155550001", Body: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if user != "SKkey" || pass != "keysecret" {
		t.Errorf("basic auth = %q:%q, want the API key", user, pass)
	}
	if d := cmp.Diff(url.Values{"To": {"+14155550001"}, "Body": {"x"}, "MessagingServiceSid": {"MG1"}}, form); d != "" {
		t.Errorf("form (-want +got):\n%s", d)
	}
	if r.Status != provider.StatusQueued || r.Segments != 0 {
		t.Errorf("receipt = %+v, want queued with 0 segments", r)
	}
	if p.AuthToken() != testToken {
		t.Errorf("AuthToken() = %q, want the account token for webhooks", p.AuthToken())
	}
}

func TestSendValidation(t *testing.T) {
	p := twilio.New(testSID, testToken, twilio.WithBaseURL("http://127.0.0.1:1"))
	for name, m := range map[string]provider.Message{
		"no To":   {From: "+14155550000", Body: "x"},
		"no From": {To: "+14155550001", Body: "x"},
	} {
		_, err := p.Send(t.Context(), m)
		if provider.ClassOf(err) != provider.Permanent {
			t.Errorf("%s: err = %v, want a permanent error", name, err)
		}
	}
}

func TestSendErrorMapping(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		class      provider.Class
		reason     error
		code       string
		retryAfter time.Duration
	}{
		{"20429 seconds", 429, map[string]string{"Retry-After": "3"}, `{"code":20429,"message":"Too Many Requests"}`, provider.RejectedRetryable, provider.ErrRateLimited, "20429", 3 * time.Second},
		{"429 HTTP date", 429, map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}, `not json`, provider.RejectedRetryable, provider.ErrRateLimited, "", 90 * time.Second},
		{"21611 queue full", 400, nil, `{"code":21611,"message":"This 'From' number has exceeded the maximum number of queued messages"}`, provider.RejectedRetryable, provider.ErrQueueFull, "21611", 0},
		{"21211 invalid", 400, nil, `{"code":21211,"message":"The 'To' number +14155550199 is not a valid phone number."}`, provider.Permanent, provider.ErrInvalidNumber, "21211", 0},
		{"21610 opted out", 400, nil, `{"code":21610,"message":"Attempt to send to unsubscribed recipient"}`, provider.Permanent, provider.ErrOptedOut, "21610", 0},
		{"21612 unroutable", 400, nil, `{"code":21612,"message":"x"}`, provider.Permanent, provider.ErrUnroutable, "21612", 0},
		{"21614 not mobile", 400, nil, `{"code":21614,"message":"x"}`, provider.Permanent, provider.ErrLandline, "21614", 0},
		{"21408 geo", 400, nil, `{"code":21408,"message":"x"}`, provider.Permanent, provider.ErrGeoPermission, "21408", 0},
		{"401 auth", 401, nil, `{"code":20003,"message":"Authenticate"}`, provider.Permanent, provider.ErrAuth, "20003", 0},
		{"unknown 4xx code", 400, nil, `{"code":21602,"message":"Message body is required."}`, provider.Permanent, provider.ErrInvalidRequest, "21602", 0},
		{"500", 500, nil, `{"code":20500,"message":"Internal Server Error"}`, provider.Ambiguous, provider.ErrUnavailable, "20500", 0},
		{"503 html", 503, nil, `<html>Service Unavailable</html>`, provider.Ambiguous, provider.ErrUnavailable, "", 0},
		{"2xx garbage", 201, nil, `{"sid":`, provider.Ambiguous, provider.ErrBadResponse, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			p := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL), twilio.WithClock(func() time.Time { return now }))
			_, err := p.Send(t.Context(), provider.Message{From: "+14155550000", To: "+14155550199", Body: "x"})
			var pe *provider.Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want *provider.Error", err, err)
			}
			got := struct {
				Class      provider.Class
				Code       string
				HTTPStatus int
				RetryAfter time.Duration
			}{pe.Class, pe.Code, pe.HTTPStatus, pe.RetryAfter}
			want := got
			want.Class, want.Code, want.HTTPStatus, want.RetryAfter = tc.class, tc.code, tc.status, tc.retryAfter
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("error fields (-want +got):\n%s\nerror: %v", d, err)
			}
			if !errors.Is(err, tc.reason) {
				t.Errorf("errors.Is(err, %v) = false; err = %v", tc.reason, err)
			}
			if pe.Temporary() != (tc.class == provider.RejectedRetryable) {
				t.Errorf("Temporary() = %v for class %v", pe.Temporary(), tc.class)
			}
		})
	}
}

func TestErrorMasksNumbers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, `{"code":21211,"message":"The 'To' number +14155550199 is not a valid phone number."}`)
	}))
	defer srv.Close()
	_, err := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL)).Send(t.Context(),
		provider.Message{From: "+14155550000", To: "+14155550199", Body: "x"})
	want := "twilio: permanent error, code 21211, HTTP 400: invalid phone number: The 'To' number +1415****199 is not a valid phone number."
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
}

func TestSendConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := twilio.New(testSID, testToken, twilio.WithBaseURL("http://"+addr))
	_, err = p.Send(t.Context(), provider.Message{From: "+14155550000", To: "+14155550001", Body: "x"})
	if provider.ClassOf(err) != provider.RejectedRetryable || !errors.Is(err, provider.ErrNotSent) {
		t.Fatalf("err = %v, want RejectedRetryable wrapping ErrNotSent", err)
	}
}

// hijack answers with a handler that reads the request, then writes part
// of a response (or nothing) and drops the connection.
func hijack(t *testing.T, partial string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		buf.WriteString(partial)
		buf.Flush()
		conn.Close()
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSendConnectionLostAfterWrite(t *testing.T) {
	cases := map[string]string{
		"no response": "",
		"mid-headers": "HTTP/1.1 201 Created\r\nContent-Type: appl",
		"mid-body":    "HTTP/1.1 201 Created\r\nContent-Length: 200\r\n\r\n{\"sid\":\"SM1\"",
	}
	for name, partial := range cases {
		t.Run(name, func(t *testing.T) {
			srv := hijack(t, partial)
			p := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL))
			_, err := p.Send(t.Context(), provider.Message{From: "+14155550000", To: "+14155550001", Body: "x"})
			if provider.ClassOf(err) != provider.Ambiguous {
				t.Fatalf("err = %v, want Ambiguous", err)
			}
			var pe *provider.Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %T, want *provider.Error", err)
			}
		})
	}
}

// deadlineCtx is a context whose deadline "passes" when expire is closed,
// so a test controls exactly when the timeout happens.
type deadlineCtx struct {
	context.Context
	expire chan struct{}
}

func (c deadlineCtx) Done() <-chan struct{} { return c.expire }

func (c deadlineCtx) Err() error {
	select {
	case <-c.expire:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func TestSendTimeoutAfterWrite(t *testing.T) {
	ctx := deadlineCtx{Context: t.Context(), expire: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		close(ctx.expire) // the whole request arrived; now the client times out
		<-r.Context().Done()
	}))
	defer srv.Close()
	p := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL))
	_, err := p.Send(ctx, provider.Message{From: "+14155550000", To: "+14155550001", Body: "x"})
	if provider.ClassOf(err) != provider.Ambiguous || !errors.Is(err, provider.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want Ambiguous wrapping ErrTimeout and DeadlineExceeded", err)
	}
}

func TestSendTimeoutBeforeWrite(t *testing.T) {
	ctx := deadlineCtx{Context: t.Context(), expire: make(chan struct{})}
	close(ctx.expire)
	p := twilio.New(testSID, testToken, twilio.WithBaseURL("http://127.0.0.1:1"))
	_, err := p.Send(ctx, provider.Message{From: "+14155550000", To: "+14155550001", Body: "x"})
	if provider.ClassOf(err) != provider.RejectedRetryable || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want RejectedRetryable wrapping DeadlineExceeded", err)
	}
}

func TestLookup(t *testing.T) {
	var path, fields string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, fields = r.URL.EscapedPath(), r.URL.Query().Get("Fields")
		switch r.URL.Path {
		case "/v2/PhoneNumbers/+14155550001":
			io.WriteString(w, `{"phone_number":"+14155550001","valid":true,"country_code":"US","line_type_intelligence":{"type":"landline","carrier_name":"AT&T"}}`)
		default:
			w.WriteHeader(404)
			io.WriteString(w, `{"code":20404,"message":"not found"}`)
		}
	}))
	defer srv.Close()
	var lk provider.Lookuper = twilio.New(testSID, testToken, twilio.WithLookupBaseURL(srv.URL))
	info, err := lk.Lookup(t.Context(), "+14155550001")
	if err != nil {
		t.Fatal(err)
	}
	want := provider.LineInfo{Number: "+14155550001", Valid: true, Type: provider.LineLandline, Carrier: "AT&T", Country: "US"}
	if d := cmp.Diff(want, info); d != "" {
		t.Errorf("LineInfo (-want +got):\n%s", d)
	}
	if path != "/v2/PhoneNumbers/+14155550001" || fields != "line_type_intelligence" {
		t.Errorf("request path %q fields %q", path, fields)
	}
	if _, err := lk.Lookup(t.Context(), "+1999"); provider.ClassOf(err) != provider.Permanent {
		t.Errorf("404 lookup err = %v, want permanent", err)
	}
}

func TestCancel(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		got = r.Method + " " + r.URL.Path + " " + r.PostForm.Encode()
		io.WriteString(w, `{"sid":"SM9","status":"canceled"}`)
	}))
	defer srv.Close()
	var c provider.Canceler = twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL))
	if err := c.Cancel(t.Context(), "SM9"); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("POST /2010-04-01/Accounts/%s/Messages/SM9.json Status=canceled", testSID)
	if got != want {
		t.Errorf("request = %q, want %q", got, want)
	}
}

func TestParseStatus(t *testing.T) {
	want := map[string]provider.Status{
		"queued": provider.StatusQueued, "accepted": provider.StatusQueued, "scheduled": provider.StatusQueued,
		"sending": provider.StatusSending, "sent": provider.StatusSent, "delivered": provider.StatusDelivered,
		"read": provider.StatusDelivered, "undelivered": provider.StatusUndelivered, "failed": provider.StatusFailed,
		"canceled": provider.StatusCanceled, "whatever": provider.StatusUnknown,
	}
	got := map[string]provider.Status{}
	for k := range want {
		got[k] = twilio.ParseStatus(k)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
