package notify

// packedTable holds the sends of numbers texted once that are in a frame,
// 12 bytes each: an open-addressing hash table (linear probing in Robin
// Hood order, deletion by backward shift, no tombstones) that grows by a
// quarter at a time, so it stays between about 60% and 88% full.
//
// Its key is the rest of a number's mixed key (numKey): the number's
// shard and table are the top bits, so a slot keeps only the low remBits.
// The mixed key is spread evenly, so a rest's home slot is its share of
// the table (rest × capacity >> remBits).
//
// A slot is three uint32 words: the rest (remBits), the frame id
// (packFrameBits; 0 marks an empty slot) and the send's offset from the
// frame's base (packOffsetBits nanoseconds), high bits first.
type packedTable struct {
	w []uint32
	n int
}

const (
	numBits        = 50 // E.164 numbers are below 10^15 < 2^50
	subBits        = 5  // packed tables per shard: 1 << subBits
	shardBits      = 6  // shards: 1 << shardBits
	remBits        = numBits - shardBits - subBits
	packFrameBits  = 19
	packOffsetBits = 96 - remBits - packFrameBits
)

// numKey mixes an E.164 key (below 2^numBits) into a key of the same
// range, one to one, with every bit depending on every digit.
func numKey(k uint64) uint64 {
	const mask = 1<<numBits - 1
	h := k * 0x9e3779b97f4a7c15 & mask
	h ^= h >> 23
	h = h * 0xbf58476d1ce4e5b9 & mask
	h ^= h >> 27
	return h
}

// packedSend is one send of a packedTable.
type packedSend struct {
	frame uint32
	off   uint64
}

func (t *packedTable) slots() int { return len(t.w) / 3 }

// get returns slot i: its rest, and its send (frame 0 when empty).
func (t *packedTable) get(i int) (rest uint64, s packedSend) {
	w := t.w[3*i : 3*i+3 : 3*i+3]
	hi := uint64(w[0])<<32 | uint64(w[1])
	rest = hi >> (64 - remBits)
	s.frame = uint32(hi>>(64-remBits-packFrameBits)) & (1<<packFrameBits - 1)
	s.off = (hi&(1<<(packOffsetBits-32)-1))<<32 | uint64(w[2])
	return rest, s
}

func (t *packedTable) put(i int, rest uint64, s packedSend) {
	hi := rest<<(64-remBits) | uint64(s.frame)<<(64-remBits-packFrameBits) | s.off>>32
	w := t.w[3*i : 3*i+3 : 3*i+3]
	w[0], w[1], w[2] = uint32(hi>>32), uint32(hi), uint32(s.off)
}

func (t *packedTable) clear(i int) {
	w := t.w[3*i : 3*i+3 : 3*i+3]
	w[0], w[1], w[2] = 0, 0, 0
}

// home is the slot a rest would have in an empty table.
func (t *packedTable) home(rest uint64) int {
	return int(rest * uint64(t.slots()) >> remBits)
}

// dist is how far slot i is from home slot h, going forward (wrapping).
func (t *packedTable) dist(i, h int) int {
	if d := i - h; d >= 0 {
		return d
	}
	return i - h + t.slots()
}

// find returns the slot of rest, or -1.
func (t *packedTable) find(rest uint64) int {
	c := t.slots()
	if t.n == 0 {
		return -1
	}
	i := t.home(rest)
	for d := 0; ; d++ {
		r, s := t.get(i)
		if s.frame == 0 {
			return -1
		}
		if r == rest {
			return i
		}
		if t.dist(i, t.home(r)) < d {
			return -1 // rest would have taken this slot
		}
		if i++; i == c {
			i = 0
		}
	}
}

// insert adds a send for rest, which is not in the table.
func (t *packedTable) insert(rest uint64, s packedSend) {
	if (t.n+1)*8 > t.slots()*7 {
		t.resize(max(8, t.slots()+t.slots()/4))
	}
	c := t.slots()
	i := t.home(rest)
	for d := 0; ; d++ {
		r, x := t.get(i)
		if x.frame == 0 {
			t.put(i, rest, s)
			t.n++
			return
		}
		if rd := t.dist(i, t.home(r)); rd < d {
			t.put(i, rest, s)
			rest, s, d = r, x, rd
		}
		if i++; i == c {
			i = 0
		}
	}
}

// remove empties slot i, moving the slots after it back so no rest is
// left past an empty slot on its way from home.
func (t *packedTable) remove(i int) {
	c := t.slots()
	for {
		j := i + 1
		if j == c {
			j = 0
		}
		r, s := t.get(j)
		if s.frame == 0 || t.home(r) == j {
			break
		}
		t.put(i, r, s)
		i = j
	}
	t.clear(i)
	t.n--
}

// resize moves the sends to a table of n slots.
func (t *packedTable) resize(n int) {
	old := *t
	*t = packedTable{w: make([]uint32, 3*n)}
	for i := range old.slots() {
		if r, s := old.get(i); s.frame != 0 {
			t.insert(r, s)
		}
	}
}

// sweep removes the sends for which drop is true and shrinks the table
// when it is mostly empty.
func (t *packedTable) sweep(drop func(packedSend) bool) {
	for i := 0; i < t.slots(); {
		// remove moves the next slots back, so slot i is looked at again.
		if _, s := t.get(i); s.frame != 0 && drop(s) {
			t.remove(i)
			continue
		}
		i++
	}
	switch {
	case t.n == 0:
		*t = packedTable{}
	case t.n*4 < t.slots():
		t.resize(t.n*8/7 + 8)
	}
}
