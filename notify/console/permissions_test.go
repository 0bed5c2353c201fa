package console

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider/fake"
)

// newRoleHandler is the console over a stub whose contact points all need
// a role: "agent" may use support, "billing" may use billing.
func newRoleHandler(t *testing.T, opts ...Option) (*handler, *stubBackend) {
	t.Helper()
	b := newStub()
	b.cps[0].roles = []string{"agent"}
	b.trails["+14155552671"] = []compliance.Record{{Number: "+14155552671", Action: compliance.ActionOptIn}}
	b.replies = []notify.ReplyRecord{{ID: "r1", From: "+14155552671", Body: "hello", State: notify.ReplyOpen}}
	b.messages["m1"] = notify.Message{ID: "m1", To: "+14155552671"}
	return newHandler(b, append([]Option{WithAuthenticator(testAuth)}, opts...)...), b
}

// outboundRequests is every request of the outbound area, with the
// permission it needs.
var outboundRequests = []struct {
	method, path string
	form         url.Values
	perm         Permission
}{
	{"GET", "/history", nil, PermView},
	{"GET", "/recent?topic=default", nil, PermView},
	{"GET", "/message?id=m1", nil, PermView},
	{"GET", "/topics", nil, PermView},
	{"GET", "/optouts?number=%2B14155552671", nil, PermView},
	{"GET", "/replies", nil, PermView},
	{"POST", "/topics", url.Values{"action": {"create"}, "name": {"promo"}}, PermManageTopics},
	{"POST", "/topics", url.Values{"action": {"disable"}, "name": {"deliveries"}}, PermManageTopics},
	{"POST", "/optouts", url.Values{"number": {"+14155552671"}, "reason": {"asked by phone"}}, PermRecordConsent},
	{"POST", "/optins", url.Values{"number": {"+14155552671"}, "evidence": {"form F-1"}}, PermRecordConsent},
	{"POST", "/replies", url.Values{"id": {"r1"}}, PermSend},
	{"POST", "/message-resend", url.Values{"id": {"m1"}}, PermSend},
	{"POST", "/message-settle", url.Values{"id": {"m1"}, "note": {"confirmed by phone"}, "confirm_delivered": {"yes"}}, PermSend},
	{"GET", "/conversations", nil, PermView},
	{"GET", "/conversation?number=%2B14155552671&sender=%2B14155550100", nil, PermView},
	{"GET", "/conversation-entries?number=%2B14155552671&sender=%2B14155550100", nil, PermView},
	{"POST", "/conversation", url.Values{"number": {"+14155552671"}, "sender": {"+14155550100"}, "body": {"hi"}}, PermSend},
	{"POST", "/conversation-resolve", url.Values{"number": {"+14155552671"}, "sender": {"+14155550100"}}, PermSend},
	{"POST", "/notification-resume", url.Values{"id": {"m1"}}, PermSend},
	{"POST", "/notification-resume", url.Values{"notification": {"n7"}}, PermSend},
	{"POST", "/send", url.Values{"from": {"support"}, "to": {"+14155552671"}, "body": {"hi"}, "step": {"confirm"}}, PermSend},
	{"POST", "/analyze", url.Values{"text": {"hi"}}, PermSend},
}

// A person with no contact point they may send from sees and changes
// nothing in the outbound area: every request is refused on the server.
func TestNoContactPointNoOutboundArea(t *testing.T) {
	h, b := newRoleHandler(t)
	s := newSession(t, h, "vic", "viewer")
	for _, r := range outboundRequests {
		var code int
		if r.method == "GET" {
			code = s.get(r.path).Code
		} else {
			code = s.post(r.path, r.form).Code
		}
		if code != http.StatusForbidden {
			t.Errorf("%s %s as a person with no contact point: HTTP %d, want 403", r.method, r.path, code)
		}
	}
	if len(b.sends) != 0 || len(b.settled) != 0 || len(b.resumed) != 0 || b.topics["promo"].Name != "" || b.topics["deliveries"].Disabled || len(b.trails["+14155552671"]) != 1 || b.replies[0].State != notify.ReplyOpen {
		t.Errorf("a refused request changed something: sends %d, topics %v, trail %v, replies %v", len(b.sends), b.topics, b.trails, b.replies)
	}
	// The Send page says why, and the header links to no other page.
	body := s.get("/send").Body.String()
	wantContains(t, body, "You may not send from any contact point")
	wantNotContains(t, body, `href="history"`, `href="topics"`, `href="optouts"`, `href="replies"`)
}

// A person with a contact point may do everything, by default.
func TestContactPointGrantsOutboundArea(t *testing.T) {
	for _, roles := range []string{"agent", "billing"} {
		h, _ := newRoleHandler(t)
		s := newSession(t, h, "ann", roles)
		for _, r := range outboundRequests {
			var code int
			if r.method == "GET" {
				code = s.get(r.path).Code
			} else {
				form := r.form
				if form.Has("sender") && roles == "billing" {
					form = url.Values{"number": form["number"], "sender": {"+14155550101"}, "body": form["body"]}
				}
				if form.Has("from") {
					form = url.Values{"from": {roles}, "to": form["to"], "body": form["body"], "step": form["step"]}
					if roles == "agent" {
						form.Set("from", "support")
					}
				}
				code = s.post(r.path, form).Code
			}
			if code == http.StatusForbidden {
				t.Errorf("%s %s as %s: HTTP 403, want allowed", r.method, r.path, roles)
			}
		}
	}
}

// WithPermissions narrows the default per role, and each permission is
// checked on the server whatever the page showed.
func TestWithPermissionsPerRole(t *testing.T) {
	perms := func(a notify.Actor, cps []string, p Permission) bool {
		if len(cps) == 0 {
			return false
		}
		switch {
		case slices.Contains(a.Roles, "lead"):
			return true
		case slices.Contains(a.Roles, "analyst"):
			return p == PermView
		case slices.Contains(a.Roles, "compliance"):
			return p == PermView || p == PermRecordConsent
		}
		return p == PermView || p == PermSend // agents
	}
	grants := map[string][]Permission{
		"agent,lead":       {PermView, PermSend, PermManageTopics, PermRecordConsent},
		"agent,analyst":    {PermView},
		"agent,compliance": {PermView, PermRecordConsent},
		"agent":            {PermView, PermSend},
		"analyst":          {}, // no contact point
	}
	for roles, granted := range grants {
		h, _ := newRoleHandler(t, WithPermissions(perms))
		s := newSession(t, h, "ann", roles)
		for _, r := range outboundRequests {
			var code int
			if r.method == "GET" {
				code = s.get(r.path).Code
			} else {
				code = s.post(r.path, r.form).Code
			}
			if want := slices.Contains(granted, r.perm); want != (code != http.StatusForbidden) {
				t.Errorf("%s %s as %s: HTTP %d, want allowed=%v", r.method, r.path, roles, code, want)
			}
		}
	}
	// The pages show only the links and forms the actor may use.
	h, _ := newRoleHandler(t, WithPermissions(perms))
	s := newSession(t, h, "ann", "agent,analyst")
	wantNotContains(t, s.get("/topics").Body.String(), `id="create-topic"`, `value="disable"`)
	wantNotContains(t, s.get("/optouts").Body.String(), `id="opt-out"`)
	wantNotContains(t, s.get("/history").Body.String(), `href="send"`)
}

// Over a real Service: a person whose roles no contact point allows cannot
// read history or record an opt-out; the ledger stays empty.
func TestServicePermissionsByRole(t *testing.T) {
	p := fake.New()
	t.Cleanup(func() { p.Close() })
	svc, err := notify.New(p, notify.WithClock(func() time.Time { return daytime }),
		notify.WithContactPoint(notify.ContactPoint{Name: "support", Numbers: []string{"+14155550100"}, Roles: []string{"agent"}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	h := New(svc, WithAuthenticator(testAuth))
	viewer := newSession(t, h, "vic", "viewer")
	if code := viewer.get("/history").Code; code != http.StatusForbidden {
		t.Errorf("viewer GET /history: %d, want 403", code)
	}
	if code := viewer.post("/optouts", url.Values{"number": {"+14155552671"}, "reason": {"x"}}).Code; code != http.StatusForbidden {
		t.Errorf("viewer POST /optouts: %d, want 403", code)
	}
	if code := viewer.post("/topics", url.Values{"action": {"create"}, "name": {"promo"}}).Code; code != http.StatusForbidden {
		t.Errorf("viewer POST /topics: %d, want 403", code)
	}
	trail, err := svc.ConsentTrail(context.Background(), "", "+14155552671")
	if err != nil || len(trail) != 0 {
		t.Errorf("consent trail after a refused opt-out: %v, %v", trail, err)
	}
	agent := newSession(t, h, "ann", "agent")
	if code := agent.post("/optouts", url.Values{"number": {"+14155552671"}, "reason": {"asked by phone"}}).Code; code != http.StatusOK {
		t.Errorf("agent POST /optouts: %d, want 200", code)
	}
	if trail, _ := svc.ConsentTrail(context.Background(), "", "+14155552671"); len(trail) != 1 {
		t.Errorf("agent's opt-out: trail %v, want one record", trail)
	}
}
