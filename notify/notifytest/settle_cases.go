package notifytest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

// settlement is the StatusChange a person's settlement adds.
func settlement(by string, at time.Time) notify.StatusChange {
	return notify.StatusChange{Status: provider.StatusDelivered, Code: notify.SettledCode, At: at, By: by, Note: "the customer confirmed by phone"}
}

func testSettleUnknown(t *testing.T, s notify.Store) {
	ctx := context.Background()
	enqueue(t, s, "n", 4)
	got := claim(t, s, "n", "A", 4, t0)
	unknown := finish(t, s, got[0], "A", notify.OutcomeUnknown, t0.Add(10*time.Second))
	sent := finish(t, s, got[1], "A", notify.OutcomeSent, t0.Add(10*time.Second))
	failed := finish(t, s, got[3], "A", notify.OutcomeFailed, t0.Add(20*time.Second))
	// An unknown outcome whose provider id is known (the provider answered
	// with one, then the connection broke): a receipt may still come.
	must(t, s.MarkSending(ctx, got[2].ID, "A"))
	late := got[2]
	late.Outcome, late.Reason, late.Status, late.UpdatedAt = notify.OutcomeUnknown, "timeout", provider.StatusUnknown, t0.Add(70*time.Second)
	late.Provider, late.ProviderID = "fake", "p-late"
	must(t, s.Complete(ctx, late, "A"))
	_, _, err := s.ApplyStatus(ctx, provider.StatusUpdate{Provider: "fake", ID: "p-late", Status: provider.StatusDelivered, At: t0.Add(2 * time.Minute)})
	wantErr(t, "a receipt for an unknown outcome", err, notify.ErrNotFound)

	tally := func(what string, from, to time.Duration, want notify.Tally) {
		t.Helper()
		got, err := s.Tally(ctx, account, topic, t0.Add(from), t0.Add(to))
		must(t, err)
		diff(t, "Tally "+what, want, got)
	}
	tally("before", 0, time.Hour, notify.Tally{Sent: 1, Failed: 1, Unknown: 2})

	change := settlement("ann@example.com", t0.Add(5*time.Minute))
	settled, err := s.SettleUnknown(ctx, unknown.ID, change)
	must(t, err)
	want := unknown
	want.Outcome, want.Status = notify.OutcomeSent, provider.StatusDelivered
	want.Statuses = []notify.StatusChange{change}
	diff(t, "settled message", want, settled)
	stored, err := s.Message(ctx, unknown.ID)
	must(t, err)
	diff(t, "stored after SettleUnknown", settled, stored)

	tally("the minute it was unknown", 0, time.Minute, notify.Tally{Sent: 2, Failed: 1})
	tally("the minute it was settled", 5*time.Minute, 6*time.Minute, notify.Tally{Delivered: 1})
	tally("everything", 0, time.Hour, notify.Tally{Sent: 2, Delivered: 1, Failed: 1, Unknown: 1})
	counts, err := s.Counts(ctx, "n")
	must(t, err)
	diff(t, "Counts", map[notify.Outcome]int{notify.OutcomeSent: 2, notify.OutcomeFailed: 1, notify.OutcomeUnknown: 1}, counts)

	// Only an unknown outcome is settled, and only once: the others are
	// returned as stored, unchanged.
	for _, m := range []notify.Message{settled, sent, failed} {
		again, err := s.SettleUnknown(ctx, m.ID, settlement("bob@example.com", t0.Add(6*time.Minute)))
		wantErr(t, "SettleUnknown of a "+m.Outcome.String()+" message", err, notify.ErrNotUnknown)
		stored, err := s.Message(ctx, m.ID)
		must(t, err)
		diff(t, "returned with the refusal", stored, again)
		if m.ID == settled.ID {
			diff(t, "twice-settled message", settled, stored)
		}
	}
	_, err = s.SettleUnknown(ctx, "n/99", change)
	wantErr(t, "SettleUnknown of a missing message", err, notify.ErrNotFound)
	tally("after the refusals", 0, time.Hour, notify.Tally{Sent: 2, Delivered: 1, Failed: 1, Unknown: 1})

	// A receipt after the settlement adds to the history and counts
	// nothing: the message is delivered already.
	_, err = s.SettleUnknown(ctx, late.ID, settlement("ann@example.com", t0.Add(3*time.Minute)))
	must(t, err)
	for _, st := range []provider.Status{provider.StatusDelivered, provider.StatusUndelivered} {
		m, changed, err := s.ApplyStatus(ctx, provider.StatusUpdate{Provider: "fake", ID: "p-late", Status: st, At: t0.Add(4 * time.Minute)})
		must(t, err)
		if changed || m.Status != provider.StatusDelivered {
			t.Errorf("receipt %v after the settlement: changed %v, status %v; want unchanged, delivered", st, changed, m.Status)
		}
	}
	tally("after late receipts", 0, time.Hour, notify.Tally{Sent: 3, Delivered: 2, Failed: 1})
}

// Two people settling one message at once: one wins, the tallies move once.
func testSettleConcurrent(t *testing.T, s notify.Store) {
	ctx := context.Background()
	enqueue(t, s, "n", 1)
	m := finish(t, s, claim(t, s, "n", "A", 1, t0)[0], "A", notify.OutcomeUnknown, t0)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
	)
	for _, who := range []string{"ann", "bob", "cy", "dee"} {
		wg.Go(func() {
			_, err := s.SettleUnknown(ctx, m.ID, settlement(who, t0.Add(time.Minute)))
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else {
				wantErr(t, "a losing SettleUnknown", err, notify.ErrNotUnknown)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d settlements succeeded, want 1", wins)
	}
	got, err := s.Tally(ctx, account, topic, t0, t0.Add(time.Hour))
	must(t, err)
	diff(t, "Tally", notify.Tally{Sent: 1, Delivered: 1}, got)
	stored, err := s.Message(ctx, m.ID)
	must(t, err)
	if len(stored.Statuses) != 1 {
		t.Errorf("history after concurrent settlements: %+v, want one settlement", stored.Statuses)
	}
}
