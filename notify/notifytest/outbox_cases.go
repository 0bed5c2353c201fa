package notifytest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

func testIdempotency(t *testing.T, s notify.Store) {
	ctx := context.Background()
	rec := notify.NotificationRecord{ID: "n1", Account: account, Topic: topic, IdempotencyKey: "order-7", CreatedAt: t0, UpdatedAt: t0}
	got, created, err := s.CreateNotification(ctx, rec)
	must(t, err)
	if !created {
		t.Fatal("first CreateNotification: created = false")
	}
	diff(t, "first record", rec, got)

	again := rec
	again.ID = "n2"
	got, created, err = s.CreateNotification(ctx, again)
	must(t, err)
	if created {
		t.Error("repeated idempotency key: created = true")
	}
	diff(t, "existing record", rec, got)
	_, err = s.Notification(ctx, "n2")
	wantErr(t, "Notification of the refused duplicate", err, notify.ErrNotFound)

	other := rec
	other.ID, other.Account = "n3", "globex"
	if _, created, err = s.CreateNotification(ctx, other); err != nil || !created {
		t.Errorf("same key in another account: created %v, err %v; want a new record", created, err)
	}
	for _, id := range []string{"n4", "n5"} {
		plain := notify.NotificationRecord{ID: id, Account: account, CreatedAt: t0}
		if _, created, err = s.CreateNotification(ctx, plain); err != nil || !created {
			t.Errorf("no idempotency key (%s): created %v, err %v", id, created, err)
		}
	}
	// A key that was refused because the ID clashed must not be taken.
	clash := notify.NotificationRecord{ID: "n4", Account: account, IdempotencyKey: "fresh", CreatedAt: t0}
	if _, created, err := s.CreateNotification(ctx, clash); err == nil && created {
		t.Error("CreateNotification with an existing ID: created = true")
	}
	fresh := notify.NotificationRecord{ID: "n6", Account: account, IdempotencyKey: "fresh", CreatedAt: t0}
	if got, created, err := s.CreateNotification(ctx, fresh); err != nil || !created {
		t.Errorf("key of a failed create: got %s created %v err %v; want it still free", got.ID, created, err)
	}
}

func testNotificationNotFound(t *testing.T, s notify.Store) {
	ctx := context.Background()
	_, err := s.Notification(ctx, "missing")
	wantErr(t, "Notification", err, notify.ErrNotFound)
	err = s.UpdateNotification(ctx, notify.NotificationRecord{ID: "missing"})
	wantErr(t, "UpdateNotification", err, notify.ErrNotFound)
	_, err = s.Claim(ctx, "missing", "a", 10, t0, t0.Add(time.Minute))
	wantErr(t, "Claim", err, notify.ErrNotFound)
	_, err = s.Counts(ctx, "missing")
	wantErr(t, "Counts", err, notify.ErrNotFound)
	_, err = s.Messages(ctx, "missing", 0, 10)
	wantErr(t, "Messages", err, notify.ErrNotFound)
	_, err = s.Message(ctx, "missing/0")
	wantErr(t, "Message", err, notify.ErrNotFound)
}

func testUnfinished(t *testing.T, s notify.Store) {
	ctx := context.Background()
	a := create(t, s, "a", t0.Add(2*time.Second))
	b := create(t, s, "b", t0)
	c := create(t, s, "c", t0.Add(time.Second))
	d := create(t, s, "d", t0.Add(3*time.Second))

	got, err := s.Unfinished(ctx)
	must(t, err)
	diff(t, "Unfinished", []notify.NotificationRecord{b, c, a, d}, got)

	c.State, c.Total, c.UpdatedAt = notify.NotificationDone, 7, t0.Add(time.Hour)
	must(t, s.UpdateNotification(ctx, c))
	d.State, d.PauseReason, d.UpdatedAt = notify.NotificationPaused, "opt-out rate above 2%", t0.Add(time.Hour)
	must(t, s.UpdateNotification(ctx, d))

	gotC, err := s.Notification(ctx, "c")
	must(t, err)
	diff(t, "updated record", c, gotC)
	gotD, err := s.Notification(ctx, "d")
	must(t, err)
	diff(t, "paused record", d, gotD)

	got, err = s.Unfinished(ctx)
	must(t, err)
	diff(t, "Unfinished after update", []notify.NotificationRecord{b, a}, got)
}

func testEnqueue(t *testing.T, s notify.Store) {
	ctx := context.Background()
	create(t, s, "n", t0)
	ms := rows("n", 0, 2500)
	ms[3].Outcome, ms[3].To, ms[3].Reason = notify.OutcomeInvalid, "", "invalid_number"
	ms[5].Outcome, ms[5].Reason = notify.OutcomeDuplicate, "duplicate"
	ms[7].Metadata = map[string]string{"crm": "7"}
	ms[7].NotBefore = t0.Add(time.Hour)
	ms[7].Statuses = []notify.StatusChange{{Status: provider.StatusQueued, Code: "x", At: t0}}
	ms[7].Price, ms[7].Detail = "0.0079 USD", "detail"
	ms[9].ID = "" // assigned as NotificationID/Index
	for i := 0; i < len(ms); i += 1000 {
		must(t, s.Enqueue(ctx, ms[i:min(i+1000, len(ms))]))
	}
	ms[9].ID = "n/9"

	got, err := s.Messages(ctx, "n", 0, 10)
	must(t, err)
	diff(t, "Messages(0, 10)", ms[:10], got)
	got, err = s.Messages(ctx, "n", 2495, 100)
	must(t, err)
	diff(t, "Messages(2495, 100)", ms[2495:], got)
	got, err = s.Messages(ctx, "n", 1500, 3)
	must(t, err)
	diff(t, "Messages(1500, 3)", ms[1500:1503], got)

	m, err := s.Message(ctx, "n/7")
	must(t, err)
	diff(t, "Message(n/7)", ms[7], m)
	m, err = s.Message(ctx, "n/9")
	must(t, err)
	diff(t, "Message with assigned ID", ms[9], m)

	counts, err := s.Counts(ctx, "n")
	must(t, err)
	diff(t, "Counts", map[notify.Outcome]int{notify.OutcomePending: 2498, notify.OutcomeInvalid: 1, notify.OutcomeDuplicate: 1}, counts)

	// Final rows enqueued are history at once and never claimed.
	all := claim(t, s, "n", "w", 3000, t0)
	if len(all) != 2498 {
		t.Errorf("Claim returned %d rows, want the 2498 pending ones", len(all))
	}
	for _, c := range all {
		if c.Index == 3 || c.Index == 5 {
			t.Errorf("Claim returned final row %d", c.Index)
		}
	}
}

func testEnqueueErrors(t *testing.T, s notify.Store) {
	ctx := context.Background()
	if err := s.Enqueue(ctx, rows("ghost", 0, 2)); err == nil {
		t.Error("Enqueue into an unknown notification: no error")
	}
	enqueue(t, s, "n", 3)
	if err := s.Enqueue(ctx, rows("n", 2, 1)); err == nil {
		t.Error("Enqueue of an existing row: no error")
	}
}

func testClaimOrder(t *testing.T, s notify.Store) {
	ctx := context.Background()
	enqueue(t, s, "n", 10)
	until := t0.Add(time.Minute)
	a, err := s.Claim(ctx, "n", "A", 4, t0, until)
	must(t, err)
	diff(t, "A's claim", span(0, 4), indexes(a))
	diff(t, "B's claim", span(4, 8), indexes(claim(t, s, "n", "B", 4, t0)))
	diff(t, "C's claim", span(8, 10), indexes(claim(t, s, "n", "C", 10, t0)))
	if got := claim(t, s, "n", "D", 10, t0); len(got) != 0 {
		t.Errorf("claim of an exhausted outbox returned %v", indexes(got))
	}
	// Row 5 is B's until its lease ends: only B may mark it.
	wantErr(t, "MarkSending of B's row by A", s.MarkSending(ctx, "n/5", "A"), notify.ErrClaimLost)
	must(t, s.MarkSending(ctx, "n/5", "B"))
	if n, err := s.Recover(ctx, until.Add(-time.Nanosecond)); err != nil || n != 0 {
		t.Errorf("Recover before the leases end changed %d rows (%v)", n, err)
	}
	// Claims of another notification are independent.
	enqueue(t, s, "other", 2)
	diff(t, "other notification", span(0, 2), indexes(claim(t, s, "other", "A", 10, t0)))
}

func testClaimConcurrent(t *testing.T, s notify.Store) {
	ctx := context.Background()
	const n, workers = 600, 6
	enqueue(t, s, "n", n)
	var mu sync.Mutex
	seen := make(map[int]string)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		owner := fmt.Sprintf("w%d", w)
		wg.Go(func() {
			for {
				got, err := s.Claim(ctx, "n", owner, 7, t0, t0.Add(time.Minute))
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					return
				}
				for _, m := range got {
					mu.Lock()
					if prev, dup := seen[m.Index]; dup {
						mu.Unlock()
						errs <- fmt.Errorf("row %d claimed by %s and %s", m.Index, prev, owner)
						return
					}
					seen[m.Index] = owner
					mu.Unlock()
					if err := s.MarkSending(ctx, m.ID, owner); err != nil {
						errs <- err
						return
					}
					m.Outcome, m.UpdatedAt = notify.OutcomeSent, t0
					if err := s.Complete(ctx, m, owner); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(seen) != n {
		t.Errorf("%d rows claimed, want %d", len(seen), n)
	}
	counts, err := s.Counts(ctx, "n")
	must(t, err)
	diff(t, "Counts", map[notify.Outcome]int{notify.OutcomeSent: n}, counts)
	tally, err := s.Tally(ctx, account, topic, t0, t0.Add(time.Minute))
	must(t, err)
	diff(t, "Tally", notify.Tally{Sent: n}, tally)
}

func testMarkSendingComplete(t *testing.T, s notify.Store) {
	ctx := context.Background()
	enqueue(t, s, "n", 3)
	got := claim(t, s, "n", "A", 1, t0)
	m := got[0]
	wantErr(t, "MarkSending by another owner", s.MarkSending(ctx, m.ID, "B"), notify.ErrClaimLost)
	wantErr(t, "MarkSending with no owner", s.MarkSending(ctx, m.ID, ""), notify.ErrClaimLost)
	wantErr(t, "MarkSending of an unclaimed row", s.MarkSending(ctx, "n/1", "A"), notify.ErrClaimLost)
	wantErr(t, "MarkSending of an unknown row", s.MarkSending(ctx, "n/99", "A"), notify.ErrNotFound)
	must(t, s.MarkSending(ctx, m.ID, "A"))
	stored, err := s.Message(ctx, m.ID)
	must(t, err)
	if stored.Attempts != 1 || stored.Outcome != notify.OutcomePending {
		t.Errorf("after MarkSending: attempts %d outcome %v; want 1, pending", stored.Attempts, stored.Outcome)
	}

	done := m
	done.Outcome, done.Status, done.Provider, done.ProviderID = notify.OutcomeSent, provider.StatusQueued, "fake", "fake-1"
	done.Price, done.UpdatedAt, done.Attempts = "0.0079 USD", t0.Add(time.Second), 1
	done.Metadata = map[string]string{"crm": "1"}
	wantErr(t, "Complete by another owner", s.Complete(ctx, done, "B"), notify.ErrClaimLost)
	must(t, s.Complete(ctx, done, "A"))
	want := done
	stored, err = s.Message(ctx, m.ID)
	must(t, err)
	diff(t, "completed row", want, stored)
	wantErr(t, "second Complete", s.Complete(ctx, done, "A"), notify.ErrClaimLost)
	wantErr(t, "MarkSending after Complete", s.MarkSending(ctx, m.ID, "A"), notify.ErrClaimLost)

	tally, err := s.Tally(ctx, account, topic, t0, t0.Add(time.Hour))
	must(t, err)
	diff(t, "Tally after one send and a refused second Complete", notify.Tally{Sent: 1}, tally)
	counts, err := s.Counts(ctx, "n")
	must(t, err)
	diff(t, "Counts", map[notify.Outcome]int{notify.OutcomeSent: 1, notify.OutcomePending: 2}, counts)
}

func testCompletePending(t *testing.T, s notify.Store) {
	ctx := context.Background()
	enqueue(t, s, "n", 6)
	got := claim(t, s, "n", "A", 3, t0)
	back := got[1]
	must(t, s.MarkSending(ctx, back.ID, "A"))
	back.Outcome = notify.OutcomePending // surely not sent (HTTP 429): give it back
	must(t, s.Complete(ctx, back, "A"))
	stored, err := s.Message(ctx, back.ID)
	must(t, err)
	if stored.Outcome != notify.OutcomePending {
		t.Errorf("given-back row: outcome %v", stored.Outcome)
	}
	wantErr(t, "MarkSending of a given-back row", s.MarkSending(ctx, back.ID, "A"), notify.ErrClaimLost)
	diff(t, "next claim", []int{1, 3, 4, 5}, indexes(claim(t, s, "n", "B", 10, t0)))
	// Rows 0 and 2 are still A's.
	must(t, s.MarkSending(ctx, got[0].ID, "A"))
	must(t, s.MarkSending(ctx, got[2].ID, "A"))
}

func testRecover(t *testing.T, s notify.Store) {
	ctx := context.Background()
	enqueue(t, s, "n", 6)
	got := claim(t, s, "n", "A", 4, t0) // leased until t0+1m
	must(t, s.MarkSending(ctx, got[2].ID, "A"))
	must(t, s.MarkSending(ctx, got[3].ID, "A"))
	fresh := claim(t, s, "n", "B", 1, t0.Add(time.Minute)) // row 4, leased until t0+2m

	n, err := s.Recover(ctx, t0.Add(30*time.Second))
	must(t, err)
	if n != 0 {
		t.Errorf("Recover before any lease ended changed %d rows", n)
	}
	at := t0.Add(90 * time.Second)
	n, err = s.Recover(ctx, at)
	must(t, err)
	if n != 4 {
		t.Errorf("Recover changed %d rows, want 4", n)
	}
	for i, m := range got {
		stored, err := s.Message(ctx, m.ID)
		must(t, err)
		want := notify.OutcomePending
		if i >= 2 {
			want = notify.OutcomeUnknown
		}
		if stored.Outcome != want {
			t.Errorf("row %d after Recover: outcome %v; want %v", i, stored.Outcome, want)
		}
	}
	wantErr(t, "Complete by the owner whose claim was recovered", s.Complete(ctx, got[2], "A"), notify.ErrClaimLost)
	wantErr(t, "MarkSending by the owner whose claim was recovered", s.MarkSending(ctx, got[0].ID, "A"), notify.ErrClaimLost)
	must(t, s.MarkSending(ctx, fresh[0].ID, "B"))

	diff(t, "claim after Recover", []int{0, 1, 5}, indexes(claim(t, s, "n", "C", 10, at)))
	tally, err := s.Tally(ctx, account, topic, t0, t0.Add(time.Hour))
	must(t, err)
	diff(t, "Tally", notify.Tally{Unknown: 2}, tally)
	recent, err := s.Recent(ctx, account, topic, 10)
	must(t, err)
	if len(recent) != 2 {
		t.Errorf("Recent has %d messages after Recover, want the 2 unknown ones", len(recent))
	}
	n, err = s.Recover(ctx, at)
	must(t, err)
	if n != 0 {
		t.Errorf("second Recover changed %d rows", n)
	}
	counts, err := s.Counts(ctx, "n")
	must(t, err)
	diff(t, "Counts", map[notify.Outcome]int{notify.OutcomePending: 4, notify.OutcomeUnknown: 2}, counts)
}

func testDeferrals(t *testing.T, s notify.Store) {
	ctx := context.Background()
	enqueue(t, s, "n", 6)
	got := claim(t, s, "n", "A", 3, t0)
	later, soon := got[0], got[1]
	later.Outcome, later.NotBefore, later.Reason = notify.OutcomeDeferred, t0.Add(10*time.Minute), "quiet_hours"
	soon.Outcome, soon.NotBefore, soon.Reason = notify.OutcomeDeferred, t0.Add(time.Minute), "quiet_hours"
	must(t, s.Complete(ctx, later, "A"))
	must(t, s.Complete(ctx, soon, "A"))
	finish(t, s, got[2], "A", notify.OutcomeSent, t0)

	counts, err := s.Counts(ctx, "n")
	must(t, err)
	diff(t, "Counts", map[notify.Outcome]int{notify.OutcomeDeferred: 2, notify.OutcomeSent: 1, notify.OutcomePending: 3}, counts)

	diff(t, "claim at t0", []int{3, 4, 5}, indexes(claim(t, s, "n", "B", 10, t0)))
	if got := claim(t, s, "n", "B", 10, t0.Add(30*time.Second)); len(got) != 0 {
		t.Errorf("claim before any deferral is due returned %v", indexes(got))
	}
	due := claim(t, s, "n", "B", 10, t0.Add(5*time.Minute))
	diff(t, "claim at t0+5m", []int{1}, indexes(due))
	if len(due) == 1 && (due[0].Outcome != notify.OutcomeDeferred || !due[0].NotBefore.Equal(soon.NotBefore)) {
		t.Errorf("claimed deferral: outcome %v not before %v", due[0].Outcome, due[0].NotBefore)
	}
	diff(t, "claim at t0+10m", []int{0}, indexes(claim(t, s, "n", "C", 10, t0.Add(10*time.Minute))))
}

func testDeferralsOnce(t *testing.T, s notify.Store) {
	ctx := context.Background()
	enqueue(t, s, "n", 8)
	got := claim(t, s, "n", "A", 4, t0)
	for _, m := range got[2:] {
		m.Outcome, m.NotBefore = notify.OutcomeDeferred, t0.Add(time.Hour)
		must(t, s.Complete(ctx, m, "A"))
	}
	diff(t, "first pass", []int{4, 5, 6, 7}, indexes(claim(t, s, "n", "B", 10, t0)))
	// Giving back an early row makes the store look at the deferred rows
	// again; they must still come out once each when due.
	giveBack := func(m notify.Message) {
		m.Outcome = notify.OutcomePending
		must(t, s.Complete(ctx, m, "A"))
	}
	giveBack(got[0])
	diff(t, "after giving one back", []int{0}, indexes(claim(t, s, "n", "B", 10, t0)))
	giveBack(got[1])
	diff(t, "after giving a second back", []int{1}, indexes(claim(t, s, "n", "B", 10, t0)))
	diff(t, "due", []int{2, 3}, indexes(claim(t, s, "n", "C", 10, t0.Add(2*time.Hour))))
	if again := claim(t, s, "n", "D", 10, t0.Add(3*time.Hour)); len(again) != 0 {
		t.Errorf("deferred rows claimed twice: %v", indexes(again))
	}
}

func testCancelRows(t *testing.T, s notify.Store) {
	ctx := context.Background()
	enqueue(t, s, "n", 6)
	got := claim(t, s, "n", "A", 3, t0)
	finish(t, s, got[0], "A", notify.OutcomeSent, t0)
	later := got[1]
	later.Outcome, later.NotBefore = notify.OutcomeDeferred, t0.Add(time.Hour)
	must(t, s.Complete(ctx, later, "A"))
	// got[2] stays claimed by A; rows 3-5 are pending.
	n, err := s.CancelRows(ctx, "n", t0.Add(time.Minute))
	must(t, err)
	if n != 4 {
		t.Errorf("CancelRows changed %d rows, want the deferred one and the 3 pending", n)
	}
	counts, err := s.Counts(ctx, "n")
	must(t, err)
	diff(t, "Counts after CancelRows", map[notify.Outcome]int{notify.OutcomeSent: 1, notify.OutcomeCanceled: 4, notify.OutcomePending: 1}, counts)
	m, err := s.Message(ctx, got[1].ID)
	must(t, err)
	if m.Outcome != notify.OutcomeCanceled || m.Reason != "canceled" {
		t.Errorf("canceled row: %v %q", m.Outcome, m.Reason)
	}
	if again := claim(t, s, "n", "B", 10, t0.Add(2*time.Hour)); len(again) != 0 {
		t.Errorf("canceled rows claimed: %v", indexes(again))
	}
	_, err = s.CancelRows(ctx, "missing", t0)
	wantErr(t, "CancelRows of an unknown notification", err, notify.ErrNotFound)
}
