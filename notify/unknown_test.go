package notify

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

// A timed-out send is unknown; a person who knows it arrived settles it as
// delivered: the message, its history, the tallies, the report and the
// OnStatus hook all say so, and a second settlement is refused with who
// settled it first.
func TestSettleUnknownAsDelivered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := fake.New(fake.FailNumber(num(1), fake.Timeout()))
		defer p.Close()
		var (
			mu     sync.Mutex
			hooked []Message
		)
		s := startService(t, p,
			WithContactPoint(ContactPoint{Name: "support", Numbers: []string{"+14155550100"}, Roles: []string{"agent"}}),
			WithOnStatus(func(_ context.Context, m Message) {
				mu.Lock()
				hooked = append(hooked, m)
				mu.Unlock()
			}))
		agent := Actor{ID: "ann@example.com", Roles: []string{"agent"}}
		rep, err := s.Send(ctx, Notification{From: "support", To: []string{num(1), num(2)}, Topic: DefaultTopic, Body: "Your parcel is out", Actor: agent})
		if err != nil {
			t.Fatal(err)
		}
		unknown, sent := rep.Results[0], rep.Results[1]
		if unknown.Outcome != OutcomeUnknown || sent.Outcome != OutcomeSent {
			t.Fatalf("outcomes %v, %v; want unknown, sent", unknown.Outcome, sent.Outcome)
		}
		sentAt := time.Now()
		time.Sleep(10 * time.Minute)
		settledAt := time.Now()

		m, err := s.SettleUnknown(ctx, "", unknown.MessageID, Settlement{Actor: agent, Note: "  The customer confirmed by phone "})
		if err != nil {
			t.Fatal(err)
		}
		wantChange := StatusChange{Status: provider.StatusDelivered, Code: SettledCode, At: settledAt, By: agent.ID, Note: "The customer confirmed by phone"}
		if m.Outcome != OutcomeSent || m.Status != provider.StatusDelivered || m.Reason != "timeout" {
			t.Errorf("settled: outcome %v, status %v, reason %q; want sent, delivered, the original reason", m.Outcome, m.Status, m.Reason)
		}
		if diff := cmp.Diff([]StatusChange{wantChange}, m.Statuses); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
		d, err := s.MessageDetail(ctx, "", unknown.MessageID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(m, d.Message); diff != "" {
			t.Errorf("stored message differs from the returned one (-returned +stored):\n%s", diff)
		}
		for _, c := range []struct {
			from, to time.Time
			want     Tally
		}{
			{sentAt.Add(-time.Minute), sentAt.Add(time.Minute), Tally{Sent: 2}},
			{settledAt, settledAt.Add(time.Minute), Tally{Delivered: 1}},
		} {
			got, err := s.TopicTally(ctx, "", DefaultTopic, c.from, c.to)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("tally from %v (-want +got):\n%s", c.from.Sub(sentAt), diff)
			}
		}
		again, err := s.Report(ctx, rep.NotificationID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[Outcome]int{OutcomeSent: 2}, again.Counts); diff != "" {
			t.Errorf("report counts after settling (-want +got):\n%s", diff)
		}
		mu.Lock()
		if len(hooked) != 1 || hooked[0].ID != unknown.MessageID || hooked[0].Status != provider.StatusDelivered {
			t.Errorf("OnStatus calls: %+v, want one with the settled message", hooked)
		}
		mu.Unlock()

		// Settling twice is an error naming the first settlement.
		_, err = s.SettleUnknown(ctx, "", unknown.MessageID, Settlement{Actor: Actor{ID: "bob@example.com", Roles: []string{"agent"}}})
		var se *SettleError
		if !errors.As(err, &se) || !errors.Is(err, ErrAlreadySettled) || !errors.Is(err, ErrNotUnknown) {
			t.Fatalf("second settlement: %v, want a *SettleError matching ErrAlreadySettled and ErrNotUnknown", err)
		}
		if se.Previous == nil || se.Previous.By != agent.ID || se.Outcome != OutcomeSent {
			t.Errorf("second settlement's error: %+v, want the first settlement by %s", se, agent.ID)
		}
		mu.Lock()
		if len(hooked) != 1 {
			t.Errorf("a refused settlement called OnStatus")
		}
		mu.Unlock()
	})
}

// Only an unknown outcome of the caller's account is settled, by someone
// named whose roles allow the sender; the rest is refused with a typed
// error and nothing changes.
func TestSettleUnknownRefusals(t *testing.T) {
	ctx := context.Background()
	p := fake.New(fake.FailNumber(num(1), fake.Timeout()))
	defer p.Close()
	s := startService(t, p, WithContactPoint(ContactPoint{Name: "support", Numbers: []string{"+14155550100"}, Roles: []string{"agent"}}))
	agent := Actor{ID: "ann@example.com", Roles: []string{"agent"}}
	rep, err := s.Send(ctx, Notification{From: "support", To: []string{num(1), num(2)}, Body: "Your parcel is out", Actor: agent})
	if err != nil {
		t.Fatal(err)
	}
	unknown, sent := rep.Results[0].MessageID, rep.Results[1].MessageID
	for _, c := range []struct {
		name, account, id string
		st                Settlement
		want              error
		notSettled        bool
	}{
		{"a sent message", "", sent, Settlement{Actor: agent}, ErrNotUnknown, true},
		{"another account's message", "globex", unknown, Settlement{Actor: agent}, ErrNotFound, false},
		{"a missing message", "", "nope/0", Settlement{Actor: agent}, ErrNotFound, false},
		{"nobody named", "", unknown, Settlement{Note: "confirmed"}, ErrNoSettler, false},
		{"a role the contact point does not allow", "", unknown, Settlement{Actor: Actor{ID: "vic", Roles: []string{"viewer"}}}, ErrForbidden, false},
	} {
		_, err := s.SettleUnknown(ctx, c.account, c.id, c.st)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if c.notSettled && errors.Is(err, ErrAlreadySettled) {
			t.Errorf("%s: %v matches ErrAlreadySettled, but nobody settled it", c.name, err)
		}
	}
	d, err := s.MessageDetail(ctx, "", unknown)
	if err != nil || d.Message.Outcome != OutcomeUnknown || len(d.Message.Statuses) != 0 {
		t.Errorf("after the refusals: %+v, %v; want still unknown, no history", d.Message, err)
	}
}
