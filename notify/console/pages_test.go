package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

const hostile = `<script>alert("x")</script>`

func TestHistoryShowsTalliesOfActiveOrDisabledTopics(t *testing.T) {
	h, b := newTestHandler(t, WithClock(func() time.Time { return time.Date(2025, 3, 4, 10, 30, 15, 0, time.UTC) }))
	b.tallies["deliveries"] = notify.Tally{Sent: 7, Delivered: 5, Failed: 1, Denied: 2}
	b.tallies["old"] = notify.Tally{Sent: 3}
	s := newSession(t, h, "ann", "")
	body := s.get("/history").Body.String()
	wantContains(t, body, `<tr data-topic="deliveries">`, `<td class="sent">7</td><td class="delivered">5</td><td class="failed">1</td><td class="denied">2</td>`,
		`value="2025-03-03T10:31"`, `value="2025-03-04T10:31"`)
	wantNotContains(t, body, `data-topic="old"`)
	body = s.get("/history?show=disabled").Body.String()
	wantContains(t, body, `<tr data-topic="old">`, `<td class="sent">3</td>`)
	wantNotContains(t, body, `data-topic="deliveries"`)
}

func TestHistoryInterval(t *testing.T) {
	now := time.Date(2025, 3, 4, 10, 30, 15, 0, time.UTC)
	cases := map[string][2]string{
		"":          {"2025-03-03T10:31", "2025-03-04T10:31"},
		"preset=1h": {"2025-03-04T09:31", "2025-03-04T10:31"},
		"preset=7d": {"2025-02-25T10:31", "2025-03-04T10:31"},
		"from=2025-01-01T00:00&to=2025-01-02T12:00": {"2025-01-01T00:00", "2025-01-02T12:00"},
		"from=2025-01-02T00:00&to=2025-01-01T00:00": {"2025-03-03T10:31", "2025-03-04T10:31"}, // reversed: default
		"from=garbage": {"2025-03-03T10:31", "2025-03-04T10:31"},
	}
	for q, want := range cases {
		r, _ := http.NewRequest(http.MethodGet, "/history?"+q, nil)
		from, to, _ := interval(r, now)
		if got := [2]string{from.Format(inputLayout), to.Format(inputLayout)}; got != want {
			t.Errorf("interval(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestRecentAndMessageDetail(t *testing.T) {
	h, b := newTestHandler(t)
	at := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	m1 := notify.Message{ID: "n1/0", NotificationID: "n1", Topic: "deliveries", Given: "+14155552671", To: "+14155552671", From: "+14155550100",
		Body: "Parcel " + hostile, Outcome: notify.OutcomeSent, Status: provider.StatusDelivered, Segments: 1, Encoding: "GSM-7", UpdatedAt: at,
		Statuses: []notify.StatusChange{{Status: provider.StatusDelivered, At: at}}, Metadata: map[string]string{"crm": hostile}}
	m2 := notify.Message{ID: "n1/1", NotificationID: "n1", Topic: "deliveries", Given: "+14155552672", To: "+14155552672", Outcome: notify.OutcomeSent, Status: provider.StatusSent, UpdatedAt: at}
	b.recent["deliveries"] = []notify.Message{m1, m2}
	b.messages[m1.ID] = m1
	s := newSession(t, h, "ann", "")
	body := s.get("/recent?topic=deliveries").Body.String()
	wantContains(t, body, "The last 2 messages", "1 delivered", `<span class="delivered-yes"`, `<span class="delivered-no"`, `href="message?id=n1%2f0"`)
	rec := s.get("/message?id=n1/0")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /message: %d", rec.Code)
	}
	body = rec.Body.String()
	wantContains(t, body, "&#43;14155550100", "delivered", "Parcel &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", "<dt>crm</dt>")
	wantNotContains(t, body, hostile)
	if rec := s.get("/message?id=nope"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /message?id=nope: %d, want 404", rec.Code)
	}
}

func TestTopicsActions(t *testing.T) {
	h, b := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	body := s.get("/topics").Body.String()
	wantContains(t, body, `<tr data-topic="default">`, "The default topic cannot be edited.", `value="enable">Re-activate`, `value="disable" class="danger">Disable`)

	steps := []struct {
		form url.Values
		code int
		want string
		ok   func() bool
	}{
		{url.Values{"action": {"create"}, "name": {"returns"}, "title": {"Returns"}}, 200, "Topic &#34;returns&#34; created.",
			func() bool { return b.topics["returns"].Title == "Returns" }},
		{url.Values{"action": {"rename"}, "name": {"returns"}, "title": {"Parcel returns"}}, 200, "renamed",
			func() bool { return b.topics["returns"].Title == "Parcel returns" }},
		{url.Values{"action": {"disable"}, "name": {"returns"}}, 200, "Topic &#34;returns&#34; disabled.",
			func() bool { return b.topics["returns"].Disabled }},
		{url.Values{"action": {"enable"}, "name": {"returns"}}, 200, "Topic &#34;returns&#34; re-activated.",
			func() bool { return !b.topics["returns"].Disabled }},
		{url.Values{"action": {"disable"}, "name": {"default"}}, 403, "The default topic cannot be renamed or disabled.",
			func() bool { return !b.topics["default"].Disabled }},
		{url.Values{"action": {"rename"}, "name": {"default"}, "title": {"X"}}, 403, "cannot be renamed",
			func() bool { return b.topics["default"].Title == "Default" }},
		{url.Values{"action": {"rename"}, "name": {"nope"}, "title": {"X"}}, 404, "not found", func() bool { return true }},
		{url.Values{"action": {"explode"}, "name": {"returns"}}, 400, "Unknown action", func() bool { return true }},
		{url.Values{"action": {"create"}, "name": {""}}, 422, "Type a topic name.", func() bool { return true }},
	}
	for _, st := range steps {
		rec := s.post("/topics", st.form)
		if rec.Code != st.code {
			t.Errorf("POST /topics %v: %d, want %d\n%s", st.form, rec.Code, st.code, rec.Body)
		}
		wantContains(t, rec.Body.String(), st.want)
		if !st.ok() {
			t.Errorf("POST /topics %v: store not changed as expected: %+v", st.form, b.topics)
		}
	}
}

func TestOptOuts(t *testing.T) {
	h, b := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	body := s.get("/optouts?number=%2B14155552671").Body.String()
	wantContains(t, body, "Consent trail of &#43;14155552671", "No consent records.")
	rec := s.post("/optouts", url.Values{"number": {"+14155552671"}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("opt-out without a reason: %d, want 422", rec.Code)
	}
	rec = s.post("/optouts", url.Values{"number": {"+14155552671"}, "reason": {"Asked by phone " + hostile}})
	if rec.Code != http.StatusOK {
		t.Fatalf("opt-out: %d\n%s", rec.Code, rec.Body)
	}
	body = rec.Body.String()
	wantContains(t, body, "&#43;14155552671 is opted out.", "Opted out", "opt-out", "Asked by phone &lt;script&gt;", "<td>ann</td>")
	wantNotContains(t, body, hostile)
	if len(b.trails["+14155552671"]) != 1 {
		t.Errorf("trail %+v", b.trails)
	}
}

func TestReplies(t *testing.T) {
	h, b := newTestHandler(t)
	b.replies = []notify.ReplyRecord{
		{ID: "r1", From: "+14155552671", To: "+14155550100", Topic: "deliveries", Body: "Can you leave it at the door? " + hostile, MessageID: "n1/0"},
		{ID: "r2", From: "+14155552672", Body: "done already", State: notify.ReplyResolved},
	}
	s := newSession(t, h, "ann", "")
	body := s.get("/replies").Body.String()
	wantContains(t, body, "Can you leave it at the door? &lt;script&gt;", `name="id" value="r1"`)
	wantNotContains(t, body, hostile, "done already")
	rec := s.post("/replies", url.Values{"id": {"r1"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("resolve: %d", rec.Code)
	}
	wantContains(t, rec.Body.String(), "Reply resolved.", "No open replies.")
	if rec := s.post("/replies", url.Values{"id": {"r9"}}); rec.Code != http.StatusNotFound {
		t.Errorf("resolve unknown reply: %d, want 404", rec.Code)
	}
}

func TestHostileInputIsEscapedEverywhere(t *testing.T) {
	h, b := newTestHandler(t)
	b.topics["evil"] = notify.Topic{Name: "evil", Title: hostile}
	s := newSession(t, h, hostile, "")
	f := sendValues("preview")
	f.Set("body", "Hello "+hostile)
	f.Set("to", "+14155552671,bad-"+hostile)
	for _, step := range []string{"preview", "confirm", "edit"} {
		f.Set("step", step)
		body := s.post("/send", f).Body.String()
		if strings.Contains(body, hostile) {
			t.Errorf("%s page holds the raw hostile body", step)
		}
		wantContains(t, body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
	}
	for _, p := range []string{"/send", "/topics", "/history", "/recent?topic=" + url.QueryEscape(hostile), "/optouts?number=" + url.QueryEscape(hostile)} {
		body := s.get(p).Body.String()
		if strings.Contains(body, hostile) {
			t.Errorf("GET %s holds the raw hostile value", p)
		}
	}
}

func TestMissingOperationsAreNamed(t *testing.T) {
	h := newHandler(missingBackend{newStub()}, WithAuthenticator(testAuth))
	s := newSession(t, h, "ann", "")
	rec := s.post("/send", sendValues("preview"))
	if rec.Code != http.StatusOK {
		t.Fatalf("preview without Plan: %d\n%s", rec.Code, rec.Body)
	}
	wantContains(t, rec.Body.String(), "does not provide", "<code>Service.Plan</code>", `<dd id="pf-recipients">3</dd>`)
}

// missingBackend is a backend whose notify has no Plan.
type missingBackend struct{ *stubBackend }

func (missingBackend) Plan(context.Context, notify.Notification) (preflight, error) {
	return preflight{}, missing("Service.Plan")
}
