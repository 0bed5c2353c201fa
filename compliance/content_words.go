package compliance

// matchesAt reports whether the words of w follow token i of ts (in buf)
// and no exception phrase of its rule covers them.
func (p *ContentPolicy) matchesAt(buf []byte, ts []ispan, i int, w wordRule) bool {
	if i+len(w.rest) >= len(ts) {
		return false
	}
	for j, rw := range w.rest {
		u := ts[i+1+j]
		if string(buf[u.start:u.end]) != rw {
			return false
		}
	}
	return !p.excepted(buf, ts, i, len(w.rest)+1, w.rule)
}

// checkWords finds word-sequence matches.
func (p *ContentPolicy) checkWords(out []Violation, sc *contentScan, body string) []Violation {
	buf, ts, os := sc.buf, sc.ts, sc.os
	first := len(out)
	for i, t := range ts {
		w := buf[t.start:t.end]
		if !p.mayStart(w) {
			continue
		}
		cands := p.words[string(w)]
		for _, w := range cands {
			if !p.matchesAt(buf, ts, i, w) {
				continue
			}
			r := p.rules[w.rule]
			sp := Span{os[i].start, os[i+len(w.rest)].end}
			// One finding per place and rule: "wine club" over "wine".
			if n := len(out); n > first && out[n-1].Rule == r.ID && out[n-1].Span.End > sp.Start {
				if sp.End-sp.Start <= out[n-1].Span.End-out[n-1].Span.Start {
					continue
				}
				out = out[:n-1]
			}
			out = append(out, Violation{
				Rule: r.ID, Category: r.Category, Severity: r.Severity, Span: sp,
				Text: r.Category + ": " + quote(body[sp.Start:sp.End]),
			})
		}
	}
	return out
}

// excepted reports whether the n words at token i are inside one of rule
// ri's exception phrases.
func (p *ContentPolicy) excepted(buf []byte, ts []ispan, i, n, ri int) bool {
	word := func(k int) string { return string(buf[ts[k].start:ts[k].end]) }
	for _, ex := range p.except[ri] {
		// Try every alignment of the exception over the match.
		for off := 0; off+n <= len(ex); off++ {
			start := i - off
			if start < 0 || start+len(ex) > len(ts) {
				continue
			}
			ok := true
			for j, ew := range ex {
				w := word(start + j)
				if ew == "#" {
					if !isDigits(w) {
						ok = false
						break
					}
				} else if w != ew {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
	}
	return false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
