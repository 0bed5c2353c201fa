package notify

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
)

func TestReplyNumberBelongsToOneAccount(t *testing.T) {
	ctx := context.Background()
	a := ContactPoint{Account: "a", Name: "main", Numbers: []string{"+14155550001"}}
	b := ContactPoint{Account: "b", Name: "main", Numbers: []string{"+14155550001"}}
	_, err := New(providerStub{}, WithContactPoint(a), WithContactPoint(b))
	if !errors.Is(err, ErrSenderOwned) {
		t.Fatalf("New with one number in two accounts: %v, want ErrSenderOwned", err)
	}
	s, _, _ := newTestService(t, WithContactPoint(a))
	err = s.AddContactPoint(ctx, b)
	var ce *ContactPointError
	if !errors.Is(err, ErrSenderOwned) || !errors.As(err, &ce) || ce.Account != "b" {
		t.Errorf("AddContactPoint: %v, want a *ContactPointError with ErrSenderOwned", err)
	}
	// A bare number is registered to the first account that sends from it.
	if _, err := s.resolveSend(ctx, &Notification{Account: "c", From: "+14155550009", Body: "x"}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.resolveSend(ctx, &Notification{Account: "d", From: "+14155550009", Body: "x"}, false); !errors.Is(err, ErrSenderOwned) {
		t.Errorf("second account sending from the number: %v, want ErrSenderOwned", err)
	}
	if _, err := s.resolveSend(ctx, &Notification{Account: "b", From: "+14155550001", Body: "x"}, false); !errors.Is(err, ErrSenderOwned) {
		t.Errorf("account b sending from account a's number: %v, want ErrSenderOwned", err)
	}
}

func TestTwoAccountsShareARecipient(t *testing.T) {
	ctx := context.Background()
	na, nb := "+14155550001", "+14155550002"
	var hooked []ReplyRecord
	s, st, _ := newTestService(t,
		WithContactPoint(ContactPoint{Account: "a", Name: "main", Numbers: []string{na}}),
		WithContactPoint(ContactPoint{Account: "b", Name: "main", Numbers: []string{nb}}),
		WithOnReply(func(_ context.Context, r ReplyRecord) { hooked = append(hooked, r) }))
	who := num(1)
	putSent(t, st, "na", sentMsg{account: "a", topic: "orders", from: na, to: who, body: "A: shipped", at: t0, meta: map[string]string{"tenant": "a"}})
	putSent(t, st, "nb", sentMsg{account: "b", topic: "orders", from: nb, to: who, body: "B: shipped", at: t0, meta: map[string]string{"tenant": "b"}})
	for _, to := range []string{na, nb} {
		if err := s.HandleInbound(ctx, provider.Inbound{From: who, To: to, Body: "thanks " + to, Received: t0.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	for acct, n := range map[string]string{"a": na, "b": nb} {
		recent, _ := s.RecentMessages(ctx, acct, "orders", 0)
		if len(recent) != 1 || recent[0].Account != acct {
			t.Errorf("account %s history: %+v", acct, recent)
		}
		rs, _ := s.Replies(ctx, acct, ReplyOpen)
		if len(rs) != 1 || rs[0].Body != "thanks "+n || rs[0].Metadata["tenant"] != acct || rs[0].NotificationID != "n"+acct {
			t.Errorf("account %s replies: %+v", acct, rs)
		}
		tl, _ := s.TopicTally(ctx, acct, "orders", t0, t0.Add(time.Hour))
		if diff := cmp.Diff(Tally{Sent: 1}, tl); diff != "" {
			t.Errorf("account %s tally (-want +got):\n%s", acct, diff)
		}
	}
	if th, _ := s.Thread(ctx, "a", nb, who, 0); len(th) != 0 {
		t.Errorf("account a sees account b's thread: %+v", th)
	}
	if _, err := s.MessageDetail(ctx, "a", "nb/0"); !errors.Is(err, ErrNotFound) {
		t.Errorf("account a reads account b's message: %v", err)
	}
	if len(hooked) != 2 || hooked[0].Account != "a" || hooked[1].Account != "b" {
		t.Errorf("hook accounts: %+v", hooked)
	}
	// A STOP to account a's number silences account a only.
	if err := s.HandleInbound(ctx, provider.Inbound{From: who, To: na, Body: "STOP"}); err != nil {
		t.Fatal(err)
	}
	if got := consentOf(t, s, "a", who); got != compliance.StatusOptedOut {
		t.Errorf("account a: %s", got)
	}
	if got := consentOf(t, s, "b", who); got != compliance.StatusUnknown {
		t.Errorf("account b: %s", got)
	}
}

func TestOptInWithEvidence(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newTestService(t)
	err := s.OptIn(ctx, "acme", compliance.Record{Number: "(415) 555-2671", Kind: compliance.Marketing, Level: compliance.LevelExpressWritten,
		Source: compliance.SourceWebForm, Disclosure: "I agree to receive marketing texts", URL: "https://acme.example/join"}, Actor{ID: "agent-7"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.ConsentState(ctx, "acme", "+14155552671", compliance.Marketing)
	if err != nil || st.Status != compliance.StatusOptedIn {
		t.Fatalf("state %+v %v", st, err)
	}
	hist, _ := s.consentStore().History(ctx, "+14155552671")
	if len(hist) != 1 || hist[0].Scope != "acme" || hist[0].Actor != "agent-7" || hist[0].URL == "" {
		t.Fatalf("ledger %+v", hist)
	}
	if err := s.OptIn(ctx, "acme", compliance.Record{Number: "+14155552672"}, Actor{ID: "agent-7"}); !errors.Is(err, compliance.ErrInvalidRecord) {
		t.Fatalf("opt-in without a source: %v", err)
	}
}
