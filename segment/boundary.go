package segment

import (
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// cutStats collects what a cutting pass notices on the way.
type cutStats struct {
	bad     int  // offset of the first character the measure cannot encode, or -1
	badRune rune // that character
	invalid int  // offset of the first NUL, U+001B or invalid UTF-8 byte, or -1
	hasEsc  bool // an escaped (extension or single shift) character was seen
	work    int  // bytes examined, counted once per pass over them (tests bound it)
}

func newCutStats() cutStats { return cutStats{bad: -1, invalid: -1} }

// nextCut returns the end (a byte offset) of the part that starts at start
// and can hold capacity units under m, and the units it holds. It never
// returns end == start for a non-empty remainder that m can encode: every
// character costs at most 2 units and every capacity is larger. When it
// meets a character m cannot encode it stops there and records it in st.
func nextCut(text string, start int, m measure, capacity int, codePoints bool, st *cutStats) (end, used int) {
	plain := m.enc == GSM7 && m.t == (tableSet{})
	ucs2 := m.enc == UCS2
	i := start
	slowUntil := 0 // after a failed 8-byte try, go rune by rune past it
	for i < len(text) {
		if plain && i >= slowUntil && i+8 <= len(text) && used+16 <= capacity {
			if k, ok := ascii8(text[i:]); ok {
				if k > 8 {
					st.hasEsc = true
				}
				used += k
				i += 8
				continue
			}
			if n, k, esc := asciiPrefix8(text[i:]); n > 0 {
				if esc {
					st.hasEsc = true
				}
				used += k
				i += n
				continue
			}
			slowUntil = i + 1
		}
		if ucs2 && i >= slowUntil && i+8 <= len(text) && used+8 <= capacity {
			if sendable8(text[i:]) {
				used += 8
				i += 8
				continue
			}
			slowUntil = i + 8
		}
		var c, size int
		b := text[i]
		if b < utf8.RuneSelf {
			size = 1
			switch {
			case b == 0 || b == escSeptet:
				if st.invalid < 0 {
					st.invalid = i
				}
				c = 1 // counted, refused by Encode
			case plain:
				c = int(asciiCost[b])
			case ucs2:
				c = 1
			default:
				c = m.cost(rune(b))
			}
			if c == 0 {
				st.bad, st.badRune = i, rune(b)
				return i, used
			}
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			if size == 1 && st.invalid < 0 {
				st.invalid = i
			}
			if c = m.cost(r); c == 0 {
				st.bad, st.badRune = i, r
				return i, used
			}
		}
		if used+c > capacity {
			break
		}
		if c == 2 && !ucs2 {
			st.hasEsc = true
		}
		used += c
		i += size
	}
	st.work += i - start
	if i >= len(text) || codePoints {
		return i, used
	}
	p := graphemeCut(text, start, i, st)
	for j := p; j < i; {
		r, n := utf8.DecodeRuneInString(text[j:])
		used -= max(m.cost(r), 1)
		j += n
	}
	return p, used
}

// simpleRune reports whether r belongs to a class that takes part in no
// grapheme cluster rule except the default "break everywhere" (GB999), so a
// boundary between two such runes is certain without running uniseg.
// CR and LF count as simple: like Twilio's calculator, a part may end
// between a CR and its LF.
func simpleRune(r rune) bool {
	switch {
	case r >= 0x20 && r <= 0x7E, r == '\n', r == '\r', r == '\t':
		return true
	case r >= 0xC0 && r <= 0xFF: // Latin-1 letters, × and ÷
		return true
	case r >= 0x391 && r <= 0x3C9: // Greek letters
		return true
	case r >= 0x410 && r <= 0x44F: // basic Cyrillic letters
		return true
	case r >= 0x4E00 && r <= 0x9FFF: // CJK unified ideographs
		return true
	case r == utf8.RuneError: // U+FFFD and every invalid UTF-8 byte
		return true
	}
	return false
}

// maxWalkBack is how many runes graphemeCut looks back for a certain
// boundary before it runs uniseg from the start of the part: more than any
// ordinary cluster (a ZWJ family of four is seven runes) holds.
const maxWalkBack = 16

// graphemeCut returns where a part that starts at start must end when the
// code point at p no longer fits: p itself when p is a grapheme cluster
// boundary, otherwise the start of the cluster containing p, unless that
// cluster begins the part (it is longer than a part), in which case it is
// cut at p. Only the text near p is examined.
func graphemeCut(text string, start, p int, st *cutStats) int {
	if p <= start || p >= len(text) {
		return p
	}
	before, size := utf8.DecodeLastRuneInString(text[:p])
	after, afterSize := utf8.DecodeRuneInString(text[p:])
	if simpleRune(before) && simpleRune(after) {
		return p
	}
	// Walk back to a certain boundary, between two simple runes, where
	// uniseg can start; give up after a few runes (there is none in a long
	// cluster or a run of flags) and start at the part's start instead.
	q, cur, gaveUp := p-size, before, false
	for steps := 0; q > start; steps++ {
		if steps == maxWalkBack {
			gaveUp = true
			break
		}
		r, n := utf8.DecodeLastRuneInString(text[:q])
		if simpleRune(r) && simpleRune(cur) {
			break
		}
		q, cur = q-n, r
	}
	st.work += p - q
	if gaveUp {
		q = start
	}
	// Whether p is a boundary depends only on the runes before it and on
	// the one at p (uniseg carries everything else in its state), so the
	// clusters are found in a window that ends after that rune. A cluster
	// running on past p is never followed to its end: the work per part is
	// bounded by the part, and a long cluster is not rescanned for every
	// part it spans (which was quadratic in its length).
	window := text[:p+afterSize]
	state := -1
	for pos := q; pos < len(window); {
		var cluster string
		cluster, _, _, state = uniseg.FirstGraphemeClusterInString(window[pos:], state)
		end := pos + len(cluster)
		st.work += len(cluster)
		switch {
		case end == p:
			return p
		case end > p:
			if pos > start {
				return pos
			}
			return p // a cluster longer than a part: cut at the code point
		}
		pos = end
	}
	return p
}
