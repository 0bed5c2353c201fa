package notifytest

import (
	"context"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
)

func testPaused(t *testing.T, s notify.Store) {
	ctx := context.Background()
	put := func(id, acct string, at time.Time, state notify.NotificationState, why string) notify.NotificationRecord {
		t.Helper()
		rec := notify.NotificationRecord{ID: id, Account: acct, Topic: topic, State: notify.NotificationPending,
			Notification: notify.Notification{Account: acct, From: sender, Body: "Spring sale", Topic: topic}, CreatedAt: at, UpdatedAt: at}
		_, _, err := s.CreateNotification(ctx, rec)
		must(t, err)
		if state != notify.NotificationPending {
			rec.State, rec.PauseReason, rec.UpdatedAt = state, why, at.Add(time.Minute)
			must(t, s.UpdateNotification(ctx, rec))
		}
		return rec
	}
	a := put("a", account, t0, notify.NotificationPaused, "opt-out rate above 2%")
	b := put("b", account, t0.Add(-time.Hour), notify.NotificationPaused, "held for legal review")
	put("c", account, t0.Add(-2*time.Hour), notify.NotificationPending, "")
	put("d", account, t0.Add(-3*time.Hour), notify.NotificationDone, "")
	g := put("g", "globex", t0, notify.NotificationPaused, "sender refused")

	got, err := s.Paused(ctx, account)
	must(t, err)
	diff(t, "Paused", []notify.NotificationRecord{b, a}, got)
	got, err = s.Paused(ctx, "globex")
	must(t, err)
	diff(t, "Paused of another account", []notify.NotificationRecord{g}, got)
	got, err = s.Paused(ctx, "initech")
	must(t, err)
	diff(t, "Paused of an account with none", []notify.NotificationRecord(nil), got)

	b.State, b.PauseReason = notify.NotificationPending, "" // resumed
	must(t, s.UpdateNotification(ctx, b))
	got, err = s.Paused(ctx, account)
	must(t, err)
	diff(t, "Paused after a resume", []notify.NotificationRecord{a}, got)
}
