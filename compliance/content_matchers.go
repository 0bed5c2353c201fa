package compliance

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// builtinMatcher names the matcher of a default rule (ContentRule.builtin).
type builtinMatcher uint8

const (
	_ builtinMatcher = iota
	matchMalware
	matchEvasion
	matchPhishingPrompt
	matchBrandName
	matchOptOut
)

// match runs the matcher on a scanned body.
func (m builtinMatcher) match(sc *contentScan, body string, c ContentContext) []Violation {
	switch m {
	case matchMalware:
		return matchMalwareLinks(sc, body)
	case matchEvasion:
		if sc.ascii {
			return nil // no invisible character, every letter Latin
		}
		return matchFilterEvasion(body)
	case matchPhishingPrompt:
		return matchPhishing(sc, body, c)
	case matchBrandName:
		return matchBrand(body, c)
	case matchOptOut:
		return matchOptOutLanguage(sc, c)
	}
	return nil
}

// matchMalwareLinks flags links to executable or installer files.
func matchMalwareLinks(sc *contentScan, body string) []Violation {
	var out []Violation
	for _, l := range sc.links {
		p := l.path
		if k := strings.IndexAny(p, "?#"); k >= 0 {
			p = p[:k]
		}
		for _, ext := range malwareExtensions {
			if len(p) > len(ext) && strings.EqualFold(p[len(p)-len(ext):], ext) {
				end := l.start + len(l.host) + len(p)
				out = append(out, Violation{Span: Span{l.start, end}, Text: "link to an executable file: " + quote(body[l.start:end])})
				break
			}
		}
	}
	return out
}

// matchFilterEvasion flags invisible characters and words that mix Latin
// letters with look-alike Cyrillic or Greek ones.
func matchFilterEvasion(body string) []Violation {
	var out []Violation
	wordStart, latin, other := -1, false, false
	endWord := func(end int) {
		if wordStart >= 0 && latin && other {
			out = append(out, Violation{Span: Span{wordStart, end}, Text: "word mixes Latin with look-alike letters: " + quote(body[wordStart:end])})
		}
		wordStart, latin, other = -1, false, false
	}
	for i, r := range body {
		if r < utf8.RuneSelf {
			// ASCII: no invisible rune, and a letter is a Latin one.
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
				endWord(i)
				continue
			}
			if wordStart < 0 {
				wordStart = i
			}
			latin = true
			continue
		}
		for _, inv := range invisibleRunes {
			if r == inv && !joinsEmoji(body, i, r) {
				out = append(out, Violation{Span: Span{i, i + utf8.RuneLen(r)}, Text: "invisible character U+" + hex4(r) + " at byte " + strconv.Itoa(i)})
			}
		}
		if !unicode.IsLetter(r) {
			endWord(i)
			continue
		}
		if wordStart < 0 {
			wordStart = i
		}
		switch {
		case r < utf8.RuneSelf || unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r):
			other = true
		}
	}
	endWord(len(body))
	return out
}

// joinsEmoji reports whether the joiner r at byte i sits between two
// non-letters, as in an emoji sequence (👨‍👩‍👧), where it is not evasion.
func joinsEmoji(body string, i int, r rune) bool {
	if r != '\u200d' && r != '\u200c' {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(body[:i])
	after, _ := utf8.DecodeRuneInString(body[i+utf8.RuneLen(r):])
	return !unicode.IsLetter(before) && !unicode.IsLetter(after)
}

// hex4 formats a rune as at least four upper-case hex digits.
func hex4(r rune) string {
	const digits = "0123456789ABCDEF"
	var b [8]byte
	i := len(b)
	for r > 0 || i > len(b)-4 {
		i--
		b[i] = digits[r&0xF]
		r >>= 4
	}
	return string(b[i:])
}

// matchBrand requires the brand name in marketing and first messages.
func matchBrand(body string, c ContentContext) []Violation {
	if !c.needsDisclosure() || c.Brand == "" || containsFold(body, c.Brand) {
		return nil
	}
	return []Violation{{Text: "brand name " + quote(c.Brand) + " missing from a " + disclosureWhy(c)}}
}

// matchOptOutLanguage requires an opt-out instruction ("Reply STOP to opt
// out", "Text STOP to 12345", "STOP to end") in marketing and first
// messages; the keyword alone ("never stop saving") does not count.
func matchOptOutLanguage(sc *contentScan, c ContentContext) []Violation {
	if !c.needsDisclosure() || hasOptOutInstruction(sc.buf, sc.ts) {
		return nil
	}
	return []Violation{{Text: "opt-out instruction (\"Reply STOP to opt out\") missing from a " + disclosureWhy(c)}}
}

// hasOptOutInstruction finds "VERB [with|us] KEYWORD", "KEYWORD to|2
// EFFECT" or a joined "stop2end" in the tokens.
func hasOptOutInstruction(buf []byte, ts []ispan) bool {
	for i := range ts {
		if optOutJoined.at(buf, ts, i) > 0 {
			return true
		}
		// KEYWORD (to|2|para) EFFECT, after a verb or on its own.
		if n := optOutKeywords.at(buf, ts, i); n > 0 {
			if optOutLinks.at(buf, ts, i+n) > 0 && optOutEffects.at(buf, ts, i+n+1) > 0 {
				return true
			}
		}
		// VERB [with|back|the word] KEYWORD
		if optOutVerbs.at(buf, ts, i) == 0 {
			continue
		}
		k := i + 1
		if optOutFillers.at(buf, ts, k) > 0 {
			k++
		}
		if optOutKeywords.at(buf, ts, k) > 0 {
			return true
		}
	}
	return false
}

func disclosureWhy(c ContentContext) string {
	if c.Kind == Marketing {
		return "marketing message"
	}
	return "first message to this number"
}

// containsFold reports whether substr is in s, ignoring case.
func containsFold(s, substr string) bool {
	n := len(substr)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], substr) {
			return true
		}
	}
	return false
}
