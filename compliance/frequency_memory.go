package compliance

import (
	"context"
	"hash/maphash"
	"sync"
	"time"

	"github.com/heraldsms/herald/internal/e164"
)

const sendShards = 64

// MemoryFrequencyStore is the in-memory FrequencyStore, the default of a
// Policy. It forgets sends older than its retention (7 days by default):
// a number's old sends as new sends arrive for it, and numbers not texted
// within the retention in a sweep every sweepEvery sends to a shard (when
// one of its numbers can have expired), so a long-running Service does not
// keep every number it ever texted.
type MemoryFrequencyStore struct {
	retention time.Duration
	seed      maphash.Seed
	shards    [sendShards]sendShard
}

// sweepEvery is how many sends a shard records between sweeps of numbers
// whose newest send is older than the retention.
const sweepEvery = 4096

// sendShard holds the sends of some numbers: by the integer of their
// digits when they are E.164 (a key that hashes, and rehashes as the map
// grows, without reading the string), and by the string otherwise.
type sendShard struct {
	mu      sync.RWMutex
	m       map[uint64][]SendRecord
	other   map[string][]SendRecord
	records int // sends recorded since the last sweep
	// floor is at or before the newest send of every number in the shard:
	// while the retention's cut is before it, no number can have expired
	// and a sweep would find nothing.
	floor floor
}

// floor is a time at or before a set of times; unset for none.
type floor struct {
	t   time.Time
	set bool
}

// lower makes f at or before t.
func (f *floor) lower(t time.Time) {
	if !f.set || t.Before(f.t) {
		f.t, f.set = t, true
	}
}

// history returns the sends recorded for to. The caller holds mu.
func (sh *sendShard) history(to string) []SendRecord {
	if k, ok := e164.Key(to); ok {
		return sh.m[k]
	}
	return sh.other[to]
}

// set replaces the sends recorded for to. The caller holds mu.
func (sh *sendShard) set(to string, h []SendRecord) {
	if k, ok := e164.Key(to); ok {
		sh.m[k] = h
		return
	}
	sh.other[to] = h
}

var _ FrequencyStore = (*MemoryFrequencyStore)(nil)

// NewMemoryFrequencyStore returns an empty store that keeps sends for
// retention; retention <= 0 means 7 days. Keep it at least as long as the
// longest cap window and the duplicate window.
func NewMemoryFrequencyStore(retention time.Duration) *MemoryFrequencyStore {
	if retention <= 0 {
		retention = 7 * 24 * time.Hour
	}
	s := &MemoryFrequencyStore{retention: retention, seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].m = make(map[uint64][]SendRecord)
		s.shards[i].other = make(map[string][]SendRecord)
	}
	return s
}

func (s *MemoryFrequencyStore) shard(to string) *sendShard {
	if k, ok := e164.Key(to); ok {
		return &s.shards[(k*0x9e3779b97f4a7c15)>>58] // the top 6 bits: 64 shards
	}
	return &s.shards[maphash.String(s.seed, to)%sendShards]
}

// RecordSend remembers one send and drops this number's sends older than
// the retention, measured from r.At.
func (s *MemoryFrequencyStore) RecordSend(ctx context.Context, r SendRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sh := s.shard(r.To)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	h := sh.history(r.To)
	cut := r.At.Add(-s.retention)
	keep := h[:0]
	for _, x := range h {
		if x.At.After(cut) {
			keep = append(keep, x)
		}
	}
	sh.set(r.To, append(keep, r))
	sh.floor.lower(r.At)
	if sh.records++; sh.records >= sweepEvery && sh.floor.set && !sh.floor.t.After(cut) {
		sh.sweep(cut)
	}
	return nil
}

// sweep forgets the numbers whose newest send is at or before cut. The
// caller holds mu.
func (sh *sendShard) sweep(cut time.Time) {
	sh.records = 0
	sh.floor = floor{}
	sweepMap(sh.m, cut, &sh.floor)
	sweepMap(sh.other, cut, &sh.floor)
}

// sweepMap deletes the numbers of m whose newest send is at or before cut
// and lowers f to the newest send of each one kept.
func sweepMap[K comparable](m map[K][]SendRecord, cut time.Time, f *floor) {
	for k, h := range m {
		if t := newest(h); !t.After(cut) {
			delete(m, k)
		} else {
			f.lower(t)
		}
	}
}

// newest returns the time of the latest send in h (zero when h is empty).
func newest(h []SendRecord) time.Time {
	var t time.Time
	for _, x := range h {
		if x.At.After(t) {
			t = x.At
		}
	}
	return t
}

// Len returns how many numbers the store holds sends for.
func (s *MemoryFrequencyStore) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		n += len(sh.m) + len(sh.other)
		sh.mu.RUnlock()
	}
	return n
}

// CountSends counts the sends matching q.
func (s *MemoryFrequencyStore) CountSends(ctx context.Context, q SendQuery) (SendTally, error) {
	if err := ctx.Err(); err != nil {
		return SendTally{}, err
	}
	sh := s.shard(q.To)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	var t SendTally
	for _, x := range sh.history(q.To) {
		if !x.At.After(q.Since) ||
			(q.MatchTopic && x.Topic != q.Topic) ||
			(q.Kinds != 0 && !q.Kinds.Has(x.Kind)) ||
			(q.MatchBody && x.BodyHash != q.BodyHash) {
			continue
		}
		if t.Count == 0 || x.At.Before(t.Oldest) {
			t.Oldest = x.At
		}
		t.Count++
	}
	return t, nil
}
