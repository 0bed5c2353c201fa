package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/provider/twilio"
)

const (
	testAPIToken = "test-api-token"
	testToken    = "test-auth-token"
	testFrom     = "+13125550199"
	adaPhone     = "+12125550143"
)

// clock is a settable clock: the test moves it forward between steps, at
// a New York afternoon so quiet hours never interfere.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// harness is the CRM on a loopback HTTP server, with a fake standing in for
// Twilio.
type harness struct {
	t     *testing.T
	srv   *httptest.Server
	fake  *fake.Provider
	clock *clock
	app   *App
	seq   int
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	clk := &clock{now: time.Date(2025, 6, 4, 18, 0, 0, 0, time.UTC)} // 14:00 in New York
	f := fake.New(fake.WithName(twilio.Name))
	t.Cleanup(func() { f.Close() })
	// The server starts first so the app knows its public URL.
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	t.Cleanup(srv.Close)
	app, err := newApp(f, config{AuthToken: testToken, APIToken: testAPIToken, PublicURL: srv.URL, From: testFrom, Now: clk.Now}, demoContacts())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Shutdown(t.Context()) })
	srv.Config.Handler = app.Handler()
	return &harness{t: t, srv: srv, fake: f, clock: clk, app: app}
}

// api calls one of the CRM's own endpoints with the API token.
func (h *harness) api(method, path string, form url.Values) *http.Response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+testAPIToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp
}

// notify texts a contact through the CRM endpoint.
func (h *harness) notify(id, body string) notifyResponse {
	h.t.Helper()
	h.clock.Advance(time.Minute)
	resp := h.api(http.MethodPost, "/contacts/"+id+"/notify", url.Values{"body": {body}})
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("notify %s: HTTP %d", id, resp.StatusCode)
	}
	var out notifyResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// webhook posts a form to a Twilio webhook path, signed as Twilio signs it
// unless signature is given.
func (h *harness) webhook(path string, form url.Values, signature string) int {
	h.t.Helper()
	h.clock.Advance(time.Minute)
	full := h.srv.URL + path
	if signature == "" {
		signature = twilio.Signature(testToken, full, form)
	}
	req, err := http.NewRequest(http.MethodPost, full, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", signature)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// reply posts an inbound text from a contact's phone.
func (h *harness) reply(from, body string) int {
	h.seq++
	return h.webhook("/webhooks/twilio/inbound", url.Values{
		"MessageSid": {"SM-in-" + strconv.Itoa(h.seq)}, "AccountSid": {"ACtest"},
		"From": {from}, "To": {testFrom}, "Body": {body}, "NumSegments": {"1"},
	}, "")
}

// lastSent is the body of the latest text to number.
func (h *harness) lastSent(number string) string {
	h.t.Helper()
	sent := h.fake.SentTo(number)
	if len(sent) == 0 {
		h.t.Fatalf("nothing sent to %s", number)
	}
	return sent[len(sent)-1].Body
}

func TestNotifyStatusAndConversation(t *testing.T) {
	h := newHarness(t)

	got := h.notify("C-1001", "Your quote Q-77 is ready to sign.")
	if got.Outcome != "sent" {
		t.Fatalf("notify = %+v, want sent", got)
	}
	if body := h.lastSent(adaPhone); body != "Your quote Q-77 is ready to sign." {
		t.Errorf("sent %q", body)
	}

	// Twilio reports delivery; a forged callback is refused.
	id := h.fake.IDs()[0]
	status := url.Values{"MessageSid": {id}, "MessageStatus": {"delivered"}, "AccountSid": {"ACtest"}, "To": {adaPhone}, "From": {testFrom}}
	if code := h.webhook("/webhooks/twilio/status", status, "forged"); code != http.StatusForbidden {
		t.Errorf("forged status callback: HTTP %d, want 403", code)
	}
	if code := h.webhook("/webhooks/twilio/status", status, ""); code != http.StatusOK {
		t.Fatalf("status callback: HTTP %d, want 200", code)
	}
	m, err := h.app.svc.Store().Message(t.Context(), got.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != provider.StatusDelivered {
		t.Errorf("message status %v, want delivered", m.Status)
	}

	// A reply opens a conversation on the contact the text was about.
	if code := h.reply(adaPhone, "Can we move the call to Friday?"); code != http.StatusOK {
		t.Fatalf("inbound: HTTP %d", code)
	}
	resp := h.api(http.MethodGet, "/conversations", nil)
	defer resp.Body.Close()
	var convs []Conversation
	if err := json.NewDecoder(resp.Body).Decode(&convs); err != nil {
		t.Fatal(err)
	}
	if len(convs) != 1 {
		t.Fatalf("conversations = %+v, want one", convs)
	}
	want := Conversation{ContactID: "C-1001", From: adaPhone, Body: "Can we move the call to Friday?", NotificationID: m.NotificationID}
	c := convs[0]
	c.ReplyID, c.Opened = "", time.Time{}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("conversation (-want +got):\n%s", diff)
	}
}

func TestStopStartHelpEndToEnd(t *testing.T) {
	h := newHarness(t)
	if got := h.notify("C-1001", "Your invoice INV-9 is ready."); got.Outcome != "sent" {
		t.Fatalf("first notify = %+v", got)
	}

	// HELP: Herald answers with the contact point's help text.
	if code := h.reply(adaPhone, "HELP"); code != http.StatusOK {
		t.Fatalf("HELP: HTTP %d", code)
	}
	if body := h.lastSent(adaPhone); !strings.Contains(body, "Acme support") {
		t.Errorf("HELP answered %q", body)
	}

	// STOP: one confirmation, then the CRM's sends are refused.
	if code := h.reply(adaPhone, "STOP"); code != http.StatusOK {
		t.Fatalf("STOP: HTTP %d", code)
	}
	confirm := h.lastSent(adaPhone)
	sentBefore := len(h.fake.SentTo(adaPhone))
	got := h.notify("C-1001", "Reminder: invoice INV-9 is due Friday.")
	if got.Outcome != "denied" || got.Reason != "consent.opted-out" {
		t.Errorf("notify after STOP = %+v, want denied consent.opted-out", got)
	}
	if n := len(h.fake.SentTo(adaPhone)); n != sentBefore {
		t.Errorf("%d texts after STOP's confirmation %q, want none", n-sentBefore, confirm)
	}

	// START: opted back in, confirmed, and sends go out again.
	if code := h.reply(adaPhone, "START"); code != http.StatusOK {
		t.Fatalf("START: HTTP %d", code)
	}
	if n := len(h.fake.SentTo(adaPhone)); n != sentBefore+1 {
		t.Errorf("START confirmations: %d, want 1", n-sentBefore)
	}
	if got := h.notify("C-1001", "Thanks, invoice INV-9 is paid."); got.Outcome != "sent" {
		t.Errorf("notify after START = %+v, want sent", got)
	}

	// Keywords open no conversation.
	resp := h.api(http.MethodGet, "/conversations", nil)
	defer resp.Body.Close()
	var convs []Conversation
	if err := json.NewDecoder(resp.Body).Decode(&convs); err != nil {
		t.Fatal(err)
	}
	if len(convs) != 0 {
		t.Errorf("conversations = %+v, want none for keywords", convs)
	}
}

func TestNotifyUnknownContact(t *testing.T) {
	h := newHarness(t)
	resp := h.api(http.MethodPost, "/contacts/C-404/notify", url.Values{"body": {"hi"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("HTTP %d, want 404", resp.StatusCode)
	}
}

// The demo at three real hours: with -clock 18:00 both contacts are texted
// whatever the hour; with the machine's clock, a contact in its night is
// answered deferred, naming the rule and when the text goes out.
func TestDemoClockAtAnyHour(t *testing.T) {
	for _, hour := range []int{3, 12, 20} {
		real := time.Date(2025, 6, 4, hour, 0, 0, 0, time.UTC)
		machine := func() time.Time { return real }
		for _, flagValue := range []string{"18:00", ""} {
			start, err := parseClock(flagValue, machine)
			if err != nil {
				t.Fatal(err)
			}
			f := fake.New(fake.WithName(twilio.Name))
			app, err := newApp(f, config{AuthToken: testToken, APIToken: testAPIToken, PublicURL: "https://crm.example.com", From: testFrom, Now: demoClock(start, machine)}, demoContacts())
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(app.Handler())
			for _, id := range []string{"C-1001", "C-1002"} {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/contacts/"+id+"/notify", strings.NewReader(url.Values{"body": {"Your quote is ready."}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Authorization", "Bearer "+testAPIToken)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var got notifyResponse
				json.NewDecoder(resp.Body).Decode(&got)
				resp.Body.Close()
				// 03:00 UTC is 23:00 in New York, 22:00 in Chicago; 12:00 UTC
				// is 08:00 in New York (open) and 07:00 in Chicago (closed).
				night := flagValue == "" && (hour == 3 || hour == 12 && id == "C-1002")
				switch {
				case !night && got.Outcome != "sent":
					t.Errorf("real %02d:00, -clock %q, %s: %+v, want sent", hour, flagValue, id, got)
				case night && (got.Outcome != "deferred" || !strings.HasPrefix(got.Reason, "quiet.") || got.NotBefore == nil || !got.NotBefore.After(real)):
					t.Errorf("real %02d:00, no -clock, %s: %+v, want deferred by a quiet.* rule with a later not_before", hour, id, got)
				}
			}
			srv.Close()
			app.Shutdown(t.Context())
			f.Close()
		}
	}
}

func TestParseClock(t *testing.T) {
	real := func() time.Time { return time.Date(2025, 6, 4, 3, 30, 0, 0, time.UTC) }
	for in, want := range map[string]time.Time{
		"":                     {},
		"18:00":                time.Date(2025, 6, 4, 18, 0, 0, 0, time.UTC),
		"2025-01-02T15:04:05Z": time.Date(2025, 1, 2, 15, 4, 5, 0, time.UTC),
	} {
		got, err := parseClock(in, real)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseClock(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := parseClock("tomorrow", real); err == nil {
		t.Error("parseClock(tomorrow) accepted")
	}
	clock := demoClock(time.Date(2025, 6, 4, 18, 0, 0, 0, time.UTC), real)
	if got := clock(); !got.Equal(time.Date(2025, 6, 4, 18, 0, 0, 0, time.UTC)) {
		t.Errorf("demo clock reads %v, want its start", got)
	}
}

// TestEndpointsNeedTheAPIToken: the CRM's own endpoints refuse a caller
// without the token; the webhooks need Twilio's signature instead.
func TestEndpointsNeedTheAPIToken(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct{ method, path string }{{"POST", "/contacts/C-1001/notify"}, {"GET", "/conversations"}, {"GET", "/tally"}} {
		for _, auth := range []string{"", "Bearer wrong", "Bearer " + testAPIToken + "x"} {
			req, _ := http.NewRequest(tc.method, h.srv.URL+tc.path, strings.NewReader("body=hi"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s with %q: HTTP %d, want 401", tc.method, tc.path, auth, resp.StatusCode)
			}
		}
	}
	if len(h.fake.Sent()) != 0 {
		t.Fatal("an unauthorized request sent a text")
	}
}

// TestWebhookSignedForAnotherHostIsRefused: the signature is checked
// against the configured public URL, not the Host header a client chose.
func TestWebhookSignedForAnotherHostIsRefused(t *testing.T) {
	h := newHarness(t)
	form := url.Values{"MessageSid": {"SM-x"}, "AccountSid": {"ACtest"}, "From": {adaPhone}, "To": {testFrom}, "Body": {"START"}}
	other := "https://another-app.example.com" + inboundPath
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+inboundPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Host = "another-app.example.com"
	req.Header.Set("X-Twilio-Signature", twilio.Signature(testToken, other, form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a request signed for another host sharing the token: HTTP %d, want 403", resp.StatusCode)
	}
}

// TestReplyToAnUnroutedNumberIsDropped: a text to a number no account
// receives on is dropped (200, so Twilio does not retry), as the docs say.
func TestReplyToAnUnroutedNumberIsDropped(t *testing.T) {
	h := newHarness(t)
	code := h.webhook(inboundPath, url.Values{"MessageSid": {"SM-u"}, "AccountSid": {"ACtest"}, "From": {adaPhone}, "To": {"+13125550100"}, "Body": {"hello?"}}, "")
	if code != http.StatusOK {
		t.Fatalf("HTTP %d, want 200", code)
	}
}

// TestDeliveredTallyMovesWithASignedCallback: every text carries the
// status callback URL, and a signed delivery receipt moves the topic's
// delivered tally.
func TestDeliveredTallyMovesWithASignedCallback(t *testing.T) {
	h := newHarness(t)
	if got := h.notify("C-1001", "Your quote Q-78 is ready."); got.Outcome != "sent" {
		t.Fatalf("notify: %+v", got)
	}
	sent := h.fake.SentTo(adaPhone)[0]
	if sent.StatusCallback != h.srv.URL+statusPath {
		t.Fatalf("the text carries callback %q, want %q", sent.StatusCallback, h.srv.URL+statusPath)
	}
	tally := func() notify.Tally {
		resp := h.api(http.MethodGet, "/tally", nil)
		defer resp.Body.Close()
		var t notify.Tally
		if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
			h.t.Fatal(err)
		}
		return t
	}
	if got := tally(); got.Sent != 1 || got.Delivered != 0 {
		t.Fatalf("tally before the receipt: %+v", got)
	}
	id := h.fake.IDs()[0]
	if code := h.webhook(statusPath, url.Values{"MessageSid": {id}, "MessageStatus": {"delivered"}, "AccountSid": {"ACtest"}, "To": {adaPhone}, "From": {testFrom}}, ""); code != http.StatusOK {
		t.Fatalf("status callback: HTTP %d", code)
	}
	if got := tally(); got.Sent != 1 || got.Delivered != 1 {
		t.Fatalf("tally after the receipt: %+v", got)
	}
}
