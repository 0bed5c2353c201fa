package notify_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/compliance/compliancetest"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/notifytest"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

func TestMemoryStore(t *testing.T) {
	notifytest.TestStore(t, func(t *testing.T) notify.Store { return notify.NewMemoryStore() })
}

func TestMemoryStoreEnqueueDefaultIDs(t *testing.T) {
	ctx := context.Background()
	s := notify.NewMemoryStore()
	if _, _, err := s.CreateNotification(ctx, notify.NotificationRecord{ID: "ntf_x"}); err != nil {
		t.Fatal(err)
	}
	rows := []notify.Message{
		{NotificationID: "ntf_x", Index: 0},
		{NotificationID: "ntf_x", Index: 9, ID: "given"},
		{NotificationID: "ntf_x", Index: 10},
		{NotificationID: "ntf_x", Index: 12345},
	}
	if err := s.Enqueue(ctx, rows); err != nil {
		t.Fatal(err)
	}
	ms, err := s.Messages(ctx, "ntf_x", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.ID)
	}
	if diff := cmp.Diff([]string{"ntf_x/0", "given", "ntf_x/10", "ntf_x/12345"}, got); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
	for _, id := range got {
		if _, err := s.Message(ctx, id); err != nil {
			t.Errorf("Message(%s): %v", id, err)
		}
	}
}

// TestMemoryStoreRowIDs checks how the store finds rows by ID without a map
// over every message: default IDs through the outbox, given IDs through
// their own index, and duplicates refused either way.
func TestMemoryStoreRowIDs(t *testing.T) {
	ctx := context.Background()
	s := notify.NewMemoryStore()
	for _, id := range []string{"a", "b"} {
		if _, _, err := s.CreateNotification(ctx, notify.NotificationRecord{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Enqueue(ctx, []notify.Message{
		{NotificationID: "a", Index: 0},
		{NotificationID: "a", Index: 1, ID: "b/0"}, // looks like b's first row
		{NotificationID: "a", Index: 2, ID: "a/2"}, // given, and the default form
		{NotificationID: "a", Index: 3, ID: "order-7"},
	}); err != nil {
		t.Fatal(err)
	}
	for id, index := range map[string]int{"a/0": 0, "b/0": 1, "a/2": 2, "order-7": 3} {
		m, err := s.Message(ctx, id)
		if err != nil || m.Index != index || m.NotificationID != "a" {
			t.Errorf("Message(%s) = index %d of %q, %v; want index %d of a", id, m.Index, m.NotificationID, err, index)
		}
	}
	for _, id := range []string{"a/1", "a/02", "a/-0", "a/x", "a/", "c/0", "order-8"} {
		if _, err := s.Message(ctx, id); !errors.Is(err, notify.ErrNotFound) {
			t.Errorf("Message(%s): %v, want ErrNotFound", id, err)
		}
	}
	for name, m := range map[string]notify.Message{
		"index taken":          {NotificationID: "a", Index: 3},
		"given ID taken":       {NotificationID: "b", Index: 5, ID: "order-7"},
		"another's default ID": {NotificationID: "b", Index: 6, ID: "a/0"},
		"a given ID's default": {NotificationID: "b", Index: 0},
	} {
		if err := s.Enqueue(ctx, []notify.Message{m}); err == nil {
			t.Errorf("%s: Enqueue accepted a duplicate", name)
		}
	}
	// Claimed rows are completed by either kind of ID.
	now := time.Date(2025, 6, 3, 12, 0, 0, 0, time.UTC)
	rows, err := s.Claim(ctx, "a", "me", 10, now, now.Add(time.Minute))
	if err != nil || len(rows) != 4 {
		t.Fatalf("claimed %d rows, %v", len(rows), err)
	}
	for _, r := range rows {
		if err := s.MarkSending(ctx, r.ID, "me"); err != nil {
			t.Fatalf("MarkSending(%s): %v", r.ID, err)
		}
		r.Outcome, r.UpdatedAt = notify.OutcomeFailed, now
		if err := s.Complete(ctx, r, "me"); err != nil {
			t.Fatalf("Complete(%s): %v", r.ID, err)
		}
		if got, _ := s.Message(ctx, r.ID); got.Outcome != notify.OutcomeFailed || got.Attempts != 1 {
			t.Errorf("%s: outcome %s, attempts %d", r.ID, got.Outcome, got.Attempts)
		}
	}
	if err := s.Complete(ctx, rows[0], "me"); !errors.Is(err, notify.ErrClaimLost) {
		t.Errorf("second Complete: %v, want ErrClaimLost", err)
	}
}

// BenchmarkMemoryStoreRow is the store's share of sending one message:
// enqueue, claim (64 at a time), mark sending and complete as sent, with
// four workers completing rows of the same notification at once.
func BenchmarkMemoryStoreRow(b *testing.B) {
	ctx := context.Background()
	s := notify.NewMemoryStore()
	t0 := time.Date(2025, 6, 3, 18, 0, 0, 0, time.UTC)
	if _, _, err := s.CreateNotification(ctx, notify.NotificationRecord{ID: "n"}); err != nil {
		b.Fatal(err)
	}
	rows := make([]notify.Message, b.N)
	for i := range rows {
		to := fmt.Sprintf("+1415%07d", 2000000+i)
		rows[i] = notify.Message{NotificationID: "n", Index: i, Account: "acme", Topic: "orders", Given: to, To: to,
			From: "+14155550100", Body: fmt.Sprintf("Order %d arrives Tuesday.", i), Segments: 1, Encoding: "GSM-7", CreatedAt: t0}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for k := 0; k < len(rows); k += 1000 {
		if err := s.Enqueue(ctx, rows[k:min(k+1000, len(rows))]); err != nil {
			b.Fatal(err)
		}
	}
	work := make(chan notify.Message, 64)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for m := range work {
				if err := s.MarkSending(ctx, m.ID, "me"); err != nil {
					panic(err)
				}
				m.Outcome, m.Provider, m.ProviderID, m.UpdatedAt = notify.OutcomeSent, "fake", "p-"+m.ID, t0
				if err := s.Complete(ctx, m, "me"); err != nil {
					panic(err)
				}
			}
		})
	}
	for {
		claimed, err := s.Claim(ctx, "n", "me", 64, t0, t0.Add(time.Minute))
		if err != nil {
			b.Fatal(err)
		}
		if len(claimed) == 0 {
			break
		}
		for _, m := range claimed {
			work <- m
		}
	}
	close(work)
	wg.Wait()
}

// TestMemoryStoreHistoryWindow: a MemoryStore keeps a bounded number of
// final messages; counts stay exact, the Send report stays whole, and the
// oldest messages are forgotten from every index.
func TestMemoryStoreHistoryWindow(t *testing.T) {
	ctx := context.Background()
	st := notify.NewMemoryStore(notify.WithHistoryLimit(100))
	s, err := notify.New(fake.New(), notify.WithStore(st), notify.WithClock(func() time.Time { return time.Date(2026, 6, 1, 18, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(ctx)
	var to []string
	for i := range 1000 {
		to = append(to, fmt.Sprintf("+1415%07d", 2000000+i))
	}
	rep, err := s.Send(ctx, notify.Notification{From: "+14155550100", To: to, Body: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1000 || rep.Counts[notify.OutcomeSent] != 1000 {
		t.Fatalf("report: %d results, counts %v", len(rep.Results), rep.Counts)
	}
	counts, err := st.Counts(ctx, rep.NotificationID)
	if err != nil || counts[notify.OutcomeSent] != 1000 {
		t.Fatalf("counts %v %v", counts, err)
	}
	kept, err := st.Messages(ctx, rep.NotificationID, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) < 100 || len(kept) > 100+64 {
		t.Fatalf("kept %d final messages, want the window of 100 (plus its trimming slack)", len(kept))
	}
	// Rows finish in any order across the workers, so which ones the window
	// let go is read from what it kept.
	isKept := map[string]bool{}
	for _, m := range kept {
		isKept[m.ID] = true
	}
	var first, last notify.Result
	for _, r := range rep.Results {
		if !isKept[r.MessageID] && first.MessageID == "" {
			first = r
		}
		if isKept[r.MessageID] {
			last = r
		}
	}
	if _, err := st.Message(ctx, first.MessageID); !errors.Is(err, notify.ErrNotFound) {
		t.Errorf("forgotten message still found: %v", err)
	}
	if th, _ := st.Thread(ctx, "", "+14155550100", first.To, 0); len(th) != 0 {
		t.Errorf("forgotten message still in its thread: %d", len(th))
	}
	if m, err := st.Message(ctx, last.MessageID); err != nil || m.Outcome != notify.OutcomeSent {
		t.Errorf("kept message: %v %v", m.Outcome, err)
	}
	if _, _, err := st.ApplyStatus(ctx, provider.StatusUpdate{Provider: "fake", ID: last.ProviderID, Status: provider.StatusDelivered}); err != nil {
		t.Errorf("receipt for a kept message: %v", err)
	}
}

// TestMemoryStoreFrequency: the MemoryStore's compact frequency record
// passes the same conformance suite as compliance's own store and sqlstore.
func TestMemoryStoreFrequency(t *testing.T) {
	compliancetest.TestFrequencyStore(t, func(t *testing.T) compliance.FrequencyStore { return notify.NewMemoryStore() })
}
