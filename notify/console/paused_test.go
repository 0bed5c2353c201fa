package console

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider/fake"
)

// The History page lists the account's paused notifications with why each
// paused, and resumes one; a notification it does not list is never
// resumed from there.
func TestHistoryListsPausedNotifications(t *testing.T) {
	h, b := newTestHandler(t)
	b.paused = []notify.NotificationRecord{
		{ID: "n7", Topic: "deliveries", Total: 120, State: notify.NotificationPaused, PauseReason: "opt-outs passed 5%", CreatedAt: daytime},
		{ID: "n8", Topic: "default", Total: 3, State: notify.NotificationPaused, CreatedAt: daytime},
	}
	s := newSession(t, h, "ann", "")
	page := s.get("/history").Body.String()
	wantContains(t, page, `id="paused-list"`, `data-notification="n7"`, "opt-outs passed 5%", `data-notification="n8"`, "no reason given", `name="notification" value="n7"`)

	if rec := s.post("/notification-resume", url.Values{"notification": {"n9"}}); rec.Code != http.StatusConflict {
		t.Errorf("resume a notification the list does not hold: HTTP %d, want 409", rec.Code)
	}
	rec := s.post("/notification-resume", url.Values{"notification": {"n7"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("resume n7: HTTP %d\n%s", rec.Code, rec.Body)
	}
	wantContains(t, rec.Body.String(), "Resumed notification n7")
	wantNotContains(t, rec.Body.String(), `data-notification="n7"`)
	if len(b.resumed) != 1 || b.resumed[0] != "n7" {
		t.Errorf("resumed %v, want [n7]", b.resumed)
	}

	// Without PermSend the list is shown without its Resume buttons.
	h, b = newTestHandler(t, WithPermissions(func(_ notify.Actor, cps []string, p Permission) bool { return len(cps) > 0 && p == PermView }))
	b.paused = []notify.NotificationRecord{{ID: "n7", State: notify.NotificationPaused, PauseReason: "held"}}
	page = newSession(t, h, "ann", "").get("/history").Body.String()
	wantContains(t, page, `data-notification="n7"`, "held")
	wantNotContains(t, page, `name="notification"`)

	// With none paused, there is no list.
	h, _ = newTestHandler(t)
	wantNotContains(t, newSession(t, h, "ann", "").get("/history").Body.String(), `id="paused-list"`)
}

// Over a real Service: a notification paused with a reason is listed on
// History and resumes from there.
func TestHistoryResumesPausedNotification(t *testing.T) {
	p := fake.New()
	h, svc := actionsConsole(t, p)
	rep := pausedNotification(t, svc)
	s := newSession(t, h, "ann", "")
	wantContains(t, s.get("/history").Body.String(), `data-notification="`+rep.NotificationID+`"`, "checking the list with legal")
	rec := s.post("/notification-resume", url.Values{"notification": {rep.NotificationID}})
	if rec.Code != http.StatusOK {
		t.Fatalf("resume: HTTP %d\n%s", rec.Code, rec.Body)
	}
	wantNotContains(t, rec.Body.String(), `id="paused-list"`)
	if paused, err := svc.Paused(context.Background(), ""); err != nil || len(paused) != 0 {
		t.Errorf("paused after the resume: %v, %v", paused, err)
	}
}
