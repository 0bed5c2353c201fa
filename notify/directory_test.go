package notify

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

// newTestService returns a Service over a fresh memory store and fake
// provider; the fake is closed when the test ends.
func newTestService(t testing.TB, opts ...Option) (*Service, *MemoryStore, *fake.Provider) {
	t.Helper()
	p := fake.New()
	st := NewMemoryStore()
	s, err := New(p, append([]Option{WithStore(st)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		_ = s.Shutdown(context.Background())
		_ = p.Close()
	})
	if err := s.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	return s, st, p
}

// sentMsg describes a message written straight into a store, as the
// pipeline would after a successful provider call.
type sentMsg struct {
	account, topic string
	from, to       string
	body           string
	at             time.Time
	outcome        Outcome
	meta           map[string]string
}

// putSent stores one notification with one message through
// CreateNotification, Enqueue, Claim, MarkSending and Complete, and returns
// the final message. Its provider id is "p-" + the notification id.
func putSent(t testing.TB, st Store, id string, m sentMsg) Message {
	t.Helper()
	ctx := context.Background()
	if m.outcome == OutcomePending {
		m.outcome = OutcomeSent
	}
	if m.topic == "" {
		m.topic = DefaultTopic
	}
	rec := NotificationRecord{ID: id, Account: m.account, Topic: m.topic, Total: 1, CreatedAt: m.at, UpdatedAt: m.at,
		Notification: Notification{Account: m.account, From: m.from, Body: m.body, Topic: m.topic, Metadata: m.meta}}
	if _, _, err := st.CreateNotification(ctx, rec); err != nil {
		t.Fatalf("CreateNotification: %v", err)
	}
	row := Message{NotificationID: id, Account: m.account, Topic: m.topic, Given: m.to, To: m.to, From: m.from,
		Body: m.body, Metadata: m.meta, CreatedAt: m.at, UpdatedAt: m.at}
	if err := st.Enqueue(ctx, []Message{row}); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	got, err := st.Claim(ctx, id, "test", 1, m.at, m.at.Add(time.Minute))
	if err != nil || len(got) != 1 {
		t.Fatalf("Claim: %v, %d rows", err, len(got))
	}
	done := got[0]
	if err := st.MarkSending(ctx, done.ID, "test"); err != nil {
		t.Fatalf("MarkSending: %v", err)
	}
	done.Outcome, done.Segments, done.Encoding = m.outcome, 1, "GSM-7"
	if m.outcome == OutcomeSent {
		done.Provider, done.ProviderID, done.Status = fake.Name, "p-"+id, provider.StatusQueued
		done.Statuses = []StatusChange{{Status: provider.StatusQueued, At: m.at}}
	}
	if m.outcome == OutcomeDenied {
		done.Reason, done.Detail = "consent.opted-out", "+1415****671 opted out"
	}
	done.UpdatedAt = m.at
	if err := st.Complete(ctx, done, "test"); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	final, err := st.Message(ctx, done.ID)
	if err != nil {
		t.Fatalf("Message: %v", err)
	}
	return final
}

var t0 = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

func num(i int) string { return fmt.Sprintf("+1415555%04d", i) }

func TestStickyIndexSpreads(t *testing.T) {
	seen := map[int]int{}
	for i := range 300 {
		seen[stickyIndex(num(i), 3)]++
	}
	for k := range 3 {
		if seen[k] < 50 {
			t.Errorf("pool index %d chosen %d times of 300: %v", k, seen[k], seen)
		}
	}
	if got := stickyIndex("+14155550100", 3); got != 2 {
		t.Errorf("stickyIndex changed: %d, want 2 (instances must agree)", got)
	}
}
