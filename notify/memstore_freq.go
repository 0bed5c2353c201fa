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
// the retention, kept compactly, so a million-recipient blast fits in
// about 15 MB. Numbers are sharded by their E.164 digits as an integer,
// mixed (numKey).
//
// A number texted once whose send shares its body, topic and kind with
// other sends (a blast) takes 12 bytes of a packedTable: the rest of its
// key, the frame of those sends (memstore_frames.go) and the send's time
// as an offset from the frame's base. Another number texted once (a
// personalised body, the first send of a blast, a number not in E.164) is
// a 24-byte sentRec in a map. A number texted more than once in the
// retention keeps its sends in a slice, oldest first. Every answer is
// exact: a frame holds the body hash, topic and kind whole, and the offset
// the time to the nanosecond.
type sendLog struct {
	retention time.Duration
	seed      maphash.Seed
	shards    [1 << shardBits]sendLogShard

	// mu guards topics, names and the index of frames (frames.byShape,
	// frames.free, frames.used and the creation of chunks).
	mu     sync.RWMutex
	topics map[string]uint32
	names  []string
	frames frameTable
}

// sentRec is one send: when, which body, which topic and kind.
type sentRec struct {
	at    int64 // Unix nanoseconds
	hash  uint64
	topic uint32
	kind  compliance.Kind
}

// sendLogShard holds the sends of some numbers. A number is in at most one
// of packed, single and many.
type sendLogShard struct {
	mu     sync.RWMutex
	packed [1 << subBits]packedTable // numbers texted once, in a frame
	single map[uint64]sentRec        // numbers texted once, outside any frame
	many   map[uint64][]sentRec      // numbers texted more, oldest first
	n      int                       // sends since the last sweep
	floor  int64                     // at or before the newest send of every number; 0 when empty
}

// sweepEvery is how many sends a shard records between sweeps.
const sweepEvery = 4096

func newSendLog(retention time.Duration) *sendLog {
	l := &sendLog{retention: retention, seed: maphash.MakeSeed(), topics: map[string]uint32{"": 0}, names: []string{""}}
	l.frames.byShape = make(map[shape]uint32)
	l.frames.used = 1
	for i := range l.shards {
		l.shards[i].single = make(map[uint64]sentRec)
		l.shards[i].many = make(map[uint64][]sentRec)
	}
	return l
}

// numRef locates a number's sends: its shard, its key in the shard's maps,
// and for an E.164 number its packed table and the rest of its key there.
type numRef struct {
	sh     *sendLogShard
	k      uint64
	packed *packedTable // nil for a number not in E.164
	rest   uint64
}

// locate returns the numRef of to. An E.164 number's key is its digits,
// another's a hash of the string in a range E.164 keys never use (they
// are below 10^16).
func (l *sendLog) locate(to string) numRef {
	if k, ok := e164.Key(to); ok {
		h := numKey(k)
		sh := &l.shards[h>>(numBits-shardBits)]
		return numRef{sh: sh, k: k, packed: &sh.packed[h>>remBits&(1<<subBits-1)], rest: h & (1<<remBits - 1)}
	}
	k := maphash.String(l.seed, to) | 1<<63
	return numRef{sh: &l.shards[(k*0x9e3779b97f4a7c15)>>(64-shardBits)], k: k}
}

// topicLocked interns a topic name; the caller holds mu (write).
func (l *sendLog) topicLocked(name string) uint32 {
	if id, ok := l.topics[name]; ok {
		return id
	}
	id := uint32(len(l.names))
	l.topics[name] = id
	l.names = append(l.names, name)
	return id
}

// topic interns a topic name.
func (l *sendLog) topic(name string) uint32 {
	if id, ok := l.topicID(name); ok {
		return id
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.topicLocked(name)
}

// topicID returns the id of a topic name, if it was ever sent in.
func (l *sendLog) topicID(name string) (uint32, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	id, ok := l.topics[name]
	return id, ok
}

func nanosOf(t time.Time) int64 { return t.UnixNano() }

// RecordSend remembers one send and forgets this number's sends older than
// the retention, measured from r.At.
func (l *sendLog) RecordSend(ctx context.Context, r compliance.SendRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	at := nanosOf(r.At)
	n := l.locate(r.To)
	sh, k := n.sh, n.k
	var tid, fid uint32
	inFrame := false
	if n.packed != nil {
		tid, fid, inFrame = l.acquire(r.Topic, r.Kind, r.BodyHash, at)
	} else {
		tid = l.topic(r.Topic)
	}
	rec := sentRec{at: at, hash: r.BodyHash, topic: tid, kind: r.Kind}
	cut := nanosOf(r.At.Add(-l.retention))
	sh.mu.Lock()
	defer sh.mu.Unlock()
	// The number's earlier sends, taken out of whichever map holds them.
	var prev []sentRec
	var one [1]sentRec
	slot := -1
	if n.packed != nil {
		slot = n.packed.find(n.rest)
	}
	if slot >= 0 {
		_, ps := n.packed.get(slot)
		n.packed.remove(slot)
		one[0] = l.unpack(ps)
		l.release(ps.frame)
		prev = one[:]
	} else if old, ok := sh.single[k]; ok {
		delete(sh.single, k)
		one[0] = old
		prev = one[:]
	} else if t, ok := sh.many[k]; ok {
		prev = t
	}
	// The sends still in the retention after this one.
	var t []sentRec
	if len(prev) > 0 {
		i := 0
		for i < len(prev) && prev[i].at <= cut {
			i++
		}
		if i < len(prev) {
			if len(prev) == 1 {
				t = make([]sentRec, 1, 2) // a second send: two is the usual end
				t[0] = prev[0]
			} else {
				t = prev[i:]
			}
			t = insertRec(t, rec)
		}
	}
	switch {
	case len(t) > 1:
		sh.many[k] = t
	case inFrame:
		delete(sh.many, k)
		n.packed.insert(n.rest, packedSend{frame: fid, off: uint64(at - l.frames.at(fid).base)})
		inFrame = false // the entry holds the frame now
	default:
		delete(sh.many, k)
		sh.single[k] = rec
	}
	if inFrame {
		l.release(fid)
	}
	if sh.floor == 0 || rec.at < sh.floor {
		sh.floor = rec.at
	}
	sh.n++
	if sh.n >= sweepEvery && sh.floor <= cut {
		l.sweep(sh, cut)
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

// sweep forgets the numbers of sh whose newest send is at or before cut.
// The caller holds sh.mu.
func (l *sendLog) sweep(sh *sendLogShard, cut int64) {
	sh.n = 0
	floor := int64(0)
	lower := func(at int64) {
		if floor == 0 || at < floor {
			floor = at
		}
	}
	for i := range sh.packed {
		sh.packed[i].sweep(func(s packedSend) bool {
			if at := l.atOf(s); at > cut {
				lower(at)
				return false
			}
			l.release(s.frame)
			return true
		})
	}
	for k, r := range sh.single {
		if r.at <= cut {
			delete(sh.single, k)
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
		if tid, ok = l.topicID(q.Topic); !ok {
			return compliance.SendTally{}, nil // never sent in this topic
		}
	}
	since := nanosOf(q.Since)
	n := l.locate(q.To)
	sh, k := n.sh, n.k
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
	slot := -1
	if n.packed != nil {
		slot = n.packed.find(n.rest)
	}
	if slot >= 0 {
		_, ps := n.packed.get(slot)
		count(l.unpack(ps))
	} else if r, ok := sh.single[k]; ok {
		count(r)
	} else if len(sh.many) > 0 {
		for _, r := range sh.many[k] {
			count(r)
		}
	}
	if t.Count > 0 {
		t.Oldest = time.Unix(0, oldest)
	}
	return t, nil
}
