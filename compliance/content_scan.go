package compliance

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkLinks finds links whose host is in the domain table.
func (p *ContentPolicy) checkLinks(out []Violation, sc *contentScan) []Violation {
	for _, l := range sc.links {
		var larr [64]byte
		lower := appendLower(larr[:0], l.host)
		for {
			if idx, ok := p.domains[string(lower)]; ok {
				r := p.rules[idx]
				out = append(out, Violation{
					Rule: r.ID, Category: r.Category, Severity: r.Severity, Span: Span{l.start, l.end},
					Text: r.Category + ": " + quote(l.host),
				})
				break
			}
			dot := indexByte(lower, '.')
			if dot < 0 {
				break
			}
			lower = lower[dot+1:]
		}
	}
	return out
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

// contentScan is a body as Check reads it once for every rule. The body
// itself is passed beside it: were it a field, the scan's arrays would
// escape to the heap wherever the body does.
type contentScan struct {
	buf   []byte  // the words, lower case (contentTokens)
	ts    []ispan // each word in buf
	os    []ispan // each word in body
	ascii bool    // body is plain ASCII
	links []link  // the links in the body, in order (appendLinks)
}

// link is a link appendLinks finds: its host, the host's byte range in the
// body, and the path after the host.
type link struct {
	host       string
	start, end int
	path       string
}

// appendLinks appends to dst every whitespace-separated chunk of s that
// looks like a link (has a dot in its host part), in order. Only chunks
// with a dot are looked at.
func appendLinks(dst []link, s string) []link {
	for i := 0; i < len(s); {
		k := strings.IndexByte(s[i:], '.')
		if k < 0 {
			break
		}
		start, end := i+k, i+k+1
		for start > i && !isSpaceByte(s[start-1]) {
			start--
		}
		for end < len(s) && !isSpaceByte(s[end]) {
			end++
		}
		if l, ok := linkInChunk(s, start, end); ok {
			dst = append(dst, l)
		}
		i = end
	}
	return dst
}

// linkInChunk returns the link in the chunk s[i:j], if it is one.
func linkInChunk(s string, i, j int) (link, bool) {
	// Drop surrounding punctuation.
	for i < j && strings.IndexByte("([<\"'", s[i]) >= 0 {
		i++
	}
	for j > i && strings.IndexByte(".,;:!?)]>\"'", s[j-1]) >= 0 {
		j--
	}
	chunk := s[i:j]
	if strings.IndexByte(chunk, '.') < 0 {
		return link{}, false // the host, part of chunk, needs a dot
	}
	if k := strings.Index(chunk, "://"); k >= 0 {
		i += k + 3
		chunk = s[i:j]
	}
	end := len(chunk)
	for k := 0; k < len(chunk); k++ {
		if c := chunk[k]; c == '/' || c == '?' || c == '#' {
			end = k
			break
		}
	}
	host := chunk[:end]
	if k := strings.LastIndexByte(host, '@'); k >= 0 { // user@host
		host = host[k+1:]
		i += k + 1
		end -= k + 1
		chunk = s[i:j]
	}
	if k := strings.IndexByte(host, ':'); k >= 0 { // host:port
		host = host[:k]
	}
	dot := strings.IndexByte(host, '.')
	if dot <= 0 || dot == len(host)-1 || !isHostLike(host) {
		return link{}, false
	}
	return link{host: host, start: i, end: i + len(host), path: chunk[end:]}, true
}

// isHostLike accepts letters, digits, dots and hyphens, with a letter in
// the last label, so "3.50" or "a.m." are not links.
func isHostLike(h string) bool {
	last := strings.LastIndexByte(h, '.')
	tldLetter := false
	for k := 0; k < len(h); k++ {
		c := h[k]
		isLetter := ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
		if !isLetter && !('0' <= c && c <= '9') && c != '.' && c != '-' {
			return false
		}
		if k > last && isLetter {
			tldLetter = true
		}
	}
	return tldLetter && len(h)-last-1 >= 2
}

// contentTokens splits s into lower-case words (letters and digits;
// apostrophes join, everything else separates).
func contentTokens(buf []byte, toks []ispan, s string) ([]byte, []ispan) {
	buf, toks, _, _ = scanTokens(buf, toks, nil, s)
	return buf, toks
}

// scanTokens is contentTokens that also records each word's byte range in
// s (unless orig is nil) and reports whether s is plain ASCII.
func scanTokens(buf []byte, toks, orig []ispan, s string) ([]byte, []ispan, []ispan, bool) {
	start, ostart := -1, -1
	oend := 0
	ascii := true
	wantOrig := orig != nil // contentTokens passes nil: no ranges wanted
	flush := func() {
		if start >= 0 {
			toks = append(toks, ispan{start, len(buf)})
			if wantOrig {
				orig = append(orig, ispan{ostart, oend})
			}
		}
		start = -1
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
				fallthrough
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				if start < 0 {
					start, ostart = len(buf), i
				}
				buf = append(buf, c)
				oend = i + 1
			case c == '\'':
			default:
				flush()
			}
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\u2019':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start, ostart = len(buf), i
			}
			if f := foldLatin(r); f != 0 {
				buf = append(buf, f+('a'-'A'))
			} else {
				buf = utf8.AppendRune(buf, unicode.ToLower(r))
			}
			oend = i + size
		default:
			flush()
		}
		i += size
	}
	flush()
	return buf, toks, orig, ascii
}

// ispan is a half-open byte range with int offsets, for bodies of any
// length.
type ispan struct{ start, end int }
