package notify

import (
	"sync/atomic"

	"github.com/heraldsms/herald/compliance"
)

// A frame is what many sends of the sendLog share: a body hash, topic and
// kind (a shape) and a base time. A send in a frame is its frame's id and
// its time as a nanosecond offset from the base, below 2^packOffsetBits
// (about 4.6 minutes, the base being frameLead, about 69 seconds, before
// the frame's first send): a blast of one body is about one frame per 3.4
// minutes of sending. A frame is freed, and its id used again, when no
// send refers to it. Id 0 is no frame.
//
// A shape gets a frame on its second send (a doorkeeper of recently seen
// shapes decides), so personalised bodies, each sent once, cost no frame.
const (
	maxFrames  = 1 << packFrameBits
	frameChunk = 256 // frames are allocated in chunks that never move
	// frameLead is how far before its first send a frame's base is, so
	// sends of the blast that arrive a little out of order fit too.
	frameLead = 1 << (packOffsetBits - 2)
	// seenSlots is the size of the doorkeeper (a power of two).
	seenSlots = 1024
)

// shape is what the sends of a frame have in common.
type shape struct {
	hash  uint64
	topic uint32
	kind  compliance.Kind
}

// frame is a shape and a base time, with the number of sends that refer
// to it. shape and base are written under sendLog.mu (write) before the
// frame's id is handed out and not again until the frame is freed, when
// no send refers to it.
type frame struct {
	shape
	base int64
	live bool
	refs atomic.Int64 // packed sends and reservations (acquire)
}

// frameTable holds the frames. Its index is guarded by sendLog.mu; the
// frames are read without it by whoever holds a reference.
type frameTable struct {
	byShape map[shape]uint32 // the newest frame of each shape
	chunks  [maxFrames / frameChunk]*[frameChunk]frame
	free    []uint32 // ids of freed frames
	used    uint32   // ids from 1 to used-1 have been handed out at least once (newSendLog sets 1)
	seen    [seenSlots]atomic.Uint64
}

// at returns frame id. The caller holds a reference to it, or mu.
func (ft *frameTable) at(id uint32) *frame {
	return &ft.chunks[id/frameChunk][id%frameChunk]
}

// atOf is the time of a packed send.
func (l *sendLog) atOf(s packedSend) int64 {
	return l.frames.at(s.frame).base + int64(s.off)
}

// unpack returns a packed send whole.
func (l *sendLog) unpack(s packedSend) sentRec {
	f := l.frames.at(s.frame)
	return sentRec{at: f.base + int64(s.off), hash: f.hash, topic: f.topic, kind: f.kind}
}

// fits reports whether a send at at can be packed in f.
func (f *frame) fits(at int64) bool {
	return at >= f.base && uint64(at)-uint64(f.base) < 1<<packOffsetBits
}

// acquire interns the topic and returns the frame a send of this shape at
// at belongs in, with a reference the caller passes to the send's entry
// or gives back with release; ok is false when the send is kept outside
// any frame (the shape's first send, or no frame id left).
func (l *sendLog) acquire(topic string, kind compliance.Kind, hash uint64, at int64) (tid, id uint32, ok bool) {
	ft := &l.frames
	l.mu.RLock()
	tid, known := l.topics[topic]
	framed := false
	if known {
		if id, ok := ft.byShape[shape{hash: hash, topic: tid, kind: kind}]; ok {
			if f := ft.at(id); f.fits(at) {
				f.refs.Add(1)
				l.mu.RUnlock()
				return tid, id, true
			}
			framed = true
		}
	}
	l.mu.RUnlock()
	if !known {
		l.mu.Lock()
		tid = l.topicLocked(topic)
		l.mu.Unlock()
	}
	s := shape{hash: hash, topic: tid, kind: kind}
	if !framed && !ft.admit(s) {
		return tid, 0, false
	}
	id, ok = l.newFrame(s, at)
	return tid, id, ok
}

// admit reports whether shape s was seen recently, and records it as seen
// otherwise. A collision only gives a shape its frame a send early or late.
func (ft *frameTable) admit(s shape) bool {
	h := s.hash ^ uint64(s.topic)*0x9e3779b97f4a7c15 ^ uint64(s.kind)<<56
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h |= 1 // 0 is an empty slot
	slot := &ft.seen[(h>>32)&(seenSlots-1)]
	if slot.Load() == h {
		return true
	}
	slot.Store(h)
	return false
}

// newFrame is acquire's slow path: it makes a frame for the shape (a new
// shape's second send, or a send outside the time span of the shape's
// newest frame), unless one appeared meanwhile.
func (l *sendLog) newFrame(s shape, at int64) (id uint32, ok bool) {
	ft := &l.frames
	l.mu.Lock()
	defer l.mu.Unlock()
	if id, ok := ft.byShape[s]; ok {
		if f := ft.at(id); f.fits(at) {
			f.refs.Add(1)
			return id, true
		}
	}
	if at < -1<<63+frameLead {
		return 0, false // the base would not be a time
	}
	switch {
	case len(ft.free) > 0:
		id = ft.free[len(ft.free)-1]
		ft.free = ft.free[:len(ft.free)-1]
	case ft.used < maxFrames:
		id = ft.used
		ft.used++
		if ft.chunks[id/frameChunk] == nil {
			ft.chunks[id/frameChunk] = new([frameChunk]frame)
		}
	default:
		return 0, false
	}
	f := ft.at(id)
	f.shape, f.base, f.live = s, at-frameLead, true
	f.refs.Store(1)
	ft.byShape[s] = id
	return id, true
}

// release drops a reference to frame id and frees the frame when it was
// the last. The caller may hold a shard's lock (shard locks come before
// mu).
func (l *sendLog) release(id uint32) {
	if l.frames.at(id).refs.Add(-1) > 0 {
		return
	}
	ft := &l.frames
	l.mu.Lock()
	defer l.mu.Unlock()
	// acquire may have taken a new reference meanwhile, or an earlier
	// release freed the frame (and newFrame handed it out again).
	f := ft.at(id)
	if !f.live || f.refs.Load() > 0 {
		return
	}
	f.live = false
	if ft.byShape[f.shape] == id {
		delete(ft.byShape, f.shape)
	}
	ft.free = append(ft.free, id)
}
