package notify

import (
	"math/rand/v2"
	"testing"
)

// TestNumberSetAgreesWithAMap: every add answers as a map would, through
// several growths, for keys that collide in their low and high bits.
func TestNumberSetAgreesWithAMap(t *testing.T) {
	var s numberSet
	m := map[uint64]bool{}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200_000 {
		var k uint64
		switch i % 4 {
		case 0:
			k = 14150000000 + uint64(r.IntN(50_000)) // dense, repeats
		case 1:
			k = uint64(r.IntN(1000)) << 40 // same low bits
		case 2:
			k = uint64(r.IntN(1000)) // small, and 0
		default:
			k = r.Uint64()
		}
		if got, want := s.add(k), !m[k]; got != want {
			t.Fatalf("add(%d) #%d = %v, want %v", k, i, got, want)
		}
		m[k] = true
	}
	if s.n+boolInt(s.zero) != len(m) {
		t.Fatalf("%d keys, map has %d", s.n, len(m))
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
