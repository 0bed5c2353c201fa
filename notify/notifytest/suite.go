package notifytest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/heraldsms/herald/notify"
)

// TestStore runs the conformance suite against the stores newStore returns.
// newStore is called once per subtest and must return a new, empty store;
// it may register cleanups on the t it is given.
func TestStore(t *testing.T, newStore func(t *testing.T) notify.Store) {
	t.Helper()
	cases := []struct {
		name string
		fn   func(t *testing.T, s notify.Store)
	}{
		{"CreateNotificationIdempotency", testIdempotency},
		{"NotificationNotFound", testNotificationNotFound},
		{"UpdateNotificationAndUnfinished", testUnfinished},
		{"EnqueueAndMessages", testEnqueue},
		{"EnqueueErrors", testEnqueueErrors},
		{"ClaimOrderAndLeases", testClaimOrder},
		{"ClaimConcurrent", testClaimConcurrent},
		{"MarkSendingAndComplete", testMarkSendingComplete},
		{"CompletePendingGivesBack", testCompletePending},
		{"Recover", testRecover},
		{"CancelRows", testCancelRows},
		{"Deferrals", testDeferrals},
		{"DeferralsClaimedOnce", testDeferralsOnce},
		{"Tallies", testTallies},
		{"ApplyStatus", testApplyStatus},
		{"Recent", testRecent},
		{"RecentKeepsLast1000", testRecentCap},
		{"Thread", testThread},
		{"SettleUnknown", testSettleUnknown},
		{"SettleUnknownConcurrent", testSettleConcurrent},
		{"Paused", testPaused},
		{"Topics", testTopics},
		{"Replies", testReplies},
		{"ClaimSender", testClaimSender},
		{"StickySender", testStickySender},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.fn(t, newStore(t))
		})
	}
}

// t0 is the suite's clock origin, on a minute boundary.
var t0 = time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC)

const (
	account = "acme"
	topic   = "alerts"
	sender  = "+14155550100"
)

// cmpOpts compares records regardless of nil versus empty slices and maps;
// time.Time values compare with Equal.
var cmpOpts = []cmp.Option{cmpopts.EquateEmpty()}

func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts...); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v, want errors.Is %v", what, err, target)
	}
}

// create stores a pending notification record.
func create(t *testing.T, s notify.Store, id string, at time.Time) notify.NotificationRecord {
	t.Helper()
	rec := notify.NotificationRecord{
		ID:      id,
		Account: account,
		Topic:   topic,
		Notification: notify.Notification{
			Account:  account,
			From:     sender,
			Body:     "Your order shipped",
			Topic:    topic,
			Metadata: map[string]string{"crm": "42"},
		},
		State:     notify.NotificationPending,
		CreatedAt: at,
		UpdatedAt: at,
	}
	got, created, err := s.CreateNotification(context.Background(), rec)
	must(t, err)
	if !created {
		t.Fatalf("CreateNotification(%s): created = false", id)
	}
	diff(t, "CreateNotification result", rec, got)
	return rec
}

// number returns a distinct E.164 recipient for index i.
func number(i int) string { return fmt.Sprintf("+1415%07d", 2000000+i) }

// rows builds n pending outbox rows of notification nid from index first.
func rows(nid string, first, n int) []notify.Message {
	out := make([]notify.Message, n)
	for i := range out {
		idx := first + i
		out[i] = notify.Message{
			ID:             fmt.Sprintf("%s/%d", nid, idx),
			NotificationID: nid,
			Index:          idx,
			Account:        account,
			Topic:          topic,
			Given:          number(idx),
			To:             number(idx),
			From:           sender,
			Body:           "Your order shipped",
			Segments:       1,
			Encoding:       "GSM-7",
			Outcome:        notify.OutcomePending,
			CreatedAt:      t0,
			UpdatedAt:      t0,
		}
	}
	return out
}

// enqueue creates notification nid with n pending rows.
func enqueue(t *testing.T, s notify.Store, nid string, n int) []notify.Message {
	t.Helper()
	create(t, s, nid, t0)
	ms := rows(nid, 0, n)
	must(t, s.Enqueue(context.Background(), ms))
	return ms
}

func claim(t *testing.T, s notify.Store, nid, owner string, limit int, now time.Time) []notify.Message {
	t.Helper()
	got, err := s.Claim(context.Background(), nid, owner, limit, now, now.Add(time.Minute))
	must(t, err)
	return got
}

func indexes(ms []notify.Message) []int {
	out := make([]int, len(ms))
	for i, m := range ms {
		out[i] = m.Index
	}
	return out
}

func span(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// finish marks m sending and completes it with outcome at time at.
func finish(t *testing.T, s notify.Store, m notify.Message, owner string, o notify.Outcome, at time.Time) notify.Message {
	t.Helper()
	ctx := context.Background()
	must(t, s.MarkSending(ctx, m.ID, owner))
	m.Outcome = o
	m.UpdatedAt = at
	m.Attempts = 1
	if o == notify.OutcomeSent {
		m.Provider = "fake"
		m.ProviderID = "p-" + m.ID
	}
	must(t, s.Complete(ctx, m, owner))
	return m
}
