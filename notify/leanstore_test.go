package notify

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// leanStore is a test Store that forgets rows once they are final, the way
// a durable store keeps them on disk rather than in the heap. It lets the
// streaming memory test measure the pipeline's own footprint.
type leanStore struct {
	*MemoryStore
	mu     sync.Mutex
	notifs map[string]*NotificationRecord
	queue  map[string][]Message
	held   map[string]Message
	counts map[string]map[Outcome]int
}

func newLeanStore() *leanStore {
	return &leanStore{
		MemoryStore: NewMemoryStore(),
		notifs:      map[string]*NotificationRecord{},
		queue:       map[string][]Message{},
		held:        map[string]Message{},
		counts:      map[string]map[Outcome]int{},
	}
}

func (s *leanStore) CreateNotification(_ context.Context, rec NotificationRecord) (NotificationRecord, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := rec
	s.notifs[rec.ID] = &r
	s.counts[rec.ID] = map[Outcome]int{}
	return rec, true, nil
}

func (s *leanStore) Notification(_ context.Context, id string) (NotificationRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.notifs[id], nil
}

func (s *leanStore) UpdateNotification(_ context.Context, rec NotificationRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.notifs[rec.ID]
	r.State, r.PauseReason, r.Total = rec.State, rec.PauseReason, rec.Total
	return nil
}

func (s *leanStore) Unfinished(context.Context) ([]NotificationRecord, error) { return nil, nil }

func (s *leanStore) Enqueue(_ context.Context, msgs []Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range msgs {
		if m.ID == "" {
			m.ID = m.NotificationID + "/" + strconv.Itoa(m.Index)
		}
		if m.Outcome.Final() {
			s.counts[m.NotificationID][m.Outcome]++
			continue
		}
		s.queue[m.NotificationID] = append(s.queue[m.NotificationID], m)
	}
	return nil
}

func (s *leanStore) Claim(_ context.Context, id, owner string, limit int, now, until time.Time) ([]Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue[id]
	k := min(limit, len(q))
	out := make([]Message, k)
	copy(out, q[:k])
	clear(q[:k])
	s.queue[id] = q[k:]
	for _, m := range out {
		s.held[m.ID] = m
	}
	return out, nil
}

func (s *leanStore) MarkSending(_ context.Context, id, owner string) error { return nil }

func (s *leanStore) Complete(_ context.Context, m Message, owner string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.held, m.ID)
	if !m.Outcome.Final() {
		s.queue[m.NotificationID] = append(s.queue[m.NotificationID], m)
		return nil
	}
	s.counts[m.NotificationID][m.Outcome]++
	return nil
}

func (s *leanStore) Release(context.Context, []string, string) error               { return nil }
func (s *leanStore) Recover(context.Context, time.Time) (int, error)               { return 0, nil }
func (s *leanStore) Messages(context.Context, string, int, int) ([]Message, error) { return nil, nil }

func (s *leanStore) Counts(_ context.Context, id string) (map[Outcome]int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := make(map[Outcome]int)
	for k, v := range s.counts[id] {
		c[k] = v
	}
	c[OutcomePending] += len(s.queue[id]) + len(s.held)
	return c, nil
}
