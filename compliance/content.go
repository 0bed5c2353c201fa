package compliance

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Severity grades a content finding.
type Severity uint8

const (
	// SeverityInfo is recorded but changes nothing.
	SeverityInfo Severity = iota
	// SeverityWarning is reported on an allowed decision.
	SeverityWarning
	// SeverityBlock denies the send with ErrContentPolicy.
	SeverityBlock
)

// String returns "info", "warning" or "block".
func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarning:
		return "warning"
	case SeverityBlock:
		return "block"
	default:
		return "severity(" + strconv.Itoa(int(s)) + ")"
	}
}

// Span is a half-open byte range [Start, End) of the body.
type Span struct{ Start, End int }

// Violation is one content finding.
type Violation struct {
	// Rule is the rule identifier, such as RuleShortener.
	Rule string
	// Category is the human category, such as "public URL shortener".
	Category string
	// Severity decides what the finding does to a Decision.
	Severity Severity
	// Span locates the offending text in the body; it is empty for a
	// missing disclosure (brand name, opt-out language).
	Span Span
	// Text is a human explanation naming the offending text.
	Text string
}

// ContentContext is what the content checker knows about the message.
type ContentContext struct {
	// Kind of the message; marketing needs brand and opt-out language.
	Kind Kind
	// First is true for the first message to this number from this
	// sender; it needs brand and opt-out language too.
	First bool
	// Brand is the sender's brand name. When empty the brand rule is
	// skipped, since there is nothing to look for.
	Brand string
	// Declared lists the restricted categories the sender declares for
	// this message or campaign, by rule ID (RuleAlcohol) or category
	// ("alcohol"), for example an age-gated alcohol campaign: findings of
	// those rules are only informational.
	Declared []string
	// Strict denies restricted categories in service texts too, instead
	// of warning about them.
	Strict bool
	// SenderDomains are the sender's own link domains ("acme.com"; a
	// subdomain matches too). A credential or payment prompt with a link
	// elsewhere is denied as phishing; with none declared it is a warning.
	SenderDomains []string
}

// declared reports whether the sender declared rule r's category.
func (c ContentContext) declared(r *ContentRule) bool {
	for _, d := range c.Declared {
		if d == r.ID || (r.Category != "" && strings.EqualFold(d, r.Category)) {
			return true
		}
	}
	return false
}

// restrictedSeverity is the severity of a finding of a restricted rule in
// context c, and a note saying why.
func (c ContentContext) restrictedSeverity(r *ContentRule, s Severity) (Severity, string) {
	switch {
	case c.declared(r):
		return SeverityInfo, " (restricted category declared by the sender)"
	case c.Kind == Marketing:
		return s, " (restricted category in marketing; the sender has not declared it)"
	case c.Strict:
		return s, " (restricted category; strict content policy)"
	case s > SeverityWarning:
		return SeverityWarning, " (restricted category in a service text: warning only)"
	}
	return s, ""
}

// needsDisclosure reports whether brand and opt-out language are required.
func (c ContentContext) needsDisclosure() bool { return c.Kind == Marketing || c.First }

// ContentRule is one row of the content policy. A rule matches by Words
// (whole words or word sequences, case insensitive), by Domains (link
// hosts), or by a Match function; any combination may be set.
type ContentRule struct {
	// ID identifies the rule in Violations and in WithWaived.
	ID string
	// Category is the human category.
	Category string
	// Severity of every finding of this rule.
	Severity Severity
	// Words are words or word sequences to find.
	Words []string
	// Domains are link hosts to find (a subdomain matches too).
	Domains []string
	// Match finds violations with custom logic. It must not retain body.
	// Rule, Category and Severity of returned violations are filled from
	// the rule when empty.
	Match func(body string, c ContentContext) []Violation
	// Restricted marks a category that depends on context (SHAFT-C and
	// other age-gated or licensed ones): a finding in a service text is a
	// warning unless ContentContext.Strict, in marketing it has the rule's
	// Severity unless the sender declares the category, when it is
	// informational.
	Restricted bool
	// Except lists phrases, each containing one of Words, in which the
	// word is harmless ("weed control"); "#" stands for a number.
	Except []string
}

// ContentOption configures a ContentPolicy.
type ContentOption func(*contentConfig)

type contentConfig struct {
	rules  []ContentRule
	waived map[string]bool
	noDef  bool
}

// WithContentRule adds a rule, or replaces the default rule of the same ID.
func WithContentRule(r ContentRule) ContentOption {
	return func(c *contentConfig) { c.rules = append(c.rules, r) }
}

// WithWaived turns rules off by ID (for example RuleAlcohol for a
// licensed, age-gated sender).
func WithWaived(ids ...string) ContentOption {
	return func(c *contentConfig) {
		if c.waived == nil {
			c.waived = make(map[string]bool)
		}
		for _, id := range ids {
			c.waived[id] = true
		}
	}
}

// WithoutDefaultContentRules starts from an empty table instead of the
// default one.
func WithoutDefaultContentRules() ContentOption {
	return func(c *contentConfig) { c.noDef = true }
}

// ContentPolicy checks message bodies against a table of rules. Build it
// with NewContentPolicy; it is immutable and safe for concurrent use.
type ContentPolicy struct {
	rules   []ContentRule
	words   map[string][]wordRule // by first word, lower case
	domains map[string]int        // host -> rule index
	except  [][][]string          // by rule index: exception phrases as words
}

// wordRule is one word sequence of a rule.
type wordRule struct {
	rest []string
	rule int
}

// NewContentPolicy builds a content policy from the default table and the
// options.
func NewContentPolicy(opts ...ContentOption) *ContentPolicy {
	var c contentConfig
	for _, o := range opts {
		o(&c)
	}
	var rules []ContentRule
	if !c.noDef {
		rules = append(rules, defaultContentRules...)
	}
	for _, r := range c.rules {
		replaced := false
		for i := range rules {
			if rules[i].ID == r.ID {
				rules[i], replaced = r, true
			}
		}
		if !replaced {
			rules = append(rules, r)
		}
	}
	p := &ContentPolicy{words: make(map[string][]wordRule), domains: make(map[string]int)}
	for _, r := range rules {
		if c.waived[r.ID] {
			continue
		}
		idx := len(p.rules)
		p.rules = append(p.rules, r)
		var ex [][]string
		for _, e := range r.Except {
			var f []string
			for _, part := range strings.Fields(e) {
				if part == "#" {
					f = append(f, "#") // any number
					continue
				}
				f = append(f, contentWords(part)...)
			}
			if len(f) > 0 {
				ex = append(ex, f)
			}
		}
		p.except = append(p.except, ex)
		for _, w := range r.Words {
			f := contentWords(w)
			if len(f) == 0 {
				continue
			}
			p.words[f[0]] = append(p.words[f[0]], wordRule{rest: f[1:], rule: idx})
		}
		for _, d := range r.Domains {
			p.domains[strings.ToLower(d)] = idx
		}
	}
	return p
}

// contentWords splits a table entry into lower-case words.
func contentWords(s string) []string {
	var toks [64]ispan
	buf, ts := contentTokens(nil, toks[:0], s)
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(buf[t.start:t.end])
	}
	return out
}

// Rules returns the IDs of the active rules, in table order.
func (p *ContentPolicy) Rules() []string {
	ids := make([]string, len(p.rules))
	for i, r := range p.rules {
		ids[i] = r.ID
	}
	return ids
}

// Check returns every violation in body: word findings by position, then
// link findings by position, then the findings of Match rules in table
// order; nil when the body is clean.
func (p *ContentPolicy) Check(body string, c ContentContext) []Violation {
	var out []Violation
	if len(p.words) > 0 {
		out = p.checkWords(out, body)
		out = p.checkDisguised(out, body)
	}
	if len(p.domains) > 0 {
		out = p.checkLinks(out, body)
	}
	for _, r := range p.rules {
		if r.Match == nil {
			continue
		}
		for _, v := range r.Match(body, c) {
			if v.Rule == "" {
				v.Rule = r.ID
			}
			if v.Category == "" {
				v.Category = r.Category
			}
			if v.Severity == 0 && r.Severity != 0 {
				v.Severity = r.Severity
			}
			out = append(out, v)
		}
	}
	for i := range out {
		v := &out[i]
		for k := range p.rules {
			if r := &p.rules[k]; r.ID == v.Rule && r.Restricted {
				var note string
				v.Severity, note = c.restrictedSeverity(r, v.Severity)
				v.Text += note
				break
			}
		}
	}
	return out
}

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
func (p *ContentPolicy) checkWords(out []Violation, body string) []Violation {
	var arr [512]byte
	var toks [128]ispan
	var orig [128]ispan
	buf, ts, os := contentTokensWithOrig(arr[:0], toks[:0], orig[:0], body)
	first := len(out)
	for i, t := range ts {
		cands := p.words[string(buf[t.start:t.end])]
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

// checkLinks finds links whose host is in the domain table.
func (p *ContentPolicy) checkLinks(out []Violation, body string) []Violation {
	forEachLink(body, func(host string, hs, he int, _ string) {
		var larr [64]byte
		lower := appendLower(larr[:0], host)
		for {
			if idx, ok := p.domains[string(lower)]; ok {
				r := p.rules[idx]
				out = append(out, Violation{
					Rule: r.ID, Category: r.Category, Severity: r.Severity, Span: Span{hs, he},
					Text: r.Category + ": " + quote(host),
				})
				return
			}
			dot := indexByte(lower, '.')
			if dot < 0 {
				return
			}
			lower = lower[dot+1:]
		}
	})
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

// forEachLink calls fn for every whitespace-separated chunk that looks like
// a link (has a dot in its host part), with the host, its byte range in s,
// and the path after the host.
func forEachLink(s string, fn func(host string, start, end int, path string)) {
	for i := 0; i < len(s); {
		for i < len(s) && isSpaceByte(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isSpaceByte(s[j]) {
			j++
		}
		if j > i {
			linkInChunk(s, i, j, fn)
		}
		i = j
	}
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

func linkInChunk(s string, i, j int, fn func(host string, start, end int, path string)) {
	// Drop surrounding punctuation.
	for i < j && strings.IndexByte("([<\"'", s[i]) >= 0 {
		i++
	}
	for j > i && strings.IndexByte(".,;:!?)]>\"'", s[j-1]) >= 0 {
		j--
	}
	chunk := s[i:j]
	if strings.IndexByte(chunk, '.') < 0 {
		return // the host, part of chunk, needs a dot
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
		return
	}
	fn(host, i, i+len(host), chunk[end:])
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
	buf, toks, _ = contentTokensWithOrig(buf, toks, nil, s)
	return buf, toks
}

// contentTokensWithOrig is contentTokens that also records each word's
// byte range in s.
func contentTokensWithOrig(buf []byte, toks, orig []ispan, s string) ([]byte, []ispan, []ispan) {
	start, ostart := -1, -1
	oend := 0
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
	return buf, toks, orig
}

// ispan is a half-open byte range with int offsets, for bodies of any
// length.
type ispan struct{ start, end int }

// quote puts a short excerpt in quotes for a human message.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return "\"" + s + "\""
}
