package notifytest

import (
	"context"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
)

func testTopics(t *testing.T, s notify.Store) {
	ctx := context.Background()
	_, err := s.Topic(ctx, account, "billing")
	wantErr(t, "Topic before PutTopic", err, notify.ErrNotFound)
	billing := notify.Topic{Account: account, Name: "billing", Title: "Billing", CreatedAt: t0, UpdatedAt: t0}
	alerts := notify.Topic{Account: account, Name: "alerts", Title: "Alerts", CreatedAt: t0, UpdatedAt: t0}
	foreign := notify.Topic{Account: "globex", Name: "billing", Title: "Globex billing", CreatedAt: t0, UpdatedAt: t0}
	for _, tp := range []notify.Topic{billing, alerts, foreign} {
		must(t, s.PutTopic(ctx, tp))
	}
	got, err := s.Topic(ctx, account, "billing")
	must(t, err)
	diff(t, "Topic", billing, got)

	billing.Title, billing.Disabled, billing.UpdatedAt = "Invoices", true, t0.Add(time.Hour)
	must(t, s.PutTopic(ctx, billing))
	list, err := s.Topics(ctx, account)
	must(t, err)
	diff(t, "Topics", []notify.Topic{alerts, billing}, list)
	list, err = s.Topics(ctx, "globex")
	must(t, err)
	diff(t, "Topics of another account", []notify.Topic{foreign}, list)
	list, err = s.Topics(ctx, "nobody")
	must(t, err)
	diff(t, "Topics of an unknown account", []notify.Topic(nil), list)
}

func testReplies(t *testing.T, s notify.Store) {
	ctx := context.Background()
	var added []notify.ReplyRecord
	for i, body := range []string{"When does it arrive?", "Thanks", "Wrong address"} {
		r, err := s.AddReply(ctx, notify.ReplyRecord{
			Account: account, Topic: topic, NotificationID: "n", MessageID: "n/0",
			From: number(i), To: sender, Body: body, Received: t0.Add(time.Duration(i) * time.Minute),
			Metadata: map[string]string{"i": body},
		})
		must(t, err)
		if r.ID == "" {
			t.Fatal("AddReply assigned no ID")
		}
		added = append(added, r)
	}
	if added[0].ID == added[1].ID {
		t.Errorf("AddReply assigned the same ID twice: %s", added[0].ID)
	}
	named, err := s.AddReply(ctx, notify.ReplyRecord{ID: "mine", Account: "globex", From: number(9), To: sender, Body: "hi", Received: t0})
	must(t, err)
	if named.ID != "mine" {
		t.Errorf("AddReply changed the given ID to %q", named.ID)
	}
	if _, err := s.AddReply(ctx, notify.ReplyRecord{ID: "mine", Account: "globex", Received: t0}); err == nil {
		t.Error("AddReply with an existing ID: no error")
	}

	open, err := s.Replies(ctx, account, notify.ReplyOpen)
	must(t, err)
	diff(t, "open replies", []notify.ReplyRecord{added[2], added[1], added[0]}, open)

	must(t, s.ResolveReply(ctx, account, added[1].ID))
	wantErr(t, "ResolveReply from another account", s.ResolveReply(ctx, "globex", added[0].ID), notify.ErrNotFound)
	wantErr(t, "ResolveReply of an unknown reply", s.ResolveReply(ctx, account, "nope"), notify.ErrNotFound)

	open, err = s.Replies(ctx, account, notify.ReplyOpen)
	must(t, err)
	diff(t, "open replies after resolve", []notify.ReplyRecord{added[2], added[0]}, open)
	resolved, err := s.Replies(ctx, account, notify.ReplyResolved)
	must(t, err)
	added[1].State = notify.ReplyResolved
	diff(t, "resolved replies", []notify.ReplyRecord{added[1]}, resolved)
	other, err := s.Replies(ctx, "globex", notify.ReplyOpen)
	must(t, err)
	diff(t, "replies of another account", []notify.ReplyRecord{named}, other)
}

func testClaimSender(t *testing.T, s notify.Store) {
	ctx := context.Background()
	_, err := s.SenderAccount(ctx, sender)
	wantErr(t, "SenderAccount before ClaimSender", err, notify.ErrNotFound)
	must(t, s.ClaimSender(ctx, sender, account))
	must(t, s.ClaimSender(ctx, sender, account))
	wantErr(t, "ClaimSender for another account", s.ClaimSender(ctx, sender, "globex"), notify.ErrSenderOwned)
	got, err := s.SenderAccount(ctx, sender)
	must(t, err)
	if got != account {
		t.Errorf("SenderAccount = %q, want %q", got, account)
	}
	must(t, s.ClaimSender(ctx, "+14155550101", "globex"))
	got, err = s.SenderAccount(ctx, "+14155550101")
	must(t, err)
	if got != "globex" {
		t.Errorf("SenderAccount of the second number = %q, want globex", got)
	}
}

func testStickySender(t *testing.T, s notify.Store) {
	ctx := context.Background()
	check := func(acct, pool, to, candidate, want string) {
		t.Helper()
		got, err := s.StickySender(ctx, acct, pool, to, candidate)
		must(t, err)
		if got != want {
			t.Errorf("StickySender(%s, %s, %s, %s) = %s, want %s", acct, pool, to, candidate, got, want)
		}
	}
	check(account, "pool", number(1), "+14155550101", "+14155550101")
	check(account, "pool", number(1), "+14155550102", "+14155550101")
	check(account, "pool", number(2), "+14155550102", "+14155550102")
	check(account, "other", number(1), "+14155550103", "+14155550103")
	check("globex", "pool", number(1), "+14155550104", "+14155550104")
	check(account, "pool", number(1), "+14155550105", "+14155550101")
}
