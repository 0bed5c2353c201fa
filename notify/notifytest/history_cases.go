package notifytest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

func testTallies(t *testing.T, s notify.Store) {
	ctx := context.Background()
	create(t, s, "n", t0)
	ms := rows("n", 0, 8)
	ms[7].Outcome, ms[7].Reason, ms[7].UpdatedAt = notify.OutcomeDenied, "consent.opted_out", t0.Add(2*time.Minute)
	ms[6].Outcome, ms[6].To = notify.OutcomeInvalid, "" // history only, no tally
	must(t, s.Enqueue(ctx, ms))
	got := claim(t, s, "n", "A", 6, t0)
	finish(t, s, got[0], "A", notify.OutcomeSent, t0.Add(10*time.Second))
	finish(t, s, got[1], "A", notify.OutcomeSent, t0.Add(30*time.Second))
	finish(t, s, got[2], "A", notify.OutcomeFailed, t0.Add(70*time.Second))
	finish(t, s, got[3], "A", notify.OutcomeUnknown, t0.Add(2*time.Minute+5*time.Second))
	finish(t, s, got[4], "A", notify.OutcomeDenied, t0.Add(3*time.Minute))
	canceled := got[5]
	canceled.Outcome, canceled.UpdatedAt = notify.OutcomeCanceled, t0.Add(3*time.Minute)
	must(t, s.Complete(ctx, canceled, "A"))

	// Completing again is refused and counts nothing.
	wantErr(t, "second Complete", s.Complete(ctx, got[0], "A"), notify.ErrClaimLost)

	for _, c := range []struct {
		name     string
		from, to time.Duration
		want     notify.Tally
	}{
		{"everything", 0, time.Hour, notify.Tally{Sent: 2, Failed: 1, Unknown: 1, Denied: 2}},
		{"first minute", 0, time.Minute, notify.Tally{Sent: 2}},
		{"from inside the first minute (truncated)", 20 * time.Second, time.Minute, notify.Tally{Sent: 2}},
		{"second minute", time.Minute, 2 * time.Minute, notify.Tally{Failed: 1}},
		{"third minute", 2 * time.Minute, 3 * time.Minute, notify.Tally{Unknown: 1, Denied: 1}},
		{"empty range", 3 * time.Minute, 3 * time.Minute, notify.Tally{}},
		{"before anything", -time.Hour, 0, notify.Tally{}},
	} {
		tally, err := s.Tally(ctx, account, topic, t0.Add(c.from), t0.Add(c.to))
		must(t, err)
		diff(t, "Tally "+c.name, c.want, tally)
	}
	other, err := s.Tally(ctx, account, "other", t0, t0.Add(time.Hour))
	must(t, err)
	diff(t, "Tally of another topic", notify.Tally{}, other)
	other, err = s.Tally(ctx, "globex", topic, t0, t0.Add(time.Hour))
	must(t, err)
	diff(t, "Tally of another account", notify.Tally{}, other)
}

func testApplyStatus(t *testing.T, s notify.Store) {
	ctx := context.Background()
	enqueue(t, s, "n", 2)
	got := claim(t, s, "n", "A", 2, t0)
	must(t, s.MarkSending(ctx, got[0].ID, "A"))
	m := got[0]
	m.Outcome, m.Status, m.Provider, m.ProviderID, m.UpdatedAt = notify.OutcomeSent, provider.StatusQueued, "fake", "fake-1", t0
	must(t, s.Complete(ctx, m, "A"))
	m2 := finish(t, s, got[1], "A", notify.OutcomeSent, t0)

	apply := func(st provider.Status, code string, at time.Duration, wantChanged bool, want provider.Status, wantHistory int) notify.Message {
		t.Helper()
		u := provider.StatusUpdate{Provider: "fake", ID: "fake-1", Status: st, Code: code, At: t0.Add(at)}
		got, changed, err := s.ApplyStatus(ctx, u)
		must(t, err)
		if changed != wantChanged || got.Status != want || len(got.Statuses) != wantHistory {
			t.Errorf("ApplyStatus(%v %q): changed %v status %v history %d; want %v %v %d", st, code, changed, got.Status, len(got.Statuses), wantChanged, want, wantHistory)
		}
		stored, err := s.Message(ctx, m.ID)
		must(t, err)
		diff(t, "stored after ApplyStatus", got, stored)
		return got
	}
	apply(provider.StatusSent, "", time.Minute, true, provider.StatusSent, 1)
	apply(provider.StatusSent, "", time.Minute, false, provider.StatusSent, 1)      // duplicate receipt
	apply(provider.StatusQueued, "", 30*time.Second, false, provider.StatusSent, 2) // late, kept in history only
	apply(provider.StatusQueued, "", 30*time.Second, false, provider.StatusSent, 2)
	last := apply(provider.StatusDelivered, "", 2*time.Minute, true, provider.StatusDelivered, 3)
	apply(provider.StatusDelivered, "", 2*time.Minute, false, provider.StatusDelivered, 3)
	apply(provider.StatusUndelivered, "30003", 3*time.Minute, false, provider.StatusDelivered, 4)
	apply(provider.StatusUndelivered, "30003", 3*time.Minute, false, provider.StatusDelivered, 4)
	want := []notify.StatusChange{
		{Status: provider.StatusSent, At: t0.Add(time.Minute)},
		{Status: provider.StatusQueued, At: t0.Add(30 * time.Second)},
		{Status: provider.StatusDelivered, At: t0.Add(2 * time.Minute)},
	}
	diff(t, "status history", want, last.Statuses)
	if !last.UpdatedAt.Equal(t0) {
		t.Errorf("UpdatedAt after receipts = %v, want the send time %v: receipts must not move it", last.UpdatedAt, t0)
	}

	// The second message fails after acceptance: counted failed once.
	for range 2 {
		_, _, err := s.ApplyStatus(ctx, provider.StatusUpdate{Provider: "fake", ID: m2.ProviderID, Status: provider.StatusUndelivered, Code: "30005", At: t0.Add(time.Minute)})
		must(t, err)
	}
	tally, err := s.Tally(ctx, account, topic, t0, t0.Add(time.Hour))
	must(t, err)
	diff(t, "Tally", notify.Tally{Sent: 2, Delivered: 1, Failed: 1}, tally)

	_, _, err = s.ApplyStatus(ctx, provider.StatusUpdate{Provider: "fake", ID: "nope", Status: provider.StatusDelivered, At: t0})
	wantErr(t, "ApplyStatus of an unknown provider id", err, notify.ErrNotFound)
}

func testRecent(t *testing.T, s notify.Store) {
	ctx := context.Background()
	enqueue(t, s, "n", 12)
	got := claim(t, s, "n", "A", 12, t0)
	var done []notify.Message
	// Complete in an order different from Index order; Recent follows
	// completion order.
	for _, i := range []int{5, 0, 7, 3, 11, 1, 2, 4, 6, 8} {
		done = append(done, finish(t, s, got[i], "A", notify.OutcomeSent, t0.Add(time.Duration(len(done))*time.Second)))
	}
	recent, err := s.Recent(ctx, account, topic, 4)
	must(t, err)
	diff(t, "Recent(4)", []notify.Message{done[9], done[8], done[7], done[6]}, recent)
	recent, err = s.Recent(ctx, account, topic, 100)
	must(t, err)
	if len(recent) != len(done) {
		t.Errorf("Recent(100) returned %d messages, want %d", len(recent), len(done))
	}
	for i := range recent {
		if recent[i].ID != done[len(done)-1-i].ID {
			t.Errorf("Recent(100)[%d] = %s, want %s", i, recent[i].ID, done[len(done)-1-i].ID)
		}
	}
	none, err := s.Recent(ctx, account, "quiet", 10)
	must(t, err)
	if len(none) != 0 {
		t.Errorf("Recent of an unused topic returned %d messages", len(none))
	}
}

func testRecentCap(t *testing.T, s notify.Store) {
	ctx := context.Background()
	create(t, s, "n", t0)
	ms := rows("n", 0, 1005)
	for i := range ms {
		ms[i].Outcome, ms[i].UpdatedAt = notify.OutcomeInvalid, t0.Add(time.Duration(i)*time.Millisecond)
	}
	must(t, s.Enqueue(ctx, ms))
	recent, err := s.Recent(ctx, account, topic, 1000)
	must(t, err)
	if len(recent) != 1000 {
		t.Fatalf("Recent(1000) returned %d messages, want 1000", len(recent))
	}
	if recent[0].Index != 1004 || recent[999].Index != 5 {
		t.Errorf("Recent(1000) runs from row %d to row %d, want 1004 down to 5", recent[0].Index, recent[999].Index)
	}
}

func testThread(t *testing.T, s notify.Store) {
	ctx := context.Background()
	var want []notify.Message
	for i, o := range []notify.Outcome{notify.OutcomeSent, notify.OutcomeFailed, notify.OutcomeUnknown, notify.OutcomeSent, notify.OutcomeSent} {
		nid := "n" + strconv.Itoa(i)
		enqueue(t, s, nid, 1)
		m := finish(t, s, claim(t, s, nid, "A", 1, t0)[0], "A", o, t0.Add(time.Duration(i)*time.Minute))
		if o != notify.OutcomeFailed {
			want = append(want, m)
		}
	}
	got, err := s.Thread(ctx, account, sender, number(0), 0)
	must(t, err)
	diff(t, "Thread (all)", want, got)
	got, err = s.Thread(ctx, account, sender, number(0), 2)
	must(t, err)
	diff(t, "Thread (last 2)", want[2:], got)
	got, err = s.Thread(ctx, "globex", sender, number(0), 0)
	must(t, err)
	diff(t, "Thread of another account", []notify.Message(nil), got)

	// Another account texting the same number from the same sender (the
	// sender changed hands) has a thread of its own, and the last message
	// of the pair is the newest of either.
	create(t, s, "ng", t0)
	ms := rows("ng", 0, 2)
	for i := range ms {
		ms[i].Account, ms[i].Given, ms[i].To = "globex", number(0), number(0)
	}
	must(t, s.Enqueue(ctx, ms))
	var theirs []notify.Message
	for i, m := range claim(t, s, "ng", "A", 2, t0) {
		theirs = append(theirs, finish(t, s, m, "A", notify.OutcomeSent, t0.Add(time.Duration(10+i)*time.Minute)))
	}
	got, err = s.Thread(ctx, "globex", sender, number(0), 0)
	must(t, err)
	diff(t, "Thread of the second account", theirs, got)
	got, err = s.Thread(ctx, "globex", sender, number(0), 1)
	must(t, err)
	diff(t, "Thread of the second account (last 1)", theirs[1:], got)
	got, err = s.Thread(ctx, account, sender, number(0), 0)
	must(t, err)
	diff(t, "Thread of the first account after the second sent", want, got)
}
