package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/sqlstore"
)

// batchFixture is a Store on a faulty connection with one notification of
// rows rows: the first held claimed by owner "A", the rest by "B".
type batchFixture struct {
	s    *sqlstore.Store
	f    *faults
	b    backend
	rows []notify.Message
	t0   time.Time
}

const batchRows = 40

func newBatchFixture(t *testing.T, b backend, heldByA int) *batchFixture {
	t.Helper()
	ctx := context.Background()
	f := &faults{}
	s := b.open(t, b.openFaulty(t, f))
	t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
	rec := notify.NotificationRecord{ID: "n", Account: "acme", Topic: "alerts", CreatedAt: t0}
	if _, _, err := s.CreateNotification(ctx, rec); err != nil {
		t.Fatal(err)
	}
	rows := make([]notify.Message, batchRows)
	for i := range rows {
		to := fmt.Sprintf("+1415555%04d", i)
		rows[i] = notify.Message{ID: fmt.Sprintf("n/%d", i), NotificationID: "n", Index: i, Account: "acme", Topic: "alerts",
			Given: to, To: to, From: "+14155550100", Body: "Your order shipped", Segments: 1, Encoding: "GSM-7", CreatedAt: t0, UpdatedAt: t0}
	}
	if err := s.Enqueue(ctx, rows); err != nil {
		t.Fatal(err)
	}
	until := t0.Add(time.Minute)
	if got, err := s.Claim(ctx, "n", "A", heldByA, t0, until); err != nil || len(got) != heldByA {
		t.Fatalf("Claim by A: %d rows, %v", len(got), err)
	}
	if got, err := s.Claim(ctx, "n", "B", batchRows, t0, until); err != nil || len(got) != batchRows-heldByA {
		t.Fatalf("Claim by B: %d rows, %v", len(got), err)
	}
	f.runs("")
	f.takeCommits()
	return &batchFixture{s: s, f: f, b: b, rows: rows, t0: t0}
}

// together runs the calls at once, written together: every call queues
// before any is written. It returns each call's answer.
func (x *batchFixture) together(calls []func() error) []error {
	release := x.s.HoldBatches()
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() { errs[i] = call() })
	}
	for x.s.Queued() < len(calls) {
		runtime.Gosched()
	}
	release()
	wg.Wait()
	return errs
}

// checkAnswers checks each answer against want: nil, or an error that is
// want[i].
func checkAnswers(t *testing.T, what string, errs, want []error) {
	t.Helper()
	for i := range errs {
		switch {
		case want[i] == nil && errs[i] != nil:
			t.Errorf("%s call %d: %v, want success", what, i, errs[i])
		case want[i] != nil && !errors.Is(errs[i], want[i]):
			t.Errorf("%s call %d: %v, want %v", what, i, errs[i], want[i])
		}
	}
}

// markCalls returns MarkSending calls by A for rows [0, n) (held by A when
// n <= heldByA), a row held by B, and a missing row, with the answers
// each must get.
func (x *batchFixture) markCalls(n, heldByA int) ([]func() error, []error) {
	var calls []func() error
	var want []error
	ctx := context.Background()
	for i := range n {
		id := x.rows[i].ID
		calls = append(calls, func() error { return x.s.MarkSending(ctx, id, "A") })
		if i < heldByA {
			want = append(want, nil)
		} else {
			want = append(want, notify.ErrClaimLost)
		}
	}
	calls = append(calls, func() error { return x.s.MarkSending(ctx, "n/missing", "A") })
	want = append(want, notify.ErrNotFound)
	return calls, want
}

// TestMarkSendingTogether checks that concurrent MarkSending calls are
// written together (one statement on PostgreSQL, one transaction on
// SQLite), that each caller gets its own row's answer, and that the rows
// marked are exactly the ones held.
func TestMarkSendingTogether(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		const heldByA = 30
		x := newBatchFixture(t, b, heldByA)
		calls, want := x.markCalls(heldByA+5, heldByA)
		checkAnswers(t, "MarkSending", x.together(calls), want)
		if b.dialect == sqlstore.Postgres {
			if n := x.f.runs("SET sending = 1"); n != 1 {
				t.Errorf("%d mark statements for %d calls, want 1", n, len(calls))
			}
		} else if n := x.f.takeCommits(); n != 1 {
			t.Errorf("%d commits for %d calls, want 1", n, len(calls))
		}
		x.checkMarked(t, heldByA)
	})
}

// checkMarked checks, through Recover after every lease, that exactly the
// first marked rows are marked as with the provider.
func (x *batchFixture) checkMarked(t *testing.T, marked int) {
	t.Helper()
	ctx := context.Background()
	if _, err := x.s.Recover(ctx, x.t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	counts, err := x.s.Counts(ctx, "n")
	if err != nil {
		t.Fatal(err)
	}
	if counts[notify.OutcomeUnknown] != marked || counts[notify.OutcomePending] != batchRows-marked {
		t.Errorf("recovered rows: %v, want %d unknown (marked) and %d pending", counts, marked, batchRows-marked)
	}
}

// completeCalls returns Complete calls by A for rows [0, n): the first
// half of those held sent, then deferred, then denied; rows held by B and
// a missing row get ErrClaimLost and ErrNotFound.
func (x *batchFixture) completeCalls(n, heldByA int) ([]func() error, []error, []notify.Message) {
	var (
		calls []func() error
		want  []error
		msgs  []notify.Message
	)
	ctx := context.Background()
	at := x.t0.Add(10 * time.Second)
	for i := range n {
		m := x.rows[i]
		m.UpdatedAt, m.Attempts = at, 1
		switch {
		case i < heldByA/2:
			m.Outcome, m.Provider, m.ProviderID, m.Status = notify.OutcomeSent, "fake", fmt.Sprintf("SM%d", i), 1
		case i < heldByA*3/4:
			m.Outcome, m.NotBefore = notify.OutcomeDeferred, x.t0.Add(time.Hour)
		default:
			m.Outcome, m.Reason, m.Detail = notify.OutcomeDenied, "opted_out", "the recipient opted out"
		}
		msgs = append(msgs, m)
		calls = append(calls, func() error { return x.s.Complete(ctx, m, "A") })
		if i < heldByA {
			want = append(want, nil)
		} else {
			want = append(want, notify.ErrClaimLost)
		}
	}
	missing := x.rows[0]
	missing.ID, missing.Outcome = "n/missing", notify.OutcomeSent
	calls = append(calls, func() error { return x.s.Complete(ctx, missing, "A") })
	want = append(want, notify.ErrNotFound)
	return calls, want, msgs
}

// TestCompleteTogether checks that concurrent Complete calls are written
// together (one statement on PostgreSQL, one transaction on SQLite), that
// each caller gets its own row's answer, that every completed row holds
// its outcome with its own history position, and that the tallies count
// each final row once.
func TestCompleteTogether(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		const heldByA = 32
		x := newBatchFixture(t, b, heldByA)
		calls, want, msgs := x.completeCalls(heldByA+4, heldByA)
		checkAnswers(t, "Complete", x.together(calls), want)
		if b.dialect == sqlstore.Postgres {
			if n := x.f.runs("herald_tallies"); n != 1 {
				t.Errorf("%d statements with the tallies for %d calls, want 1", n, len(calls))
			}
		} else if n := x.f.takeCommits(); n != 1 {
			t.Errorf("%d commits for %d calls, want 1", n, len(calls))
		}
		x.checkCompleted(t, msgs[:heldByA], 1)
	})
}

// checkCompleted checks the rows' outcomes, the history and the tallies
// after msgs were completed (times times their counts in the tallies).
func (x *batchFixture) checkCompleted(t *testing.T, msgs []notify.Message, times int64) {
	t.Helper()
	ctx := context.Background()
	var sent, denied int64
	finals := 0
	for _, m := range msgs {
		got, err := x.s.Message(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != m.Outcome || got.ProviderID != m.ProviderID || got.Reason != m.Reason || !got.UpdatedAt.Equal(m.UpdatedAt) {
			t.Errorf("row %s: outcome %v, provider id %q, reason %q, updated %v; want %v, %q, %q, %v",
				m.ID, got.Outcome, got.ProviderID, got.Reason, got.UpdatedAt, m.Outcome, m.ProviderID, m.Reason, m.UpdatedAt)
		}
		switch m.Outcome {
		case notify.OutcomeSent:
			sent++
		case notify.OutcomeDenied:
			denied++
		}
		if m.Outcome.Final() {
			finals++
		}
	}
	tally, err := x.s.Tally(ctx, "acme", "alerts", x.t0, x.t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := (notify.Tally{Sent: sent * times, Denied: denied * times}); tally != want {
		t.Errorf("tally %+v, want %+v", tally, want)
	}
	recent, err := x.s.Recent(ctx, "acme", "alerts", 1000)
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]bool)
	for _, m := range recent {
		if seen[m.ID] {
			t.Errorf("row %s twice in the history", m.ID)
		}
		seen[m.ID] = true
	}
	if len(seen) != finals {
		t.Errorf("history holds %d rows, want the %d final ones", len(seen), finals)
	}
	// The deferred rows are claimable again once due, and B still holds
	// its rows.
	got, err := x.s.Claim(ctx, "n", "C", batchRows, x.t0.Add(2*time.Hour), x.t0.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := len(msgs) - finals; len(got) != want {
		t.Errorf("claimed %d deferred rows, want %d", len(got), want)
	}
}

// TestBatchFailureRetriesEachCall checks that when the statement writing a
// batch fails, every call is retried on its own: each gets its own row's
// answer and every row ends as its caller was told.
func TestBatchFailureRetriesEachCall(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		const heldByA = 30
		x := newBatchFixture(t, b, heldByA)
		// The first mark statement fails: on PostgreSQL the batch's, on
		// SQLite the group's first.
		x.f.failStmts("sending = 1", false, 1)
		calls, want := x.markCalls(heldByA+5, heldByA)
		checkAnswers(t, "MarkSending", x.together(calls), want)
		x.checkMarked(t, heldByA)

		y := newBatchFixture(t, b, heldByA)
		y.f.failStmts("claim_owner = ''", false, 1) // Complete's UPDATE
		ccalls, cwant, msgs := y.completeCalls(heldByA+4, heldByA)
		checkAnswers(t, "Complete", y.together(ccalls), cwant)
		y.checkCompleted(t, msgs[:heldByA], 1)
	})
}

// TestBatchLostAnswer checks batches whose change was committed but whose
// answer was lost: the calls retried on their own find their rows already
// written and succeed, and nothing is counted twice.
func TestBatchLostAnswer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		const heldByA = 30
		lose := func(x *batchFixture, match string) {
			if b.dialect == sqlstore.Postgres {
				x.f.failStmts(match, true, 1) // one statement, committed on its own
			} else {
				x.f.commitThenFail.Store(true) // the group's commit
			}
		}
		x := newBatchFixture(t, b, heldByA)
		lose(x, "sending = 1")
		calls, want := x.markCalls(heldByA+5, heldByA)
		checkAnswers(t, "MarkSending", x.together(calls), want)
		x.checkMarked(t, heldByA)

		y := newBatchFixture(t, b, heldByA)
		lose(y, "herald_tallies")
		ccalls, cwant, msgs := y.completeCalls(heldByA+4, heldByA)
		checkAnswers(t, "Complete", y.together(ccalls), cwant)
		y.checkCompleted(t, msgs[:heldByA], 1)
	})
}

// TestRecordSendTogether checks that concurrent RecordSend calls are
// written together and each is counted.
func TestRecordSendTogether(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		x := newBatchFixture(t, b, 1)
		ctx := context.Background()
		var calls []func() error
		for i := range 20 {
			r := compliance.SendRecord{To: fmt.Sprintf("+1415555%04d", i%5), Topic: "alerts", At: x.t0.Add(time.Duration(i) * time.Second)}
			calls = append(calls, func() error { return x.s.RecordSend(ctx, r) })
		}
		checkAnswers(t, "RecordSend", x.together(calls), make([]error, len(calls)))
		if b.dialect == sqlstore.Postgres {
			if n := x.f.runs("INSERT INTO herald_sends"); n != 1 {
				t.Errorf("%d insert statements for %d calls, want 1", n, len(calls))
			}
		} else if n := x.f.takeCommits(); n != 1 {
			t.Errorf("%d commits for %d calls, want 1", n, len(calls))
		}
		for i := range 5 {
			got, err := x.s.CountSends(ctx, compliance.SendQuery{To: fmt.Sprintf("+1415555%04d", i), Since: x.t0.Add(-time.Second)})
			if err != nil {
				t.Fatal(err)
			}
			if got.Count != 4 || !got.Oldest.Equal(x.t0.Add(time.Duration(i)*time.Second)) {
				t.Errorf("number %d: %+v, want 4 sends, the oldest at %v", i, got, x.t0.Add(time.Duration(i)*time.Second))
			}
		}
	})
}

// TestReadsTogether checks that concurrent State and CountSends calls
// (read together on PostgreSQL, one query per batch and shape) each get the
// answer a call of their own gets.
func TestReadsTogether(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		x := newBatchFixture(t, b, 1)
		ctx := context.Background()
		number := func(i int) string { return fmt.Sprintf("+1415555%04d", i) }
		for i := range 6 {
			for j := range i % 3 { // 0, 1 or 2 sends, some with the body hashed 7
				r := compliance.SendRecord{To: number(i), Topic: []string{"alerts", "news"}[j], Kind: compliance.Kind(j),
					BodyHash: uint64(7 * j), At: x.t0.Add(time.Duration(i+j) * time.Second)}
				if err := x.s.RecordSend(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			if i%2 == 0 {
				rec := compliance.Record{ID: fmt.Sprintf("r%d", i), Number: number(i), Action: compliance.ActionOptOut,
					Source: compliance.SourceKeyword, Text: "STOP", At: x.t0.Add(time.Duration(i) * time.Second)}
				if err := x.s.Append(ctx, rec); err != nil {
					t.Fatal(err)
				}
			}
		}
		at := x.t0.Add(time.Minute)
		queries := []compliance.SendQuery{}
		for i := range 6 {
			queries = append(queries,
				compliance.SendQuery{To: number(i), Since: x.t0.Add(-time.Second)},
				compliance.SendQuery{To: number(i), Since: x.t0.Add(-time.Second), MatchBody: true, BodyHash: 7},
				compliance.SendQuery{To: number(i), Since: x.t0.Add(-time.Second), MatchTopic: true, Topic: "news"},
				compliance.SendQuery{To: number(i), Since: x.t0.Add(-time.Second), Kinds: compliance.ServiceOnly},
			)
		}
		wantStates := make([]compliance.ConsentState, 6)
		wantCounts := make([]compliance.SendTally, len(queries))
		for i := range wantStates {
			st, err := x.s.State(ctx, number(i), "", compliance.Marketing, at)
			if err != nil {
				t.Fatal(err)
			}
			wantStates[i] = st
		}
		for i, q := range queries {
			c, err := x.s.CountSends(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			wantCounts[i] = c
		}
		gotStates := make([]compliance.ConsentState, len(wantStates))
		gotCounts := make([]compliance.SendTally, len(queries))
		var calls []func() error
		for i := range wantStates {
			calls = append(calls, func() (err error) {
				gotStates[i], err = x.s.State(ctx, number(i), "", compliance.Marketing, at)
				return err
			})
		}
		for i, q := range queries {
			calls = append(calls, func() (err error) {
				gotCounts[i], err = x.s.CountSends(ctx, q)
				return err
			})
		}
		var errs []error
		if b.dialect == sqlstore.Postgres {
			x.f.runs("")
			errs = x.together(calls)
			if n := x.f.runs("herald_consent"); n != 1 {
				t.Errorf("%d consent queries for %d State calls, want 1", n, len(wantStates))
			}
		} else {
			errs = make([]error, len(calls))
			var wg sync.WaitGroup
			for i, call := range calls {
				wg.Go(func() { errs[i] = call() })
			}
			wg.Wait()
		}
		checkAnswers(t, "read", errs, make([]error, len(calls)))
		for i := range wantStates {
			if fmt.Sprint(gotStates[i]) != fmt.Sprint(wantStates[i]) {
				t.Errorf("State of number %d read together: %+v, alone: %+v", i, gotStates[i], wantStates[i])
			}
		}
		for i := range queries {
			if gotCounts[i] != wantCounts[i] {
				t.Errorf("CountSends %+v read together: %+v, alone: %+v", queries[i], gotCounts[i], wantCounts[i])
			}
		}
	})
}
