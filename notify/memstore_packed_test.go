package notify

import (
	"math/rand/v2"
	"testing"
)

// TestPackedTableMatchesMap inserts, finds, removes and sweeps random
// rests (many near the top of the range, whose home is the last slots, so
// probes wrap around) and compares the table with a map after each step.
func TestPackedTableMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var pt packedTable
	model := map[uint64]packedSend{}
	rest := func() uint64 {
		if rng.IntN(4) == 0 {
			return 1<<remBits - 1 - rng.Uint64N(64) // the top of the range
		}
		return rng.Uint64N(1 << remBits)
	}
	send := func() packedSend {
		return packedSend{frame: 1 + rng.Uint32N(1<<packFrameBits-1), off: rng.Uint64N(1 << packOffsetBits)}
	}
	check := func() {
		t.Helper()
		if pt.n != len(model) {
			t.Fatalf("%d sends, model %d", pt.n, len(model))
		}
		for r, s := range model {
			i := pt.find(r)
			if i < 0 {
				t.Fatalf("rest %d not found", r)
			}
			if gr, gs := pt.get(i); gr != r || gs != s {
				t.Fatalf("rest %d: slot holds %d %+v, want %+v", r, gr, gs, s)
			}
		}
		if pt.n > 0 && pt.n*8 > pt.slots()*7 {
			t.Fatalf("%d sends in %d slots", pt.n, pt.slots())
		}
	}
	for step := range 20000 {
		switch op := rng.IntN(10); {
		case op < 6:
			r := rest()
			if _, ok := model[r]; ok {
				continue
			}
			s := send()
			pt.insert(r, s)
			model[r] = s
		case op < 9:
			r := rest()
			if rng.IntN(2) == 0 {
				for k := range model { // an arbitrary present rest
					r = k
					break
				}
			}
			i := pt.find(r)
			if _, ok := model[r]; ok != (i >= 0) {
				t.Fatalf("find(%d) = %d, in model %v", r, i, ok)
			}
			if i >= 0 {
				pt.remove(i)
				delete(model, r)
			}
		default:
			// Drop about nine in ten, so the table shrinks too.
			cut := rng.Uint64N(1 << packOffsetBits)
			pt.sweep(func(s packedSend) bool { return s.off < cut || s.off%10 != 0 })
			for r, s := range model {
				if s.off < cut || s.off%10 != 0 {
					delete(model, r)
				}
			}
		}
		if step%97 == 0 {
			check()
		}
	}
	check()
	// A missing rest is not found, also in a full table.
	for range 1000 {
		if r := rest(); pt.find(r) >= 0 {
			if _, ok := model[r]; !ok {
				t.Fatalf("rest %d found, not in model", r)
			}
		}
	}
	pt.sweep(func(packedSend) bool { return true })
	if pt.n != 0 || pt.w != nil {
		t.Fatalf("emptied table keeps %d sends, %d words", pt.n, len(pt.w))
	}
}

// TestNumKeyOneToOne: numKey keeps E.164 keys apart and in range.
func TestNumKeyOneToOne(t *testing.T) {
	seen := map[uint64]uint64{}
	for _, base := range []uint64{14155550000, 447911123456, 999999999999999 - 50000, 1000000} {
		for k := base; k < base+50000; k++ {
			h := numKey(k)
			if h >= 1<<numBits {
				t.Fatalf("numKey(%d) = %d, out of range", k, h)
			}
			if o, ok := seen[h]; ok {
				t.Fatalf("numKey(%d) == numKey(%d)", k, o)
			}
			seen[h] = k
		}
	}
}
