package compliance

import (
	"context"
	"github.com/heraldsms/herald/internal/e164"
	"sort"
	"sync"
	"time"
)

// consentShards spreads numbers over independently locked maps.
const consentShards = 64

// MemoryConsentStore is the in-memory ConsentStore, the default of a
// Policy. It keeps every record for the life of the process.
type MemoryConsentStore struct {
	shards [consentShards]consentShard
}

// consentShard maps numbers, as the integer of their E.164 digits, to
// their history. Integer keys keep a lookup in a large ledger to few
// cache misses.
type consentShard struct {
	mu sync.RWMutex
	m  map[uint64][]Record
}

var _ ConsentStore = (*MemoryConsentStore)(nil)

// NewMemoryConsentStore returns an empty in-memory consent ledger.
func NewMemoryConsentStore() *MemoryConsentStore {
	s := &MemoryConsentStore{}
	for i := range s.shards {
		s.shards[i].m = make(map[uint64][]Record)
	}
	return s
}

func (s *MemoryConsentStore) shard(key uint64) *consentShard {
	return &s.shards[(key*0x9E3779B97F4A7C15)>>58]
}

// Append validates r and adds it to the ledger, keeping each number's
// history ordered by At.
func (s *MemoryConsentStore) Append(ctx context.Context, r Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	key, _ := numberKey(r.Number)
	sh := s.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	h := sh.m[key]
	// Insert after every record with At <= r.At (stable for equal times).
	i := sort.Search(len(h), func(i int) bool { return h[i].At.After(r.At) })
	h = append(h, Record{})
	copy(h[i+1:], h[i:])
	h[i] = r
	sh.m[key] = h
	return nil
}

// History returns a copy of every record of number, ordered by At.
func (s *MemoryConsentStore) History(ctx context.Context, number string) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	key, ok := numberKey(number)
	if !ok {
		return []Record{}, nil
	}
	sh := s.shard(key)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	return append([]Record{}, sh.m[key]...), nil
}

// State derives the consent of number for kind from scope at time at.
func (s *MemoryConsentStore) State(ctx context.Context, number, scope string, kind Kind, at time.Time) (ConsentState, error) {
	if err := ctx.Err(); err != nil {
		return ConsentState{}, err
	}
	key, ok := numberKey(number)
	if !ok {
		return ConsentState{}, nil
	}
	sh := s.shard(key)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	return DeriveState(sh.m[key], scope, kind, at), nil
}

// Len returns how many numbers have at least one record.
func (s *MemoryConsentStore) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		n += len(sh.m)
		sh.mu.RUnlock()
	}
	return n
}

// numberKey turns an E.164 number into the integer of its digits; ok is
// false when number is not E.164. E.164 has at most 15 digits, so the
// integer fits and is unique (no number starts with 0).
func numberKey(number string) (key uint64, ok bool) {
	if !e164.Shaped(number) {
		return 0, false
	}
	for i := 1; i < len(number); i++ {
		key = key*10 + uint64(number[i]-'0')
	}
	return key, true
}
