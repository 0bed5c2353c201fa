package notify

import "math/bits"

// numberSet is the set of numbers one send has seen, for its duplicate
// check: E.164 keys (internal/e164.Key) in an open-addressed table with
// linear probing, 8 bytes a slot and at most three quarters full. A
// million-recipient stream keeps its numbers in 16 MiB here, where a Go map
// of the same keys takes about 35 MiB.
type numberSet struct {
	slots []uint64 // 0 marks an empty slot
	shift uint     // 64 - log2(len(slots))
	n     int
	zero  bool // key 0 (not an E.164 number, kept for completeness)
}

// add inserts k and reports whether it was not in the set.
func (s *numberSet) add(k uint64) bool {
	if k == 0 {
		was := s.zero
		s.zero = true
		return !was
	}
	if (s.n+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := (k * 0x9E3779B97F4A7C15) >> s.shift; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = k
			s.n++
			return true
		case k:
			return false
		}
	}
}

// grow doubles the table (1,024 slots at first) and inserts every key
// again.
func (s *numberSet) grow() {
	old := s.slots
	size := max(1024, 2*len(old))
	s.slots = make([]uint64, size)
	s.shift = uint(64 - bits.TrailingZeros(uint(size)))
	s.n = 0
	for _, k := range old {
		if k != 0 {
			s.add(k)
		}
	}
}
