package notify

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/heraldsms/herald/provider"
)

// PutTopic implements TopicStore.
func (s *MemoryStore) PutTopic(_ context.Context, t Topic) error {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	s.topics[key2(t.Account, t.Name)] = t
	return nil
}

// Topic implements TopicStore.
func (s *MemoryStore) Topic(_ context.Context, account, name string) (Topic, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	t, ok := s.topics[key2(account, name)]
	if !ok {
		return Topic{}, fmt.Errorf("topic %q: %w", name, ErrNotFound)
	}
	return t, nil
}

// Topics implements TopicStore.
func (s *MemoryStore) Topics(_ context.Context, account string) ([]Topic, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	var out []Topic
	for _, t := range s.topics {
		if t.Account == account {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// AddReply implements ReplyStore.
func (s *MemoryStore) AddReply(_ context.Context, r ReplyRecord) (ReplyRecord, error) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if r.ID == "" {
		s.seq++
		r.ID = "r" + strconv.FormatInt(s.seq, 10)
	}
	if _, dup := s.replies[r.ID]; dup {
		return ReplyRecord{}, fmt.Errorf("notify: reply %s already exists", r.ID)
	}
	p := &r
	s.replies[r.ID] = p
	s.replyLog[r.Account] = append(s.replyLog[r.Account], p)
	k := r.Account + "\x00" + r.From + "\x00" + r.To
	if r.Received.After(s.lastIn[k]) {
		s.lastIn[k] = r.Received
	}
	return r, nil
}

// Replies implements ReplyStore.
func (s *MemoryStore) Replies(_ context.Context, account string, state ReplyState) ([]ReplyRecord, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	log := s.replyLog[account]
	var out []ReplyRecord
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].State == state {
			out = append(out, *log[i])
		}
	}
	return out, nil
}

// ResolveReply implements ReplyStore.
func (s *MemoryStore) ResolveReply(_ context.Context, account, id string) error {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	r, ok := s.replies[id]
	if !ok || r.Account != account {
		return fmt.Errorf("reply %s: %w", id, ErrNotFound)
	}
	r.State = ReplyResolved
	return nil
}

// ClaimSender implements ReplyStore.
func (s *MemoryStore) ClaimSender(_ context.Context, number, account string) error {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if owner, ok := s.senders[number]; ok && owner != account {
		return fmt.Errorf("sender %s: %w", provider.MaskNumber(number), ErrSenderOwned)
	}
	s.senders[number] = account
	return nil
}

// SenderAccount implements ReplyStore.
func (s *MemoryStore) SenderAccount(_ context.Context, number string) (string, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	a, ok := s.senders[number]
	if !ok {
		return "", fmt.Errorf("sender %s: %w", provider.MaskNumber(number), ErrNotFound)
	}
	return a, nil
}

// StickySender implements ReplyStore.
func (s *MemoryStore) StickySender(_ context.Context, account, pool, recipient, candidate string) (string, error) {
	k := account + "\x00" + pool + "\x00" + recipient
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if n, ok := s.sticky[k]; ok {
		return n, nil
	}
	s.sticky[k] = candidate
	return candidate, nil
}

// LastInbound implements InboundTimes.
func (s *MemoryStore) LastInbound(_ context.Context, account, from, to string) (time.Time, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	return s.lastIn[account+"\x00"+from+"\x00"+to], nil
}
