package console

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

const (
	customer = "+14155552671"
	ourNum   = "+14155550100"
	// htmlCustomer is customer as html/template writes it in a page.
	htmlCustomer = "&#43;14155552671"
)

// newConversationConsole is a console over a real Service whose clock moves
// one second per reading (so a thread has an order), in a US afternoon.
func newConversationConsole(t *testing.T) (http.Handler, *notify.Service, *fake.Provider) {
	t.Helper()
	var tick atomic.Int64
	clock := func() time.Time { return daytime.Add(time.Duration(tick.Add(1)) * time.Second) }
	p := fake.New()
	t.Cleanup(func() { p.Close() })
	svc, err := notify.New(p, notify.WithClock(clock),
		notify.WithContactPoint(notify.ContactPoint{Name: "support", Numbers: []string{ourNum}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	return New(svc, WithAuthenticator(testAuth), WithClock(clock)), svc, p
}

func inbound(t *testing.T, svc *notify.Service, id, body string) {
	t.Helper()
	if err := svc.HandleInbound(context.Background(), provider.Inbound{ID: id, From: customer, To: ourNum, Body: body}); err != nil {
		t.Fatal(err)
	}
}

type entriesJSON struct {
	Entries []threadEntry `json:"entries"`
	Open    int           `json:"open"`
}

func entries(t *testing.T, s *session) entriesJSON {
	t.Helper()
	rec := s.get("/conversation-entries?" + url.Values{"number": {customer}, "sender": {ourNum}}.Encode())
	if rec.Code != http.StatusOK {
		t.Fatalf("conversation-entries: %d %s", rec.Code, rec.Body)
	}
	var d entriesJSON
	if err := json.NewDecoder(rec.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestConversationThreadReplyAndResolve(t *testing.T) {
	h, svc, p := newConversationConsole(t)
	ctx := context.Background()
	if _, err := svc.Send(ctx, notify.Notification{From: "support", To: []string{customer}, Body: "Your parcel ships today"}); err != nil {
		t.Fatal(err)
	}
	inbound(t, svc, "in-1", "Can you leave it at the door?")
	s := newSession(t, h, "ann", "")

	// The list, searched by number in any format.
	list := s.get("/conversations").Body.String()
	wantContains(t, list, htmlCustomer, "Can you leave it at the door?", "1 open")
	wantContains(t, s.get("/conversations?q="+url.QueryEscape("(415) 555-2671")).Body.String(), htmlCustomer)
	wantNotContains(t, s.get("/conversations?q=999").Body.String(), htmlCustomer)

	// The thread, in order.
	link := "/conversation?" + url.Values{"number": {customer}, "sender": {ourNum}}.Encode()
	page := s.get(link).Body.String()
	i, j := strings.Index(page, "Your parcel ships today"), strings.Index(page, "Can you leave it at the door?")
	if i < 0 || j < 0 || i > j {
		t.Fatalf("thread not in order (notice at %d, reply at %d):\n%s", i, j, page)
	}

	// The reply box sends through the normal gate.
	form := url.Values{"number": {customer}, "sender": {ourNum}, "body": {"Sure, we will leave it there."}}
	rec := s.post("/conversation", form)
	if rec.Code != http.StatusOK {
		t.Fatalf("reply: %d\n%s", rec.Code, rec.Body)
	}
	wantContains(t, rec.Body.String(), "Reply sent.")
	sent := p.SentTo(customer)
	if len(sent) != 2 || sent[1].Body != "Sure, we will leave it there." || sent[1].From != ourNum {
		t.Errorf("sent to the customer: %+v", sent)
	}
	if d := entries(t, s); len(d.Entries) != 3 || d.Entries[2].Inbound || d.Open != 1 {
		t.Errorf("thread after the reply: %+v", d)
	}

	// New replies show in the polled entries without a reload.
	inbound(t, svc, "in-2", "Thanks!")
	d := entries(t, s)
	if len(d.Entries) != 4 || d.Entries[3].Body != "Thanks!" || !d.Entries[3].Inbound || d.Open != 2 {
		t.Errorf("polled thread after a new reply: %+v", d)
	}

	// Resolve: the conversation moves from open to resolved.
	if rec := s.post("/conversation-resolve", url.Values{"number": {customer}, "sender": {ourNum}}); rec.Code != http.StatusOK {
		t.Fatalf("resolve: %d\n%s", rec.Code, rec.Body)
	}
	if d := entries(t, s); d.Open != 0 {
		t.Errorf("open replies after resolve: %d", d.Open)
	}
	wantNotContains(t, s.get("/conversations?state=open").Body.String(), htmlCustomer)
	wantContains(t, s.get("/conversations?state=resolved").Body.String(), htmlCustomer)

	// An opted-out customer is refused by the same compliance gate.
	if err := svc.OptOut(ctx, "", customer, notify.Actor{ID: "ann"}, "asked by phone"); err != nil {
		t.Fatal(err)
	}
	rec = s.post("/conversation", url.Values{"number": {customer}, "sender": {ourNum}, "body": {"One more thing"}})
	wantContains(t, rec.Body.String(), "Not sent: denied consent.opted-out")
	if n := len(p.SentTo(customer)); n != 2 {
		t.Errorf("%d texts to an opted-out customer, want still 2", n)
	}
}

// A sender number of no contact point the actor may use cannot be replied from.
func TestConversationReplyNeedsTheContactPoint(t *testing.T) {
	h, _, p := newConversationConsole(t)
	s := newSession(t, h, "ann", "")
	rec := s.post("/conversation", url.Values{"number": {customer}, "sender": {"+14155550199"}, "body": {"hi"}})
	if rec.Code != http.StatusForbidden || len(p.Sent()) != 0 {
		t.Errorf("reply from a foreign number: %d, %d sent", rec.Code, len(p.Sent()))
	}
}

// Each open reply links to its conversation.
func TestRepliesLinkToConversation(t *testing.T) {
	h, svc, _ := newConversationConsole(t)
	inbound(t, svc, "in-1", "Where is my parcel?")
	s := newSession(t, h, "ann", "")
	wantContains(t, s.get("/replies").Body.String(), `href="conversation?number=%2b14155552671&amp;sender=%2b14155550100"`)
}
