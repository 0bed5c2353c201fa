package segment

import (
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// nextCut returns the end (a byte offset) of the part that starts at start
// and can hold capacity units under m, and the units it holds. It never
// returns end == start for a non-empty remainder: every character costs at
// most 2 units and every capacity is larger.
func nextCut(text string, start int, m measure, capacity int, codePoints bool) (end, used int) {
	plain := m.enc == GSM7 && m.t == (tableSet{})
	for i := start; i < len(text); {
		var r rune
		size := 1
		var c int
		if b := text[i]; b < utf8.RuneSelf {
			r = rune(b)
			if plain {
				c = codeCost(asciiCode[b])
			} else {
				c = m.cost(r)
			}
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
			c = m.cost(r)
		}
		if c == 0 {
			c = 1 // unreachable for a measure chosen by analyze
		}
		if used+c > capacity {
			if codePoints {
				return i, used
			}
			p := graphemeCut(text, start, i)
			for j := p; j < i; {
				r, n := utf8.DecodeRuneInString(text[j:])
				used -= max(m.cost(r), 1)
				j += n
			}
			return p, used
		}
		used += c
		i += size
	}
	return len(text), used
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
	}
	return false
}

// graphemeCut returns where a part that starts at start must end when the
// code point at p no longer fits: p itself when p is a grapheme cluster
// boundary, otherwise the start of the cluster containing p, unless that
// cluster begins the part (it is longer than a part), in which case it is
// cut at p. Only the text near p is examined.
func graphemeCut(text string, start, p int) int {
	if p <= start || p >= len(text) {
		return p
	}
	before, size := utf8.DecodeLastRuneInString(text[:p])
	after, _ := utf8.DecodeRuneInString(text[p:])
	if simpleRune(before) && simpleRune(after) {
		return p
	}
	// Walk back to a certain boundary: between two simple runes, or the
	// start of the part.
	q := p - size
	for q > start {
		r, n := utf8.DecodeLastRuneInString(text[:q])
		cur, _ := utf8.DecodeRuneInString(text[q:])
		if simpleRune(r) && simpleRune(cur) {
			break
		}
		q -= n
	}
	state := -1
	for pos := q; pos < len(text); {
		var cluster string
		cluster, _, _, state = uniseg.FirstGraphemeClusterInString(text[pos:], state)
		end := pos + len(cluster)
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
