package segment

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// naiveGSM7 counts a GSM-7 text of default-alphabet characters rune by rune
// and cuts it greedily, the way the specification describes: the reference
// the 8-byte fast path must agree with.
func naiveGSM7(text string) (segments, units, last int) {
	var costs []int
	for _, r := range text {
		switch r {
		case '^', '{', '}', '\\', '[', '~', ']', '|', '€', '\f':
			costs = append(costs, 2)
		default:
			costs = append(costs, 1)
		}
	}
	for _, c := range costs {
		units += c
	}
	if units <= 160 {
		if units == 0 {
			return 0, 0, 0
		}
		return 1, units, units
	}
	used := 0
	segments = 1
	for _, c := range costs {
		if used+c > 153 {
			segments++
			used = 0
		}
		used += c
	}
	return segments, units, used
}

func TestFastPathAgreesWithNaiveCount(t *testing.T) {
	// An alphabet that exercises every branch of the fast path: plain
	// ASCII, extension characters, the euro sign (three UTF-8 bytes, two
	// septets) and a two-byte default-alphabet letter (é).
	alphabet := []string{"a", "Z", " ", "7", "^", "{", "|", "€", "é", "€€", "a€"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 3000 {
		var b strings.Builder
		for range rng.IntN(700) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		text := b.String()
		a := Analyze(text)
		segs, units, last := naiveGSM7(text)
		if a.Encoding != GSM7 || a.Segments != segs || a.Units != units || a.PerSegment-a.Remaining != last {
			t.Fatalf("case %d %q: Analyze = %v %d segments %d units %d in the last; naive = %d %d %d",
				n, text, a.Encoding, a.Segments, a.Units, a.PerSegment-a.Remaining, segs, units, last)
		}
	}
}
