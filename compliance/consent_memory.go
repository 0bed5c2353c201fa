package compliance

import (
	"context"
	"hash/maphash"
	"sort"
	"sync"
	"time"
)

// consentShards spreads numbers over independently locked maps.
const consentShards = 64

// MemoryConsentStore is the in-memory ConsentStore, the default of a
// Policy. It keeps every record for the life of the process.
type MemoryConsentStore struct {
	seed   maphash.Seed
	shards [consentShards]consentShard
}

type consentShard struct {
	mu sync.RWMutex
	m  map[string][]Record
}

var _ ConsentStore = (*MemoryConsentStore)(nil)

// NewMemoryConsentStore returns an empty in-memory consent ledger.
func NewMemoryConsentStore() *MemoryConsentStore {
	s := &MemoryConsentStore{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].m = make(map[string][]Record)
	}
	return s
}

func (s *MemoryConsentStore) shard(number string) *consentShard {
	return &s.shards[maphash.String(s.seed, number)%consentShards]
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
	sh := s.shard(r.Number)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	h := sh.m[r.Number]
	// Insert after every record with At <= r.At (stable for equal times).
	i := sort.Search(len(h), func(i int) bool { return h[i].At.After(r.At) })
	h = append(h, Record{})
	copy(h[i+1:], h[i:])
	h[i] = r
	sh.m[r.Number] = h
	return nil
}

// History returns a copy of every record of number, ordered by At.
func (s *MemoryConsentStore) History(ctx context.Context, number string) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sh := s.shard(number)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	return append([]Record{}, sh.m[number]...), nil
}

// State derives the consent of number for kind from scope at time at.
func (s *MemoryConsentStore) State(ctx context.Context, number, scope string, kind Kind, at time.Time) (ConsentState, error) {
	if err := ctx.Err(); err != nil {
		return ConsentState{}, err
	}
	sh := s.shard(number)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	return DeriveState(sh.m[number], scope, kind, at), nil
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
