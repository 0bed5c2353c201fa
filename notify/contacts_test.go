package notify

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	opsLine = ContactPoint{Name: "ops", Numbers: []string{"+14155550001"}, Roles: []string{"admin", "dispatcher"}, Brand: "Acme", Help: "Acme ops: call 415-555-0000."}
	allLine = ContactPoint{Name: "general", Numbers: []string{"+14155550002"}}
	pool    = ContactPoint{Name: "pool", Numbers: []string{"+14155550011", "+14155550012", "+14155550013"}, Roles: []string{EveryoneRole}}
)

func TestResolveSendForbidden(t *testing.T) {
	ctx := context.Background()
	s, st, p := newTestService(t, WithContactPoint(opsLine), WithContactPoint(allLine))
	for _, from := range []string{"ops", "+14155550001"} { // naming the number does not get round the roles
		n := Notification{From: from, To: []string{num(1)}, Body: "hi", Actor: Actor{ID: "u7", Roles: []string{"agent"}}}
		_, err := s.resolveSend(ctx, &n, false)
		if !errors.Is(err, ErrForbidden) {
			t.Fatalf("From %q: err = %v, want ErrForbidden", from, err)
		}
		var fe *ForbiddenError
		if !errors.As(err, &fe) || fe.Actor != "u7" || fe.ContactPoint != "ops" {
			t.Errorf("From %q: error %#v does not name actor and contact point", from, err)
		}
	}
	if ts, _ := st.Topics(ctx, ""); len(ts) != 1 {
		t.Errorf("a forbidden send created topics: %v", ts)
	}
	if p.Attempts() != 0 {
		t.Errorf("provider called %d times", p.Attempts())
	}
	n := Notification{From: "ops", Body: "hi", Actor: Actor{ID: "d1", Roles: []string{"dispatcher"}}}
	r, err := s.resolveSend(ctx, &n, false)
	if err != nil {
		t.Fatalf("dispatcher: %v", err)
	}
	if diff := cmp.Diff([]string{"+14155550001"}, r.senders); diff != "" {
		t.Errorf("senders (-want +got):\n%s", diff)
	}
	if n.Topic != DefaultTopic {
		t.Errorf("Topic = %q, want the default topic", n.Topic)
	}
}

func TestEveryoneIsTheDefaultRole(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newTestService(t, WithContactPoint(allLine), WithContactPoint(pool))
	for _, from := range []string{"general", "pool"} {
		n := Notification{From: from, Body: "hi"} // no actor at all
		if _, err := s.resolveSend(ctx, &n, false); err != nil {
			t.Errorf("From %q without actor: %v", from, err)
		}
	}
	if !(ContactPoint{Roles: []string{"admin"}}).Allows(Actor{Roles: []string{"x", "admin"}}) {
		t.Error("admin not allowed on an admin contact point")
	}
	if (ContactPoint{Roles: []string{"admin"}}).Allows(Actor{}) {
		t.Error("an actor without roles allowed on an admin contact point")
	}
}

func TestContactPointsForActor(t *testing.T) {
	other := allLine
	other.Account = "beta"
	other.Numbers = []string{"+14155550099"}
	s, _, _ := newTestService(t, WithContactPoint(opsLine), WithContactPoint(allLine), WithContactPoint(pool), WithContactPoint(other))
	names := func(cps []ContactPoint) []string {
		var out []string
		for _, cp := range cps {
			out = append(out, cp.Name)
		}
		return out
	}
	if diff := cmp.Diff([]string{"general", "pool"}, names(s.ContactPoints("", Actor{ID: "a"}))); diff != "" {
		t.Errorf("agent (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"general", "ops", "pool"}, names(s.ContactPoints("", Actor{Roles: []string{"admin"}}))); diff != "" {
		t.Errorf("admin (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"general"}, names(s.ContactPoints("beta", Actor{}))); diff != "" {
		t.Errorf("account beta (-want +got):\n%s", diff)
	}
}

func TestContactPointErrors(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newTestService(t)
	for _, cp := range []ContactPoint{
		{Numbers: []string{"+14155550001"}},
		{Name: "x"},
		{Name: "x", Numbers: []string{"4155550001"}},
		{Name: "+14155550001", Numbers: []string{"+14155550001"}},
	} {
		if err := s.AddContactPoint(ctx, cp); !errors.Is(err, ErrInvalidContactPoint) {
			t.Errorf("AddContactPoint(%+v) = %v, want ErrInvalidContactPoint", cp, err)
		}
	}
	if err := s.AddContactPoint(ctx, ContactPoint{Name: "alpha", Numbers: []string{"ACME"}, OneWay: true}); err != nil {
		t.Errorf("one-way alphanumeric sender: %v", err)
	}
	beta := ContactPoint{Account: "beta", Name: "support", Numbers: []string{"+14155550123"}}
	if err := s.AddContactPoint(ctx, beta); err != nil {
		t.Fatal(err)
	}
	n := Notification{From: "support", Body: "hi"} // default account has no "support"
	_, err := s.resolveSend(ctx, &n, false)
	if !errors.Is(err, ErrUnknownContactPoint) {
		t.Errorf("contact point of another account: %v, want ErrUnknownContactPoint", err)
	}
}

func TestReplaceContactPoint(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newTestService(t, WithContactPoint(opsLine))
	changed := opsLine
	changed.Roles = nil
	changed.Numbers = []string{"+14155550003"}
	if err := s.AddContactPoint(ctx, changed); err != nil {
		t.Fatal(err)
	}
	n := Notification{From: "ops", Body: "hi"}
	r, err := s.resolveSend(ctx, &n, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"+14155550003"}, r.senders); diff != "" {
		t.Errorf("senders (-want +got):\n%s", diff)
	}
	if _, ok := s.contactFor("", "+14155550001"); ok {
		t.Error("the old number still maps to the contact point")
	}
}

func TestStickySenderInPool(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newTestService(t, WithContactPoint(pool))
	n := Notification{From: "pool", Body: "hi"}
	r, err := s.resolveSend(ctx, &n, false)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	first := map[string]string{}
	for i := range 60 {
		got, err := s.senderFor(ctx, r, "", num(i), false)
		if err != nil {
			t.Fatal(err)
		}
		used[got] = true
		first[num(i)] = got
	}
	if len(used) != 3 {
		t.Errorf("pool numbers used: %v, want all 3", used)
	}
	// Another instance over the same store, with the pool listed in
	// another order, keeps every recipient on its number.
	re := pool
	re.Numbers = []string{pool.Numbers[2], pool.Numbers[0], pool.Numbers[1]}
	s2, err := New(s.provider, WithStore(st), WithContactPoint(re))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Shutdown(ctx)
	r2, _ := s2.resolveSend(ctx, &Notification{From: "pool", Body: "hi"}, false)
	for to, want := range first {
		got, err := s2.senderFor(ctx, r2, "", to, false)
		if err != nil || got != want {
			t.Errorf("recipient %s: sender %s (%v), want %s", to, got, err, want)
		}
	}
}

func TestSendForbiddenBeforeAnything(t *testing.T) {
	ctx := context.Background()
	s, st, p := newTestService(t, WithContactPoint(opsLine))
	_, err := s.Send(ctx, Notification{From: "ops", To: []string{"not a number", num(1)}, Body: "", Topic: "new-topic", Actor: Actor{ID: "u1"}})
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("Send: %v, want ErrForbidden (before the empty body or bad number is looked at)", err)
	}
	if p.Attempts() != 0 {
		t.Errorf("%d provider calls", p.Attempts())
	}
	if _, err := st.Topic(ctx, "", "new-topic"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a forbidden send created its topic: %v", err)
	}
	if u, _ := st.Unfinished(ctx); len(u) != 0 {
		t.Errorf("a forbidden send stored notifications: %+v", u)
	}
	if _, err := s.DisableTopic(ctx, "", "orders"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("disable unknown topic: %v", err)
	}
	if _, err := s.CreateTopic(ctx, "", "orders", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DisableTopic(ctx, "", "orders"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(ctx, Notification{From: "ops", To: []string{num(1)}, Body: "hi", Topic: "orders", Actor: Actor{Roles: []string{"admin"}}})
	if !errors.Is(err, ErrTopicDisabled) {
		t.Errorf("Send to a disabled topic: %v, want ErrTopicDisabled", err)
	}
	if p.Attempts() != 0 {
		t.Errorf("%d provider calls", p.Attempts())
	}
}
