package console

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

// daytime is a time outside quiet hours in every US time zone.
var daytime = time.Date(2025, 3, 4, 18, 0, 0, 0, time.UTC)

// newServiceConsole returns a console over a real Service with the fake
// provider and two contact points: "support" for everyone, "billing" for
// the billing role.
func newServiceConsole(t *testing.T) (http.Handler, *notify.Service, *fake.Provider) {
	t.Helper()
	p := fake.New()
	t.Cleanup(func() { p.Close() })
	svc, err := notify.New(p,
		notify.WithClock(func() time.Time { return daytime }),
		notify.WithContactPoint(notify.ContactPoint{Name: "support", Numbers: []string{"+14155550100"}}),
		notify.WithContactPoint(notify.ContactPoint{Name: "billing", Numbers: []string{"+14155550101"}, Roles: []string{"billing"}}),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	return New(svc, WithAuthenticator(testAuth), WithClock(func() time.Time { return daytime })), svc, p
}

func TestServiceSendFlow(t *testing.T) {
	h, svc, p := newServiceConsole(t)
	ctx := context.Background()
	if _, err := svc.CreateTopic(ctx, "", "deliveries", "Delivery updates"); err != nil {
		t.Fatal(err)
	}
	s := newSession(t, h, "ann", "")
	body := s.get("/send").Body.String()
	wantContains(t, body, `value="support"`, `<option value="deliveries"`)
	wantNotContains(t, body, `value="billing"`)

	f := url.Values{"from": {"support"}, "topic": {"deliveries"}, "to": {"+1 415 555 2671, 12345\n+14155552672"}, "body": {"Your parcel arrives today " + hostile}}
	f.Set("step", "preview")
	rec := s.post("/send", f)
	if rec.Code != http.StatusOK {
		t.Fatalf("preview: %d\n%s", rec.Code, rec.Body)
	}
	wantContains(t, rec.Body.String(), `<dd id="pf-recipients">3</dd>`, `<dd id="pf-valid">2</dd>`, `<dd id="pf-invalid">1</dd>`, "<td>12345</td>")
	if n := len(p.Sent()); n != 0 {
		t.Fatalf("preview sent %d messages", n)
	}

	f.Set("step", "confirm")
	rec = s.post("/send", f)
	if rec.Code != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", rec.Code, rec.Body)
	}
	body = rec.Body.String()
	wantContains(t, body, `<td class="number">12345</td>`, "invalid")
	wantNotContains(t, body, hostile)
	if n := len(p.Sent()); n != 2 {
		t.Fatalf("sent %d messages, want 2", n)
	}

	hist := s.get("/history").Body.String()
	wantContains(t, hist, `<tr data-topic="deliveries">`, `<td class="sent">2</td><td class="delivered">0</td>`)
	recent, err := svc.RecentMessages(ctx, "", "deliveries", 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range recent {
		if m.ProviderID == "" {
			continue
		}
		if err := svc.HandleStatus(ctx, provider.StatusUpdate{Provider: m.Provider, ID: m.ProviderID, Status: provider.StatusDelivered, At: m.UpdatedAt}); err != nil {
			t.Fatal(err)
		}
	}
	hist = s.get("/history").Body.String()
	wantContains(t, hist, `<td class="sent">2</td><td class="delivered">2</td>`)
	rb := s.get("/recent?topic=deliveries").Body.String()
	wantContains(t, rb, "2 delivered")
	wantNotContains(t, rb, hostile)
	mb := s.get("/message?id=" + url.QueryEscape(recent[0].ID))
	if mb.Code != http.StatusOK {
		t.Fatalf("message detail: %d\n%s", mb.Code, mb.Body)
	}
	wantContains(t, mb.Body.String(), "Your parcel arrives today &lt;script&gt;", "delivered")
}

func TestServiceForbiddenContactPointAndDisabledTopic(t *testing.T) {
	h, svc, p := newServiceConsole(t)
	ctx := context.Background()
	if _, err := svc.CreateTopic(ctx, "", "old", "Old"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DisableTopic(ctx, "", "old"); err != nil {
		t.Fatal(err)
	}
	s := newSession(t, h, "ann", "")
	f := url.Values{"from": {"billing"}, "to": {"+14155552671"}, "body": {"hi"}, "step": {"confirm"}}
	if rec := s.post("/send", f); rec.Code != http.StatusForbidden {
		t.Errorf("send from billing as ann: %d, want 403", rec.Code)
	}
	f.Set("from", "support")
	f.Set("topic", "old")
	if rec := s.post("/send", f); rec.Code != http.StatusConflict {
		t.Errorf("send to a disabled topic: %d, want 409", rec.Code)
	}
	if n := len(p.Sent()); n != 0 {
		t.Errorf("sent %d messages", n)
	}
	// The billing role may use billing.
	b := newSession(t, h, "bill", "billing")
	f.Set("from", "billing")
	f.Del("topic")
	if rec := b.post("/send", f); rec.Code != http.StatusOK {
		t.Errorf("send from billing as bill: %d\n%s", rec.Code, rec.Body)
	}
}

func TestServiceTopicsOptOutsReplies(t *testing.T) {
	h, svc, _ := newServiceConsole(t)
	ctx := context.Background()
	s := newSession(t, h, "ann", "")
	for _, f := range []url.Values{
		{"action": {"create"}, "name": {"returns"}, "title": {"Returns"}},
		{"action": {"rename"}, "name": {"returns"}, "title": {"Parcel returns"}},
		{"action": {"disable"}, "name": {"returns"}},
	} {
		if rec := s.post("/topics", f); rec.Code != http.StatusOK {
			t.Fatalf("POST /topics %v: %d\n%s", f, rec.Code, rec.Body)
		}
	}
	tp, err := svc.Topic(ctx, "", "returns")
	if err != nil || tp.Title != "Parcel returns" || !tp.Disabled {
		t.Errorf("topic %+v, %v", tp, err)
	}
	if rec := s.post("/topics", url.Values{"action": {"disable"}, "name": {"default"}}); rec.Code != http.StatusForbidden {
		t.Errorf("disable default: %d, want 403", rec.Code)
	}
	if rec := s.post("/topics", url.Values{"action": {"create"}, "name": {"returns"}}); rec.Code == http.StatusOK {
		t.Errorf("create an existing topic: 200")
	}

	rec := s.post("/optouts", url.Values{"number": {"+14155552671"}, "reason": {"asked by phone"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("opt-out: %d\n%s", rec.Code, rec.Body)
	}
	wantContains(t, rec.Body.String(), "Opted out", "asked by phone", "<td>ann</td>")
	if rec := s.post("/optouts", url.Values{"number": {"not a number"}, "reason": {"x"}}); rec.Code == http.StatusOK {
		t.Errorf("opt-out of an invalid number: 200")
	}

	if err := svc.HandleInbound(ctx, provider.Inbound{Provider: "fake", From: "+14155552673", To: "+14155550100", Body: "Where is my parcel?"}); err != nil {
		t.Fatal(err)
	}
	body := s.get("/replies").Body.String()
	wantContains(t, body, "Where is my parcel?")
	rs, err := svc.Replies(ctx, "", notify.ReplyOpen)
	if err != nil || len(rs) != 1 {
		t.Fatalf("replies %v, %v", rs, err)
	}
	if rec := s.post("/replies", url.Values{"id": {rs[0].ID}}); rec.Code != http.StatusOK {
		t.Fatalf("resolve: %d", rec.Code)
	}
	if rs, _ := svc.Replies(ctx, "", notify.ReplyOpen); len(rs) != 0 {
		t.Errorf("reply still open: %v", rs)
	}
}
