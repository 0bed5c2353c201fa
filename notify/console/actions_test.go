package console

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider/fake"
)

func actionsConsole(t *testing.T, p *fake.Provider) (http.Handler, *notify.Service) {
	t.Helper()
	t.Cleanup(func() { p.Close() })
	svc, err := notify.New(p, notify.WithClock(func() time.Time { return daytime }),
		notify.WithContactPoint(notify.ContactPoint{Name: "support", Numbers: []string{"+14155550100"}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	return New(svc, WithAuthenticator(testAuth), WithClock(func() time.Time { return daytime })), svc
}

// An unknown outcome (the provider timed out after the request went out)
// is resent only after the agent accepts that the customer may get the
// text twice, and only once however often the form is posted.
func TestResendUnknownNeedsConfirmation(t *testing.T) {
	p := fake.New(fake.FailNth(1, fake.Timeout()))
	h, svc := actionsConsole(t, p)
	rep, err := svc.Send(context.Background(), notify.Notification{From: "support", To: []string{"+14155552671"}, Body: "Your parcel is out"})
	if err != nil {
		t.Fatal(err)
	}
	id := rep.Results[0].MessageID
	if rep.Results[0].Outcome != notify.OutcomeUnknown {
		t.Fatalf("outcome %v, want unknown", rep.Results[0].Outcome)
	}
	base := p.Attempts() // the fake may count the timed-out text as sent: it may well have arrived
	s := newSession(t, h, "ann", "")
	page := s.get("/message?id=" + url.QueryEscape(id)).Body.String()
	wantContains(t, page, `id="resend-form"`, "may get this text twice")

	if rec := s.post("/message-resend", url.Values{"id": {id}}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("resend without accepting a double text: %d, want 422", rec.Code)
	}
	if p.Attempts() != base {
		t.Fatalf("resent without confirmation: %d provider calls, want %d", p.Attempts(), base)
	}
	for range 2 {
		rec := s.post("/message-resend", url.Values{"id": {id}, "accept_double": {"yes"}})
		if rec.Code != http.StatusOK {
			t.Fatalf("resend: %d\n%s", rec.Code, rec.Body)
		}
		wantContains(t, rec.Body.String(), "Resent")
	}
	if p.Attempts() != base+1 {
		t.Errorf("%d provider calls after two confirmed resends, want %d", p.Attempts(), base+1)
	}
}

// A paused notification shows why it paused and resumes from the console.
func TestResumePausedNotification(t *testing.T) {
	p := fake.New()
	h, svc := actionsConsole(t, p)
	rep := pausedNotification(t, svc)
	id := rep.Results[0].MessageID
	s := newSession(t, h, "ann", "")
	page := s.get("/message?id=" + url.QueryEscape(id)).Body.String()
	wantContains(t, page, "Paused", "checking the list with legal", `id="resume-form"`)

	rec := s.post("/notification-resume", url.Values{"id": {id}})
	if rec.Code != http.StatusOK {
		t.Fatalf("resume: %d\n%s", rec.Code, rec.Body)
	}
	wantContains(t, rec.Body.String(), "Resumed")
	d, err := svc.MessageDetail(context.Background(), "", id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Notification.State == notify.NotificationPaused {
		t.Errorf("notification still paused after resume")
	}
}

// The result of a send the reputation guard paused offers the resume.
func TestSentPagePausedOffersResume(t *testing.T) {
	h, b := newTestHandler(t)
	b.report = func(n notify.Notification) *notify.Report {
		return &notify.Report{NotificationID: "n9", Paused: true, PauseReason: "opt-outs passed 5%",
			Counts:  map[notify.Outcome]int{notify.OutcomePending: 1},
			Results: []notify.Result{{Given: "+14155552671", To: "+14155552671", Outcome: notify.OutcomePending, MessageID: "n9/0"}}}
	}
	s := newSession(t, h, "ann", "")
	rec := s.post("/send", sendValues("confirm"))
	wantContains(t, rec.Body.String(), "Paused: opt-outs passed 5%", `id="resume-form"`, `value="n9/0"`)
}

// pausedNotification sends one text due in an hour through svc and pauses
// it "checking the list with legal".
func pausedNotification(t *testing.T, svc *notify.Service) *notify.Report {
	t.Helper()
	ctx := context.Background()
	rep, err := svc.Send(ctx, notify.Notification{From: "support", To: []string{"+14155552671"}, Body: "Spring offers", SendAfter: daytime.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Pause(ctx, rep.NotificationID, "checking the list with legal"); err != nil {
		t.Fatal(err)
	}
	return rep
}
