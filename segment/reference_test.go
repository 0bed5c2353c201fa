package segment

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/rivo/uniseg"
)

// referenceSplit is Split written the slow, obvious way: fill each part
// code point by code point, then move the cut back to the last grapheme
// cluster boundary of the whole remaining text (uniseg run from the part's
// start to the end of the text, plus any position between two simple runes,
// which is how a CR and its LF may be separated) when there is one inside
// the part. It is quadratic on long clusters; keep its inputs small.
func referenceSplit(text string, a Analysis, codePoints bool) []string {
	m := measure{enc: a.Encoding, t: tableSet{lock: a.LockingShift, single: a.SingleShift}}
	if a.Segments <= 1 {
		if text == "" {
			return nil
		}
		return []string{text}
	}
	var parts []string
	for start := 0; start < len(text); {
		p, used := start, 0
		for p < len(text) {
			r, n := utf8.DecodeRuneInString(text[p:])
			c := max(m.cost(r), 1)
			if used+c > a.PerSegment {
				break
			}
			used += c
			p += n
		}
		end := p
		if p < len(text) && !codePoints {
			end = start
			boundary := func(b int) bool {
				before, _ := utf8.DecodeLastRuneInString(text[:b])
				after, _ := utf8.DecodeRuneInString(text[b:])
				return simpleRune(before) && simpleRune(after)
			}
			for b := p; b > start; b-- {
				if utf8.RuneStart(text[b]) && boundary(b) {
					end = b
					break
				}
			}
			state, pos := -1, start
			for pos < len(text) {
				var cluster string
				cluster, _, _, state = uniseg.FirstGraphemeClusterInString(text[pos:], state)
				if pos+len(cluster) > p {
					break
				}
				pos += len(cluster)
			}
			end = max(end, pos)
			if end == start {
				end = p // a cluster longer than a part
			}
		}
		parts = append(parts, text[start:end])
		start = end
	}
	return parts
}

// TestSplitMatchesReference compares Split with referenceSplit on texts
// where the windowed cluster search could go wrong: clusters across a cut,
// clusters longer than a part, CR LF, regional indicators in odd runs.
func TestSplitMatchesReference(t *testing.T) {
	u := func(s string, n int) string { return strings.Repeat(s, n) }
	texts := []string{
		u("ж", 60) + "👨\u200d👩\u200d👧\u200d👦" + u("ж", 60),
		u("ж", 65) + u("🇫🇷", 40) + "🇩",
		"🇩" + u("🇫🇷", 40) + u("ж", 7),
		u("a", 150) + "\r\n" + u("e\u0301", 40) + "\r\n" + u("b", 160),
		u("a", 66) + u("\u0301", 300) + u("b", 70),
		u("\u0301", 300),
		u("\u1100", 80) + u("\u1161", 80) + u("\u11a8", 80),
		u("👨\u200d", 70) + u("x", 5),
		u("ж", 64) + "e\u0301\u0302\u0303" + u("ж", 64),
		u("a", 150) + "e\u0301\u0302\u0303\u0304" + u("b", 160),
		u("\xed\xa0\x80", 60) + u("ж", 10),
		u("\u0915\u094d", 100), // Devanagari virama runs
	}
	for _, text := range texts {
		for _, cp := range []bool{false, true} {
			var opts []Option
			if cp {
				opts = append(opts, WithCodePointBoundaries())
			}
			want := referenceSplit(text, Analyze(text, opts...), cp)
			if diff := cmp.Diff(want, Split(text, opts...)); diff != "" {
				t.Errorf("Split(%.40q, code points %v) (-reference +got):\n%s", text, cp, diff)
			}
		}
	}
}

// TestSimpleRunesBreakEverywhere checks simpleRune against uniseg: between
// any two simple runes (other than CR LF, which Split may separate on
// purpose) uniseg finds a boundary.
func TestSimpleRunesBreakEverywhere(t *testing.T) {
	var simple []string
	for r := rune(0); r <= 0xFFFF; r++ {
		if simpleRune(r) && r != '\r' && r != '\n' && (r < 0xD800 || r > 0xDFFF) {
			simple = append(simple, string(r))
		}
	}
	simple = append(simple, "\xff", "\xed", "\x80")
	for i, a := range simple {
		for _, b := range []string{simple[(i*7919)%len(simple)], simple[(i*104729+1)%len(simple)], "a", "\xff", a} {
			if c, _, _, _ := uniseg.FirstGraphemeClusterInString(a+b, -1); c != a {
				t.Fatalf("uniseg keeps %q and %q together", a, b)
			}
		}
	}
}
