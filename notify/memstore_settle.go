package notify

import (
	"context"
	"fmt"

	"github.com/heraldsms/herald/provider"
)

// SettleUnknown implements HistoryStore.
func (s *MemoryStore) SettleUnknown(_ context.Context, id string, change StatusChange) (Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hmu.Lock()
	defer s.hmu.Unlock()
	m, ok := s.row(id)
	if !ok {
		return Message{}, fmt.Errorf("message %s: %w", id, ErrNotFound)
	}
	if m.Outcome != OutcomeUnknown {
		return copyMessage(m), fmt.Errorf("message %s is %s: %w", id, m.Outcome, ErrNotUnknown)
	}
	if q := s.outbox[m.NotificationID]; q != nil {
		q.counts[OutcomeUnknown]--
		q.counts[OutcomeSent]++
	}
	m.Outcome = OutcomeSent
	m.Status = m.Status.Advance(provider.StatusDelivered)
	m.Statuses = append(m.Statuses, change)
	if m.ProviderID != "" {
		s.byProv.put(m) // a late receipt finds it and counts nothing
	}
	ts := s.series(pair{m.Account, m.Topic})
	ts.add(m.UpdatedAt, Tally{Sent: 1, Unknown: -1}) // where recordFinal counted it
	ts.add(change.At, Tally{Delivered: 1})
	return copyMessage(m), nil
}
