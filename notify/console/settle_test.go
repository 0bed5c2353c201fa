package console

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

// settleConsole is the console over a real Service whose contact point
// "support" needs the role agent, with one message whose send timed out.
func settleConsole(t *testing.T, opts ...Option) (http.Handler, *notify.Service, *fake.Provider, string) {
	t.Helper()
	p := fake.New(fake.FailNumber("+14155552671", fake.Timeout()))
	t.Cleanup(func() { p.Close() })
	svc, err := notify.New(p, notify.WithClock(func() time.Time { return daytime }),
		notify.WithContactPoint(notify.ContactPoint{Name: "support", Numbers: []string{"+14155550100"}, Roles: []string{"agent"}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	rep, err := svc.Send(context.Background(), notify.Notification{From: "support", To: []string{"+14155552671"}, Body: "Your parcel is out",
		Actor: notify.Actor{ID: "seed", Roles: []string{"agent"}}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Results[0].Outcome != notify.OutcomeUnknown {
		t.Fatalf("outcome %v, want unknown", rep.Results[0].Outcome)
	}
	h := New(svc, append([]Option{WithAuthenticator(testAuth), WithClock(func() time.Time { return daytime })}, opts...)...)
	return h, svc, p, rep.Results[0].MessageID
}

func settleForm(id string) url.Values {
	return url.Values{"id": {id}, "note": {"The customer confirmed by phone"}, "confirm_delivered": {"yes"}}
}

// An unknown outcome is marked delivered only once the agent confirms it
// and says how they know; nothing is sent, the message and the tallies say
// delivered, the history names the agent and the note, and a second
// attempt is refused with who did it.
func TestMarkUnknownDelivered(t *testing.T) {
	h, svc, p, id := settleConsole(t)
	ctx := context.Background()
	base := p.Attempts()
	s := newSession(t, h, "ann@example.com", "agent")
	page := s.get("/message?id=" + url.QueryEscape(id)).Body.String()
	wantContains(t, page, `id="settle-form"`, `name="confirm_delivered"`, `name="note"`, "Mark as delivered", `id="resend-form"`)

	for _, c := range []struct {
		name string
		drop string
		want string
	}{
		{"without the confirmation", "confirm_delivered", "Tick that the customer received this text"},
		{"without a note", "note", "Say how you know"},
	} {
		form := settleForm(id)
		form.Del(c.drop)
		rec := s.post("/message-settle", form)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: HTTP %d, want 422", c.name, rec.Code)
		}
		wantContains(t, rec.Body.String(), c.want)
	}
	if d, _ := svc.MessageDetail(ctx, "", id); d.Message.Outcome != notify.OutcomeUnknown {
		t.Fatalf("settled without confirmation and note: %v", d.Message.Outcome)
	}

	rec := s.post("/message-settle", settleForm(id))
	if rec.Code != http.StatusOK {
		t.Fatalf("mark delivered: HTTP %d\n%s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	wantContains(t, body, "Marked as delivered", "ann@example.com", "The customer confirmed by phone", notify.SettledCode)
	wantNotContains(t, body, `id="settle-form"`, `id="resend-form"`)
	d, err := svc.MessageDetail(ctx, "", id)
	if err != nil {
		t.Fatal(err)
	}
	last := d.Message.Statuses[len(d.Message.Statuses)-1]
	if d.Message.Outcome != notify.OutcomeSent || d.Message.Status != provider.StatusDelivered || last.By != "ann@example.com" || last.Note != "The customer confirmed by phone" {
		t.Errorf("after marking delivered: %v %v %+v", d.Message.Outcome, d.Message.Status, last)
	}
	tally, err := svc.TopicTally(ctx, "", notify.DefaultTopic, daytime.Add(-time.Hour), daytime.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if tally != (notify.Tally{Sent: 1, Delivered: 1}) {
		t.Errorf("tally after marking delivered: %+v, want 1 sent, 1 delivered, 0 unknown", tally)
	}

	again := newSession(t, h, "bob@example.com", "agent").post("/message-settle", settleForm(id))
	if again.Code != http.StatusConflict {
		t.Errorf("second mark: HTTP %d, want 409", again.Code)
	}
	wantContains(t, again.Body.String(), "ann@example.com already marked this message as delivered")
	if p.Attempts() != base {
		t.Errorf("marking delivered called the provider: %d calls, want %d", p.Attempts(), base)
	}
}

// Marking delivered needs what the resend needs, checked on the server for
// each role: a contact point the actor's roles allow, and PermSend.
func TestMarkDeliveredPerRole(t *testing.T) {
	perms := func(a notify.Actor, cps []string, p Permission) bool {
		if len(cps) == 0 {
			return false
		}
		if slices.Contains(a.Roles, "analyst") {
			return p == PermView
		}
		return true
	}
	for _, c := range []struct {
		roles   string
		allowed bool
	}{
		{"agent", true},          // a contact point, every permission
		{"agent,analyst", false}, // a contact point, but view only
		{"viewer", false},        // no contact point
		{"", false},              // no roles at all
	} {
		t.Run(c.roles, func(t *testing.T) {
			h, svc, _, id := settleConsole(t, WithPermissions(perms))
			s := newSession(t, h, "pat@example.com", c.roles)
			page := s.get("/message?id=" + url.QueryEscape(id))
			if c.allowed != (page.Code == http.StatusOK && containsAll(page.Body.String(), `id="settle-form"`)) {
				t.Errorf("GET /message as %q: HTTP %d, settle form shown %v; want shown %v", c.roles, page.Code, containsAll(page.Body.String(), `id="settle-form"`), c.allowed)
			}
			rec := s.post("/message-settle", settleForm(id))
			if want := map[bool]int{true: http.StatusOK, false: http.StatusForbidden}[c.allowed]; rec.Code != want {
				t.Errorf("POST /message-settle as %q: HTTP %d, want %d", c.roles, rec.Code, want)
			}
			d, err := svc.MessageDetail(context.Background(), "", id)
			if err != nil {
				t.Fatal(err)
			}
			if settled := d.Message.Outcome == notify.OutcomeSent; settled != c.allowed {
				t.Errorf("as %q: outcome %v after the request, want settled %v", c.roles, d.Message.Outcome, c.allowed)
			}
		})
	}
}

// Only an unknown outcome offers the action, and the server refuses it for
// anything else.
func TestMarkDeliveredOnlyUnknown(t *testing.T) {
	h, b := newTestHandler(t)
	b.messages["m2"] = notify.Message{ID: "m2", To: "+14155552671", Outcome: notify.OutcomeSent, Status: provider.StatusSent}
	s := newSession(t, h, "ann", "")
	wantNotContains(t, s.get("/message?id=m2").Body.String(), `id="settle-form"`)
	rec := s.post("/message-settle", settleForm("m2"))
	if rec.Code != http.StatusConflict {
		t.Errorf("mark a sent message delivered: HTTP %d, want 409", rec.Code)
	}
	wantContains(t, rec.Body.String(), "Only a message whose outcome is unknown")
	if rec := s.post("/message-settle", settleForm("nope")); rec.Code != http.StatusNotFound {
		t.Errorf("mark a missing message delivered: HTTP %d, want 404", rec.Code)
	}
	if len(b.settled) != 0 {
		t.Errorf("refused requests settled %v", b.settled)
	}
}

func containsAll(body string, subs ...string) bool {
	for _, s := range subs {
		if !strings.Contains(body, s) {
			return false
		}
	}
	return true
}
