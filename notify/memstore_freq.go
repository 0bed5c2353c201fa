package notify

import (
	"context"
	"hash/maphash"
	"sync"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/internal/e164"
)

// sendLog is the MemoryStore's compliance.FrequencyStore: every send of
// the retention, kept compactly (a send is 24 bytes, a number texted once
// one map entry), so a million-recipient blast fits in a few tens of
// megabytes. Numbers are sharded by their E.164 digits as an integer.
type sendLog struct {
	retention time.Duration
	seed      maphash.Seed
	shards    [64]sendLogShard

	tmu    sync.RWMutex // guards topics
	topics map[string]uint32
	names  []string
}

// sentRec is one send: when, which body, which topic and kind.
type sentRec struct {
	at    int64 // Unix nanoseconds
	hash  uint64
	topic uint32
	kind  compliance.Kind
}

type sendLogShard struct {
	mu    sync.RWMutex
	one   map[uint64]sentRec   // numbers texted once in the retention
	many  map[uint64][]sentRec // numbers texted more, oldest first
	n     int                  // sends since the last sweep
	floor int64                // at or before the newest send of every number; 0 when empty
}

// sweepEvery is how many sends a shard records between sweeps.
const sweepEvery = 4096

func newSendLog(retention time.Duration) *sendLog {
	l := &sendLog{retention: retention, seed: maphash.MakeSeed(), topics: map[string]uint32{"": 0}, names: []string{""}}
	for i := range l.shards {
		l.shards[i].one = make(map[uint64]sentRec)
		l.shards[i].many = make(map[uint64][]sentRec)
	}
	return l
}

// key is the map key of a number: its digits when E.164, else a hash of
// the string in a range E.164 keys never use (they are below 10^16).
func (l *sendLog) key(to string) uint64 {
	if k, ok := e164.Key(to); ok {
		return k
	}
	return maphash.String(l.seed, to) | 1<<63
}

func (l *sendLog) shard(k uint64) *sendLogShard {
	return &l.shards[(k*0x9e3779b97f4a7c15)>>58]
}

// topic interns a topic name.
func (l *sendLog) topic(name string, add bool) (uint32, bool) {
	l.tmu.RLock()
	id, ok := l.topics[name]
	l.tmu.RUnlock()
	if ok || !add {
		return id, ok
	}
	l.tmu.Lock()
	defer l.tmu.Unlock()
	if id, ok := l.topics[name]; ok {
		return id, true
	}
	id = uint32(len(l.names))
	l.topics[name] = id
	l.names = append(l.names, name)
	return id, true
}

func nanosOf(t time.Time) int64 { return t.UnixNano() }

// RecordSend remembers one send and forgets this number's sends older than
// the retention, measured from r.At.
func (l *sendLog) RecordSend(ctx context.Context, r compliance.SendRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tid, _ := l.topic(r.Topic, true)
	rec := sentRec{at: nanosOf(r.At), hash: r.BodyHash, topic: tid, kind: r.Kind}
	cut := nanosOf(r.At.Add(-l.retention))
	k := l.key(r.To)
	sh := l.shard(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if old, ok := sh.one[k]; ok {
		delete(sh.one, k)
		if old.at > cut {
			sh.many[k] = insertRec([]sentRec{old}, rec)
		} else {
			sh.one[k] = rec
		}
	} else if t, ok := sh.many[k]; ok {
		t = insertRec(t, rec)
		i := 0
		for i < len(t) && t[i].at <= cut {
			i++
		}
		t = t[i:]
		if len(t) == 1 {
			delete(sh.many, k)
			sh.one[k] = t[0]
		} else {
			sh.many[k] = t
		}
	} else {
		sh.one[k] = rec
	}
	if sh.floor == 0 || rec.at < sh.floor {
		sh.floor = rec.at
	}
	sh.n++
	if sh.n >= sweepEvery && sh.floor <= cut {
		sh.sweep(cut)
	}
	return nil
}

// insertRec adds r to t in time order (sends usually arrive in order).
func insertRec(t []sentRec, r sentRec) []sentRec {
	i := len(t)
	for i > 0 && t[i-1].at > r.at {
		i--
	}
	t = append(t, sentRec{})
	copy(t[i+1:], t[i:])
	t[i] = r
	return t
}

// sweep forgets the numbers whose newest send is at or before cut. The
// caller holds mu.
func (sh *sendLogShard) sweep(cut int64) {
	sh.n = 0
	floor := int64(0)
	lower := func(at int64) {
		if floor == 0 || at < floor {
			floor = at
		}
	}
	for k, r := range sh.one {
		if r.at <= cut {
			delete(sh.one, k)
		} else {
			lower(r.at)
		}
	}
	for k, t := range sh.many {
		if t[len(t)-1].at <= cut {
			delete(sh.many, k)
		} else {
			lower(t[len(t)-1].at)
		}
	}
	sh.floor = floor
}

// CountSends counts the remembered sends matching q.
func (l *sendLog) CountSends(ctx context.Context, q compliance.SendQuery) (compliance.SendTally, error) {
	if err := ctx.Err(); err != nil {
		return compliance.SendTally{}, err
	}
	var tid uint32
	if q.MatchTopic {
		var ok bool
		if tid, ok = l.topic(q.Topic, false); !ok {
			return compliance.SendTally{}, nil // never sent in this topic
		}
	}
	since := nanosOf(q.Since)
	k := l.key(q.To)
	sh := l.shard(k)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	var t compliance.SendTally
	var oldest int64
	count := func(x sentRec) {
		if x.at <= since ||
			(q.MatchTopic && x.topic != tid) ||
			(q.Kinds != 0 && !q.Kinds.Has(x.kind)) ||
			(q.MatchBody && x.hash != q.BodyHash) {
			return
		}
		if t.Count == 0 || x.at < oldest {
			oldest = x.at
		}
		t.Count++
	}
	if r, ok := sh.one[k]; ok {
		count(r)
	} else {
		for _, r := range sh.many[k] {
			count(r)
		}
	}
	if t.Count > 0 {
		t.Oldest = time.Unix(0, oldest)
	}
	return t, nil
}
