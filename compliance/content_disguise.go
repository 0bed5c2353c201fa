package compliance

import (
	"unicode"
	"unicode/utf8"
)

// checkDisguised finds table words written to slip past a plain word
// match: letters split by punctuation or spaces ("c.a.s.i.n.o", "W E E
// D"), look-alike Cyrillic or Greek letters ("сasino"), full-width or
// other compatibility forms, and $ @ or digits for letters ("ca$ino",
// "c4sino"). Each is a filter-evasion finding (blocking), whatever its
// category, unless a plain match already reported the same place.
func (p *ContentPolicy) checkDisguised(out []Violation, body string) []Violation {
	if !mayBeDisguised(body) {
		return out
	}
	buf, ts, os := disguisedTokens(body)
	plain := len(out)
	for i := range ts {
		cands := p.words[string(buf[ts[i].start:ts[i].end])]
	next:
		for _, w := range cands {
			if !p.matchesAt(buf, ts, i, w) {
				continue
			}
			sp := Span{os[i].start, os[i+len(w.rest)].end}
			for _, v := range out[:plain] {
				if v.Span.Start <= sp.Start && sp.End <= v.Span.End {
					continue next // found plainly
				}
			}
			r := &p.rules[w.rule]
			var read []byte
			for k := i; k <= i+len(w.rest); k++ {
				if k > i {
					read = append(read, ' ')
				}
				read = append(read, buf[ts[k].start:ts[k].end]...)
			}
			out = append(out, Violation{
				Rule: RuleFilterEvasion, Category: "filter evasion", Severity: SeverityBlock, Span: sp,
				Text: "disguised " + r.Category + " word: " + quote(body[sp.Start:sp.End]) + " reads " + quote(string(read)),
			})
		}
	}
	return out
}

// mayBeDisguised is a cheap pre-check: a body of plain ASCII words with
// no single letters in a row, no $ or @ inside words and no digits inside
// words cannot hold a disguised word.
func mayBeDisguised(s string) bool {
	singles := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return true
		}
		if isLetterByte(c) && (i == 0 || !isLetterByte(s[i-1])) && (i+1 == len(s) || !isLetterByte(s[i+1])) {
			singles++
			if singles >= 3 {
				return true
			}
			continue
		}
		if isLetterByte(c) {
			singles = 0
		}
		if (c == '$' || c == '@' || ('0' <= c && c <= '9')) && i > 0 && i+1 < len(s) && isLetterByte(s[i-1]) && isLetterByte(s[i+1]) {
			return true
		}
	}
	return false
}

func isLetterByte(c byte) bool { return 'A' <= c&^0x20 && c&^0x20 <= 'Z' }

// lookAlike maps Cyrillic and Greek letters that look like Latin ones.
var lookAlike = map[rune]byte{
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x',
	'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ɡ': 'g',
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ω': 'w',
}

// leet maps symbols and digits used for letters inside a word.
func leet(c byte) byte {
	switch c {
	case '$', '5':
		return 's'
	case '@', '4':
		return 'a'
	case '0':
		return 'o'
	case '1', '!', '|':
		return 'i'
	case '3':
		return 'e'
	case '7':
		return 't'
	}
	return 0
}

// disguisedTokens splits s into lower-case words after undoing the
// disguises, with each word's byte range in s: compatibility forms and
// marks are folded (NFKD), look-alike letters mapped, invisible
// characters dropped, symbols and digits between letters read as letters,
// and runs of three or more single letters split by one separator ("c a
// s i n o", "v-a-p-e") joined into one word.
func disguisedTokens(s string) ([]byte, []ispan, []ispan) {
	type piece struct {
		b          []byte
		start, end int // in s
	}
	var words []piece
	var cur piece
	cur.start = -1
	flush := func() {
		if cur.start >= 0 {
			words = append(words, cur)
		}
		cur = piece{start: -1}
	}
	add := func(b byte, start, end int) {
		if cur.start < 0 {
			cur.start = start
		}
		cur.b = append(cur.b, b)
		cur.end = end
	}
	var runes [8]rune
	for i := 0; i < len(s); {
		start := i
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		rs := runes[:1]
		runes[0] = r
		if r >= utf8.RuneSelf {
			if b, ok := lookAlike[unicode.ToLower(r)]; ok {
				add(b, start, i)
				continue
			}
			if f := foldLatin(r); f != 0 {
				add(f+('a'-'A'), start, i)
				continue
			}
			rs = decompose(runes[:0], s[start:i])
		}
		for _, d := range rs {
			switch {
			case d < utf8.RuneSelf && isLetterByte(byte(d)):
				add(byte(d)|0x20, start, i)
			case d < utf8.RuneSelf && leet(byte(d)) != 0 && cur.start >= 0 && i < len(s) && isLetterByte(s[i]):
				add(leet(byte(d)), start, i)
			case d < utf8.RuneSelf && '0' <= d && d <= '9':
				add(byte(d), start, i)
			case unicode.In(d, unicode.Mn, unicode.Me, unicode.Cf):
			case d >= utf8.RuneSelf && (unicode.IsLetter(d) || unicode.IsDigit(d)):
				if cur.start < 0 {
					cur.start = start
				}
				cur.b = utf8.AppendRune(cur.b, unicode.ToLower(d))
				cur.end = i
			case d == '\'' || d == '\u2019':
			default:
				flush()
			}
		}
	}
	flush()
	// Read digits inside words as letters ("c4sino"), leaving numbers.
	for k := range words {
		w := words[k].b
		letters, digits := 0, 0
		for _, c := range w {
			if '0' <= c && c <= '9' {
				digits++
			} else {
				letters++
			}
		}
		if letters > 0 && digits > 0 {
			for j, c := range w {
				if l := leet(c); l != 0 {
					w[j] = l
				}
			}
		}
	}
	// Join runs of single letters split by one separator.
	var buf []byte
	var toks, orig []ispan
	for k := 0; k < len(words); {
		j := k
		for j < len(words) && len(words[j].b) == 1 && (j == k || words[j].start-words[j-1].end <= 2) {
			j++
		}
		if j-k >= 3 {
			st := len(buf)
			for m := k; m < j; m++ {
				buf = append(buf, words[m].b...)
			}
			toks = append(toks, ispan{st, len(buf)})
			orig = append(orig, ispan{words[k].start, words[j-1].end})
			k = j
			continue
		}
		st := len(buf)
		buf = append(buf, words[k].b...)
		toks = append(toks, ispan{st, len(buf)})
		orig = append(orig, ispan{words[k].start, words[k].end})
		k++
	}
	return buf, toks, orig
}
