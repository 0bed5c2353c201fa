package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

var twoWay = ContactPoint{Name: "support", Numbers: []string{"+14155550001"}, Brand: "Acme", Help: "Acme support: call 415-555-0000. Reply STOP to opt out."}

func consentOf(t *testing.T, s *Service, account, number string) compliance.Status {
	t.Helper()
	st, err := s.ConsentState(context.Background(), account, number, compliance.Service)
	if err != nil {
		t.Fatal(err)
	}
	return st.Status
}

func bodies(p interface{ Sent() []provider.Message }) []string {
	var out []string
	for _, m := range p.Sent() {
		out = append(out, m.From+">"+m.To+": "+m.Body)
	}
	return out
}

func TestInboundKeywords(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		replies := 0
		s, st, p := newTestService(t, WithContactPoint(twoWay), WithOnReply(func(context.Context, ReplyRecord) { replies++ }))
		in := func(id, body string) {
			t.Helper()
			time.Sleep(time.Second)
			if err := s.HandleInbound(ctx, provider.Inbound{Provider: "fake", ID: id, From: num(1), To: "+14155550001", Body: body}); err != nil {
				t.Fatalf("HandleInbound(%q): %v", body, err)
			}
		}
		in("1", "STOP")
		if got := consentOf(t, s, "", num(1)); got != compliance.StatusOptedOut {
			t.Fatalf("after STOP: %s", got)
		}
		in("2", "stop") // already opted out: no second confirmation
		in("2", "stop") // a replayed webhook
		in("3", "START")
		if got := consentOf(t, s, "", num(1)); got != compliance.StatusOptedIn {
			t.Fatalf("after START: %s", got)
		}
		in("4", "please stop texting me") // inferred
		if got := consentOf(t, s, "", num(1)); got != compliance.StatusOptedOut {
			t.Fatalf("after an inferred opt-out: %s", got)
		}
		in("5", "HELP")
		want := []string{
			"+14155550001>" + num(1) + ": Acme: You are unsubscribed and will get no more messages. Reply START to resubscribe.",
			"+14155550001>" + num(1) + ": Acme: You are subscribed again. Msg & data rates may apply. Reply HELP for help, STOP to unsubscribe.",
			"+14155550001>" + num(1) + ": Acme: You are unsubscribed and will get no more messages. Reply START to resubscribe.",
			"+14155550001>" + num(1) + ": " + twoWay.Help,
		}
		if diff := cmp.Diff(want, bodies(p)); diff != "" {
			t.Errorf("texts sent (-want +got):\n%s", diff)
		}
		if replies != 0 {
			t.Errorf("OnReply called %d times for keywords", replies)
		}
		if open, _ := s.Replies(ctx, "", ReplyOpen); len(open) != 0 {
			t.Errorf("keywords kept as replies: %+v", open)
		}
		// The answers are in history, under their own topic.
		auto, _ := st.Recent(ctx, "", AutoReplyTopic, 0)
		if len(auto) != 4 || auto[0].Body != twoWay.Help || auto[0].ProviderID == "" {
			t.Errorf("auto replies in history: %d, newest %+v", len(auto), auto[0])
		}
		hist, _ := s.consentStore().History(ctx, num(1))
		if len(hist) != 4 || hist[0].Source != compliance.SourceKeyword || hist[0].Text != "STOP" {
			t.Errorf("consent history: %+v", hist)
		}
	})
}

func TestInboundReplyCallsOnReply(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		var got []ReplyRecord
		s, st, _ := newTestService(t, WithContactPoint(twoWay), WithOnReply(func(_ context.Context, r ReplyRecord) { got = append(got, r) }))
		meta := map[string]string{"crm_record": "case-42"}
		m := putSent(t, st, "n1", sentMsg{topic: "orders", from: "+14155550001", to: num(1), body: "Your order shipped", at: time.Now(), meta: meta})
		time.Sleep(time.Minute)
		// HELP first: its answer must not hide the notification.
		for i, body := range []string{"HELP", "When will it arrive?"} {
			if err := s.HandleInbound(ctx, provider.Inbound{Provider: "fake", ID: "in" + string(rune('0'+i)), From: num(1), To: "+14155550001", Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		if len(got) != 1 {
			t.Fatalf("OnReply called %d times, want 1", len(got))
		}
		r := got[0]
		want := ReplyRecord{ID: r.ID, Account: "", Topic: "orders", NotificationID: "n1", MessageID: m.ID, From: num(1), To: "+14155550001",
			Body: "When will it arrive?", Received: time.Now(), State: ReplyOpen, Metadata: meta}
		if diff := cmp.Diff(want, r); diff != "" {
			t.Errorf("reply (-want +got):\n%s", diff)
		}
		open, _ := s.Replies(ctx, "", ReplyOpen)
		if len(open) != 1 || open[0].ID != r.ID {
			t.Fatalf("open replies: %+v", open)
		}
		if err := s.ResolveReply(ctx, "other", r.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("resolve from another account: %v", err)
		}
		if err := s.ResolveReply(ctx, "", r.ID); err != nil {
			t.Fatal(err)
		}
		open, _ = s.Replies(ctx, "", ReplyOpen)
		done, _ := s.Replies(ctx, "", ReplyResolved)
		if len(open) != 0 || len(done) != 1 {
			t.Errorf("after resolve: %d open, %d resolved", len(open), len(done))
		}
	})
}

func TestReplyRoutedByStickySender(t *testing.T) {
	ctx := context.Background()
	var got []ReplyRecord
	s, st, _ := newTestService(t, WithContactPoint(pool), WithOnReply(func(_ context.Context, r ReplyRecord) { got = append(got, r) }))
	n := Notification{From: "pool", Topic: "promo", Body: "Sale today"}
	r, err := s.resolveSend(ctx, &n, false)
	if err != nil {
		t.Fatal(err)
	}
	from, err := s.senderFor(ctx, r, "", num(5), false)
	if err != nil {
		t.Fatal(err)
	}
	putSent(t, st, "n1", sentMsg{topic: "promo", from: from, to: num(5), body: "Sale today", at: t0, meta: map[string]string{"campaign": "spring"}})
	again, _ := s.senderFor(ctx, r, "", num(5), false)
	if again != from {
		t.Fatalf("second notification from %s, first from %s", again, from)
	}
	other := pool.Numbers[0]
	if other == from {
		other = pool.Numbers[1]
	}
	for _, to := range []string{from, other} {
		if err := s.HandleInbound(ctx, provider.Inbound{From: num(5), To: to, Body: "Which stores?", Received: t0.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 {
		t.Fatalf("OnReply called %d times", len(got))
	}
	if got[0].Topic != "promo" || got[0].NotificationID != "n1" || got[0].Metadata["campaign"] != "spring" {
		t.Errorf("reply to the sticky number: %+v", got[0])
	}
	if got[1].NotificationID != "" || got[1].Topic != "" {
		t.Errorf("reply to a pool number that never texted the recipient was tied to %+v", got[1])
	}
}

func TestSharedOneWaySender(t *testing.T) {
	ctx := context.Background()
	shared := "+14155550777"
	a := ContactPoint{Account: "a", Name: "alerts", Numbers: []string{shared}, OneWay: true}
	b := ContactPoint{Account: "b", Name: "alerts", Numbers: []string{shared}, OneWay: true}
	var hooked int
	s, st, p := newTestService(t, WithContactPoint(a), WithContactPoint(b), WithOnReply(func(context.Context, ReplyRecord) { hooked++ }))
	putSent(t, st, "n1", sentMsg{account: "a", from: shared, to: num(1), at: t0})
	err := s.HandleInbound(ctx, provider.Inbound{From: num(1), To: shared, Body: "thanks!"})
	if !errors.Is(err, ErrUnroutedReply) {
		t.Errorf("reply to a one-way sender: %v, want ErrUnroutedReply", err)
	}
	for _, acct := range []string{"a", "b"} {
		if rs, _ := s.Replies(ctx, acct, ReplyOpen); len(rs) != 0 {
			t.Errorf("account %s got a reply to a shared one-way sender: %+v", acct, rs)
		}
	}
	if hooked != 0 {
		t.Error("OnReply called for a one-way sender")
	}
	if err := s.HandleInbound(ctx, provider.Inbound{From: num(1), To: shared, Body: "STOP"}); err != nil {
		t.Fatal(err)
	}
	for _, acct := range []string{"a", "b"} {
		if got := consentOf(t, s, acct, num(1)); got != compliance.StatusOptedOut {
			t.Errorf("account %s after STOP to the shared sender: %s", acct, got)
		}
	}
	if p.Count() != 1 {
		t.Errorf("%d confirmations sent, want 1", p.Count())
	}
}

func TestAgentOptOut(t *testing.T) {
	ctx := context.Background()
	s, _, p := newTestService(t)
	if err := s.OptOut(ctx, "acme", "(415) 555-0100", Actor{ID: "agent-7"}, "asked on the phone"); err != nil {
		t.Fatal(err)
	}
	if got := consentOf(t, s, "acme", "+14155550100"); got != compliance.StatusOptedOut {
		t.Errorf("acme: %s", got)
	}
	if got := consentOf(t, s, "beta", "+14155550100"); got != compliance.StatusUnknown {
		t.Errorf("another account: %s", got)
	}
	h, _ := s.consentStore().History(ctx, "+14155550100")
	if len(h) != 1 || h[0].Source != compliance.SourceAgent || h[0].Actor != "agent-7" || h[0].Text != "asked on the phone" {
		t.Errorf("record: %+v", h)
	}
	if p.Count() != 0 {
		t.Error("an agent opt-out texted the number")
	}
	trail, err := s.ConsentTrail(ctx, "acme", "(415) 555-0100")
	if err != nil || len(trail) != 1 || trail[0].Actor != "agent-7" {
		t.Errorf("acme trail = %+v, %v; want the agent's record", trail, err)
	}
	if trail, err := s.ConsentTrail(ctx, "beta", "+14155550100"); err != nil || len(trail) != 0 {
		t.Errorf("beta trail = %+v, %v; want none of acme's records", trail, err)
	}
	if _, err := s.ConsentTrail(ctx, "acme", "not a number"); !errors.Is(err, ErrInvalidNumber) {
		t.Errorf("trail of an invalid number: %v", err)
	}
	if err := s.OptOut(ctx, "acme", "not a number", Actor{}, ""); !errors.Is(err, ErrInvalidNumber) {
		t.Errorf("invalid number: %v", err)
	}
}

func TestInboundConfirmationFailureIsReported(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newTestService(t, WithContactPoint(twoWay))
	s.provider = failingProvider{}
	err := s.HandleInbound(ctx, provider.Inbound{From: num(1), To: "+14155550001", Body: "STOP"})
	if err == nil || !strings.Contains(err.Error(), "keyword answer") {
		t.Errorf("err = %v", err)
	}
	if got := consentOf(t, s, "", num(1)); got != compliance.StatusOptedOut {
		t.Errorf("opt-out not recorded when the confirmation failed: %s", got)
	}
	auto, _ := st.Recent(ctx, "", AutoReplyTopic, 0)
	if len(auto) != 1 || auto[0].Outcome != OutcomeFailed {
		t.Errorf("failed confirmation in history: %+v", auto)
	}
}

type failingProvider struct{}

func (failingProvider) Send(context.Context, provider.Message) (provider.Receipt, error) {
	return provider.Receipt{}, &provider.Error{Provider: "x", Class: provider.Permanent, Err: provider.ErrBlocked}
}

// TestStopDuringBulkSend: a STOP that arrives while a bulk send to the
// number's topic is running is honoured by every decision made after it.
func TestStopDuringBulkSend(t *testing.T) {
	ctx := context.Background()
	noon := time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC) // midday in every US zone
	const total = 1000
	trigger := num(10)
	stoppers := []string{num(600), num(750), num(999)}
	var s *Service
	var stopped atomic.Bool
	var violations []string
	var mu sync.Mutex
	rule := func(ctx context.Context, m provider.Message) error {
		if strings.Contains(m.Body, "unsubscribed") {
			return nil // the confirmation itself
		}
		if m.To == trigger && !stopped.Load() {
			for _, who := range stoppers {
				if err := s.HandleInbound(ctx, provider.Inbound{Provider: "fake", ID: "stop-" + who, From: who, To: "+14155550001", Body: "STOP"}); err != nil {
					t.Errorf("HandleInbound: %v", err)
				}
			}
			stopped.Store(true)
			return nil
		}
		if stopped.Load() && slices.Contains(stoppers, m.To) {
			mu.Lock()
			violations = append(violations, m.To)
			mu.Unlock()
		}
		return nil
	}
	p := fake.New(fake.WithRule(rule))
	defer p.Close()
	var err error
	s, err = New(p, WithContactPoint(twoWay), WithClock(func() time.Time { return noon }), WithConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(ctx)
	to := make([]string, total)
	for i := range to {
		to[i] = num(i)
	}
	rep, err := s.Send(ctx, Notification{From: "support", Topic: "outage", To: to, Body: "Acme: power is back in your area. Reply STOP to opt out."})
	if err != nil {
		t.Fatal(err)
	}
	if !stopped.Load() {
		t.Fatal("the STOP never went out")
	}
	if len(violations) > 0 {
		t.Errorf("sent after the STOP to %v", violations)
	}
	for _, r := range rep.Results {
		if slices.Contains(stoppers, r.To) && (r.Outcome != OutcomeDenied || !errors.Is(r.Err, compliance.ErrOptedOut)) {
			t.Errorf("%s: outcome %s (%v), want denied as opted out", r.To, r.Outcome, r.Err)
		}
	}
	if got := rep.Counts[OutcomeSent]; got != total-len(stoppers) {
		t.Errorf("%d sent, want %d", got, total-len(stoppers))
	}
	tl, _ := s.TopicTally(ctx, "", "outage", noon.Add(-time.Hour), noon.Add(time.Hour))
	if tl.Denied != int64(len(stoppers)) {
		t.Errorf("tally %+v, want %d denied", tl, len(stoppers))
	}
}

// TestClarifyingReply: with WithClarifyingReplies, an ambiguous reply is
// an opt-out answered with the one clarifying text; a clear STOP still
// gets the plain confirmation.
func TestClarifyingReply(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		s, _, p := newTestService(t, WithContactPoint(twoWay), WithClarifyingReplies(true))
		if err := s.HandleInbound(ctx, provider.Inbound{Provider: "fake", ID: "1", From: num(1), To: "+14155550001", Body: "I want to cancel"}); err != nil {
			t.Fatal(err)
		}
		if got := consentOf(t, s, "", num(1)); got != compliance.StatusOptedOut {
			t.Fatalf("after an ambiguous reply: %s", got)
		}
		if err := s.HandleInbound(ctx, provider.Inbound{Provider: "fake", ID: "2", From: num(2), To: "+14155550001", Body: "STOP"}); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"+14155550001>" + num(1) + ": Acme: " + compliance.DefaultClarifyingText,
			"+14155550001>" + num(2) + ": Acme: You are unsubscribed and will get no more messages. Reply START to resubscribe.",
		}
		if diff := cmp.Diff(want, bodies(p)); diff != "" {
			t.Errorf("texts sent (-want +got):\n%s", diff)
		}
	})
}

// TestReplayedInboundIsDroppedAfterRestartAndVolume: a signed START
// captured once and replayed after 10,001 other inbound messages, or to a
// restarted Service over the same store, is not processed again.
func TestReplayedInboundIsDroppedAfterRestartAndVolume(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		st := NewMemoryStore()
		s1 := startService(t, fake.New(), WithStore(st), WithContactPoint(twoWay))
		start := provider.Inbound{Provider: "fake", ID: "SM-start", From: num(1), To: "+14155550001", Body: "START"}
		if err := s1.HandleInbound(ctx, start); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		if err := s1.HandleInbound(ctx, provider.Inbound{Provider: "fake", ID: "SM-stop", From: num(1), To: "+14155550001", Body: "STOP"}); err != nil {
			t.Fatal(err)
		}
		for i := range 10001 {
			_ = s1.HandleInbound(ctx, provider.Inbound{Provider: "fake", ID: fmt.Sprint("SM-", i), From: num(2), To: "+14155550001", Body: "thanks"})
		}
		time.Sleep(time.Second)
		if err := s1.HandleInbound(ctx, start); err != nil {
			t.Fatal(err)
		}
		if got := consentOf(t, s1, "", num(1)); got != compliance.StatusOptedOut {
			t.Fatalf("replay after volume re-subscribed: %s", got)
		}
		_ = s1.Shutdown(ctx)
		s2 := startService(t, fake.New(), WithStore(st), WithContactPoint(twoWay))
		if err := s2.HandleInbound(ctx, start); err != nil {
			t.Fatal(err)
		}
		if got := consentOf(t, s2, "", num(1)); got != compliance.StatusOptedOut {
			t.Fatalf("replay after restart re-subscribed: %s", got)
		}
	})
}

// TestStrictConsentAnswersAPersonWhoTextedFirst: with service opt-in
// required, the business may still answer someone who texted it, within
// the policy's reply window; someone who never texted is refused.
func TestStrictConsentAnswersAPersonWhoTextedFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		st := NewMemoryStore()
		pol := compliance.NewPolicy(compliance.WithRequireOptIn(true), compliance.WithConsentStore(st), compliance.WithFrequencyStore(st))
		s := startService(t, fake.New(), WithStore(st), WithPolicy(pol), WithContactPoint(twoWay))
		if err := s.HandleInbound(ctx, provider.Inbound{Provider: "fake", ID: "in-1", From: num(1), To: "+14155550001", Body: "Where is my order?"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Hour)
		answer := func() *Report {
			t.Helper()
			rep, err := s.Send(ctx, Notification{From: "+14155550001", To: []string{num(1), num(2)}, Body: "Acme: it ships today"})
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		rep := answer()
		if rep.Results[0].Outcome != OutcomeSent || rep.Results[1].Outcome != OutcomeDenied || !errors.Is(rep.Results[1].Err, compliance.ErrNoConsent) {
			t.Fatalf("within the window: %v %v / %v %v", rep.Results[0].Outcome, rep.Results[0].Err, rep.Results[1].Outcome, rep.Results[1].Err)
		}
		time.Sleep(24 * time.Hour)
		if rep := answer(); rep.Results[0].Outcome != OutcomeDenied {
			t.Fatalf("after the window: %v %v", rep.Results[0].Outcome, rep.Results[0].Err)
		}
	})
}
