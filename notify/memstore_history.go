package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/heraldsms/herald/provider"
)

// recordFinal files a message that reached a final outcome in the recent
// history, the reply routing index and the tallies. The caller holds hmu.
func (s *MemoryStore) recordFinal(m *Message) {
	s.window.queue = append(s.window.queue, m)
	tk := pair{m.Account, m.Topic}
	at := m.UpdatedAt
	var t Tally
	switch m.Outcome {
	case OutcomeSent:
		t.Sent = 1
		if m.ProviderID != "" {
			s.byProv.put(m)
		}
	case OutcomeFailed:
		t.Failed = 1
	case OutcomeDenied:
		t.Denied = 1
	case OutcomeUnknown:
		t.Unknown = 1
	default:
		// invalid, duplicate, canceled: history only, no tally.
	}
	// A message that went (or may have gone) out is what a reply answers.
	if (m.Outcome == OutcomeSent || m.Outcome == OutcomeUnknown) && m.From != "" && m.To != "" {
		s.convs.get(m.From, m.To, true).add(m)
	}
	if t != (Tally{}) {
		s.series(tk).add(at, t)
	}
	r := s.recent[tk]
	if r == nil {
		r = &ring{}
		s.recent[tk] = r
	}
	r.push(m)
}

func (s *MemoryStore) series(tk pair) *tallySeries {
	ts := s.tallies[tk]
	if ts == nil {
		ts = &tallySeries{buckets: make(map[int64]*Tally)}
		s.tallies[tk] = ts
	}
	return ts
}

// Message implements HistoryStore.
func (s *MemoryStore) Message(_ context.Context, id string) (Message, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.row(id)
	if !ok {
		return Message{}, fmt.Errorf("message %s: %w", id, ErrNotFound)
	}
	return s.copyRow(m), nil
}

// ApplyStatus implements HistoryStore.
func (s *MemoryStore) ApplyStatus(_ context.Context, u provider.StatusUpdate) (Message, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hmu.Lock()
	defer s.hmu.Unlock()
	m := s.byProv.get(u.Provider, u.ID)
	if m == nil {
		return Message{}, false, fmt.Errorf("provider message %s %s: %w", u.Provider, u.ID, ErrNotFound)
	}
	for _, c := range m.Statuses {
		if c.Status == u.Status && c.Code == u.Code {
			return copyMessage(m), false, nil // a duplicate receipt
		}
	}
	m.Statuses = append(m.Statuses, StatusChange{Status: u.Status, Code: u.Code, At: u.At})
	next := m.Status.Advance(u.Status)
	if next == m.Status {
		return copyMessage(m), false, nil
	}
	m.Status = next
	var t Tally
	switch next {
	case provider.StatusDelivered:
		t.Delivered = 1
	case provider.StatusUndelivered, provider.StatusFailed:
		t.Failed = 1
	}
	if t != (Tally{}) {
		at := u.At
		if at.IsZero() {
			at = m.UpdatedAt
		}
		s.series(pair{m.Account, m.Topic}).add(at, t)
	}
	return copyMessage(m), true, nil
}

// Recent implements HistoryStore.
func (s *MemoryStore) Recent(_ context.Context, account, topic string, limit int) ([]Message, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	r := s.recent[pair{account, topic}]
	if r == nil {
		return nil, nil
	}
	return r.newest(limit), nil
}

// Tally implements HistoryStore.
func (s *MemoryStore) Tally(_ context.Context, account, topic string, from, to time.Time) (Tally, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	ts := s.tallies[pair{account, topic}]
	if ts == nil {
		return Tally{}, nil
	}
	return ts.sum(from, to), nil
}

// Thread implements HistoryStore.
func (s *MemoryStore) Thread(_ context.Context, account, sender, recipient string, limit int) ([]Message, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	c := s.convs.get(sender, recipient, false)
	if c == nil {
		return []Message{}, nil
	}
	return c.thread(account, limit), nil
}
