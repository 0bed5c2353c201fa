package notify

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"
)

// Claim implements OutboxStore.
func (s *MemoryStore) Claim(_ context.Context, notificationID, owner string, limit int, now, until time.Time) ([]Message, error) {
	// Rows are claimed under the write lock and copied out under the read
	// lock, so MarkSending by the workers goes on while they are copied.
	taken, err := s.take(notificationID, owner, limit, now, until)
	if len(taken) == 0 {
		return nil, err
	}
	slices.SortFunc(taken, func(a, b *Message) int { return a.Index - b.Index })
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Message, 0, len(taken))
	for _, m := range taken {
		// Recover may have ended a claim in between (a lease shorter than
		// this call); such a row is no longer this owner's to return.
		if c := s.claimOf(m); c != nil && c.owner == owner && c.until.Equal(until) {
			out = append(out, copyMessage(m))
		}
	}
	return out, nil
}

// take claims up to limit rows for owner and returns them.
func (s *MemoryStore) take(notificationID, owner string, limit int, now, until time.Time) ([]*Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.outbox[notificationID]
	if !ok {
		return nil, fmt.Errorf("notification %s: %w", notificationID, ErrNotFound)
	}
	var out []*Message
	if n := len(q.rows) - q.cursor + len(q.deferred); n > 0 && limit > 0 {
		out = make([]*Message, 0, min(limit, n))
	}
	var states []claim // claims are allocated together, never moved
	take := func(m *Message) {
		if len(states) == cap(states) {
			states = make([]claim, 0, max(1, min(limit-len(out), len(q.rows)-q.cursor+len(q.deferred)+1)))
		}
		delete(q.deferred, m)
		states = append(states, claim{m: m, owner: owner, until: until})
		c := &states[len(states)-1]
		s.claimed[m.ID] = c
		out = append(out, m)
	}
	// Due deferrals first: they have waited longest.
	for m := range q.deferred {
		if len(out) >= limit {
			break
		}
		if !m.NotBefore.After(now) {
			take(m)
		}
	}
	for q.cursor < len(q.rows) && len(out) < limit {
		m := q.rows[q.cursor]
		q.cursor++
		switch {
		case m == nil: // evicted: final
		case m.Outcome == OutcomePending && s.claimOf(m) == nil:
			take(m)
		case m.Outcome == OutcomeDeferred && s.claimOf(m) == nil:
			if m.NotBefore.After(now) {
				q.deferred[m] = struct{}{}
			} else {
				take(m)
			}
		}
	}
	return out, nil
}

// claim is the lease on a row: who holds it until when, and what
// MarkSending changed. The changing parts are atomics, so MarkSending needs
// only the read lock and does not queue behind the outbox's writers; the
// attempts are folded into the row when the claim ends (Complete, Recover)
// and shown in copies of the row meanwhile. The row itself (the public
// Message) carries no claim field.
type claim struct {
	m        *Message
	owner    string
	until    time.Time
	sending  atomic.Bool
	attempts atomic.Int32 // MarkSending calls since the claim
}

// settle folds c's attempts into its row, which stays claimed.
func (c *claim) settle() {
	c.m.Attempts += int(c.attempts.Swap(0))
}

// release ends the claim on its row. The caller holds mu (write).
func (s *MemoryStore) release(c *claim) {
	delete(s.claimed, c.m.ID)
}

// claimOf returns the claim on row m, or nil. The caller holds mu (read or
// write).
func (s *MemoryStore) claimOf(m *Message) *claim {
	if len(s.claimed) == 0 {
		return nil
	}
	if c := s.claimed[m.ID]; c != nil && c.m == m {
		return c
	}
	return nil
}

// copyRow copies row m, with its claim's attempts when it is claimed. The
// caller holds mu (read or write).
func (s *MemoryStore) copyRow(m *Message) Message {
	c := copyMessage(m)
	if cl := s.claimOf(m); cl != nil {
		c.Attempts += int(cl.attempts.Load())
	}
	return c
}

// held returns the claim of row id by owner. Claimed rows are few, so the
// lookup goes to the small claimed map before the whole store.
func (s *MemoryStore) held(id, owner string) (*claim, error) {
	c, ok := s.claimed[id]
	if !ok {
		if _, ok := s.row(id); !ok {
			return nil, fmt.Errorf("message %s: %w", id, ErrNotFound)
		}
		return nil, fmt.Errorf("message %s: %w", id, ErrClaimLost)
	}
	if c.owner != owner || owner == "" {
		return nil, fmt.Errorf("message %s: %w", id, ErrClaimLost)
	}
	return c, nil
}

// MarkSending implements OutboxStore.
func (s *MemoryStore) MarkSending(_ context.Context, id, owner string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.held(id, owner)
	if err != nil {
		return err
	}
	c.sending.Store(true)
	c.attempts.Add(1)
	return nil
}

// Complete implements OutboxStore.
func (s *MemoryStore) Complete(_ context.Context, done Message, owner string) error {
	s.mu.Lock()
	c, err := s.held(done.ID, owner)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	c.settle()
	m := c.m
	attempts := m.Attempts
	s.release(c)
	if q := s.outbox[m.NotificationID]; q != nil {
		q.counts[m.Outcome]--
		q.counts[done.Outcome]++
	}
	*m = done
	m.Statuses = slices.Clone(done.Statuses)
	m.Attempts = max(attempts, done.Attempts)
	switch {
	case m.Outcome == OutcomePending:
		s.rewind(m)
	case m.Outcome == OutcomeDeferred:
		s.requeue(m)
	}
	final := m.Outcome.Final()
	s.mu.Unlock()
	if final {
		// The row is final: no one else writes it until it is in the
		// indexes, and filing it there does not hold up the outbox.
		s.hmu.Lock()
		s.recordFinal(m)
		over := s.overWindow()
		s.hmu.Unlock()
		if over {
			s.mu.Lock()
			s.hmu.Lock()
			s.evictLocked()
			s.hmu.Unlock()
			s.mu.Unlock()
		}
	}
	return nil
}

// rewind makes an unclaimed Pending row claimable again.
func (s *MemoryStore) rewind(m *Message) {
	if m.Outcome == OutcomeDeferred {
		s.requeue(m)
		return
	}
	q, ok := s.outbox[m.NotificationID]
	if !ok {
		return
	}
	if i := q.search(m.Index); i < q.cursor {
		q.cursor = i
	}
}

// requeue files an unclaimed deferred row for a later Claim.
func (s *MemoryStore) requeue(m *Message) {
	if q, ok := s.outbox[m.NotificationID]; ok {
		q.deferred[m] = struct{}{}
	}
}

// CancelRows implements OutboxStore.
func (s *MemoryStore) CancelRows(_ context.Context, notificationID string, at time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.outbox[notificationID]
	if !ok {
		return 0, fmt.Errorf("notification %s: %w", notificationID, ErrNotFound)
	}
	n := 0
	s.hmu.Lock()
	defer s.hmu.Unlock()
	for _, m := range q.rows {
		if m == nil || m.Outcome.Final() || s.claimOf(m) != nil {
			continue
		}
		q.counts[m.Outcome]--
		q.counts[OutcomeCanceled]++
		delete(q.deferred, m)
		m.Outcome, m.Reason, m.UpdatedAt = OutcomeCanceled, "canceled", at
		m.Detail = "the notification was canceled before this recipient was sent"
		s.recordFinal(m)
		n++
	}
	s.evictLocked()
	return n, nil
}

// Recover implements OutboxStore.
func (s *MemoryStore) Recover(_ context.Context, now time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.claimed {
		m := c.m
		if c.until.After(now) {
			continue
		}
		n++
		s.release(c)
		c.settle()
		if c.sending.Load() {
			if q := s.outbox[m.NotificationID]; q != nil {
				q.counts[m.Outcome]--
				q.counts[OutcomeUnknown]++
			}
			m.Outcome, m.Reason = OutcomeUnknown, "interrupted"
			m.Detail = "the service stopped while this message was with the provider; it may have been sent and is not resent"
			m.UpdatedAt = now
			s.hmu.Lock()
			s.recordFinal(m)
			s.hmu.Unlock()
			continue
		}
		s.rewind(m)
	}
	s.hmu.Lock()
	s.evictLocked()
	s.hmu.Unlock()
	return n, nil
}
