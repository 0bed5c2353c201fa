package notify

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestOutboxQueueDropsEvicted: once the history window has evicted most
// rows of a notification's queue, the queue lets go of their slots; their
// Indexes stay taken, a row still pending (here between evicted ones)
// stays claimable, and reads and counts are unchanged.
func TestOutboxQueueDropsEvicted(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2025, 6, 3, 12, 0, 0, 0, time.UTC)
	s := NewMemoryStore(WithHistoryLimit(100))
	if _, _, err := s.CreateNotification(ctx, NotificationRecord{ID: "n", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	const N, pending = 20000, 5000
	for lo := 0; lo < N; lo += 500 {
		batch := make([]Message, 500)
		for i := range batch {
			idx := lo + i
			batch[i] = Message{NotificationID: "n", Index: idx, To: "+14155550100", Outcome: OutcomeInvalid, Reason: "invalid_number", UpdatedAt: t0}
			if idx == pending {
				batch[i].Outcome, batch[i].Reason = OutcomePending, ""
			}
		}
		if err := s.Enqueue(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	q := s.outbox["n"]
	if len(q.rows) > 2*compactMin || q.dropped == 0 {
		t.Fatalf("queue keeps %d slots (%d dropped) for %d rows, 101 of them kept", len(q.rows), q.dropped, N)
	}
	for _, idx := range []int{0, 1, pending - 1, pending + 1, N - 200} {
		err := s.Enqueue(ctx, []Message{{NotificationID: "n", Index: idx}})
		if err == nil {
			t.Fatalf("row %d enqueued again after its slot was dropped", idx)
		}
	}
	if err := s.Enqueue(ctx, []Message{{NotificationID: "n", Index: N, To: "+14155550101"}}); err != nil {
		t.Fatalf("a new row: %v", err)
	}
	got, err := s.Claim(ctx, "n", "me", 10, t0, t0.Add(time.Minute))
	if err != nil || len(got) != 2 || got[0].Index != pending || got[1].Index != N {
		t.Fatalf("claim: %v %+v", err, got)
	}
	if m, err := s.Message(ctx, got[0].ID); err != nil || m.Index != pending {
		t.Fatalf("the pending row by ID: %+v %v", m, err)
	}
	if _, err := s.Message(ctx, "n/0"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an evicted row: %v", err)
	}
	if m, err := s.Message(ctx, "n/19999"); err != nil || m.Index != 19999 {
		t.Fatalf("a kept row: %+v %v", m, err)
	}
	// Recover puts the claimed rows back where Claim finds them.
	if n, err := s.Recover(ctx, t0.Add(time.Hour)); err != nil || n != 2 {
		t.Fatalf("recover: %d %v", n, err)
	}
	again, err := s.Claim(ctx, "n", "me", 10, t0, t0.Add(time.Minute))
	if err != nil || len(again) != 2 || again[0].Index != pending {
		t.Fatalf("claim after recover: %v %+v", err, again)
	}
	counts, err := s.Counts(ctx, "n")
	if err != nil || counts[OutcomeInvalid] != N-1 || counts[OutcomePending] != 2 {
		t.Fatalf("counts %v %v", counts, err)
	}
	msgs, err := s.Messages(ctx, "n", 0, N+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) < 100 || msgs[len(msgs)-1].Index != N {
		t.Fatalf("Messages: %d rows, last %+v", len(msgs), msgs[len(msgs)-1])
	}
	for i := 1; i < len(msgs); i++ {
		if msgs[i].Index <= msgs[i-1].Index {
			t.Fatalf("Messages out of order at %d", i)
		}
	}
	from, err := s.Messages(ctx, "n", pending, 1)
	if err != nil || len(from) != 1 || from[0].Index != pending {
		t.Fatalf("Messages from the pending row: %+v %v", from, err)
	}
}

// TestOutboxQueueHas: the Indexes of dropped slots stay known, across
// gaps between them.
func TestOutboxQueueHas(t *testing.T) {
	q := &outboxQueue{deferred: map[*Message]struct{}{}}
	var idxs []int
	for i := range 3000 {
		if i%1000 == 7 {
			continue // a gap
		}
		idxs = append(idxs, i)
		q.rows = append(q.rows, &Message{Index: i})
		q.keys = append(q.keys, i)
	}
	for _, idx := range idxs[:2600] {
		i := q.slot(idx)
		q.rows[i] = nil
		q.evicted()
	}
	if q.dropped < 2500 || len(q.gone) != 4 || len(q.rows)+q.dropped != len(idxs) {
		t.Fatalf("dropped %d, spans %v", q.dropped, q.gone)
	}
	taken := map[int]bool{}
	for _, i := range idxs {
		taken[i] = true
	}
	for i := -1; i < 3100; i++ {
		if q.has(i) != taken[i] {
			t.Fatalf("has(%d) = %v", i, !taken[i])
		}
	}
	for _, i := range idxs[2600:] {
		if m := q.at(i); m == nil || m.Index != i {
			t.Fatalf("at(%d) = %v", i, m)
		}
	}
}
