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

	// builtin is the matcher of a default rule (content_matchers.go): it
	// reads the body as Check scanned it once for every rule.
	builtin builtinMatcher
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
	// firsts has bit min(n, 63) of entry b set when a key of words of n
	// bytes starts with byte b: a token that misses it is not looked up.
	firsts [256]uint64
	// matchers are the indexes of the rules with a Match function or a
	// builtin matcher, in table order.
	matchers []int
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
		if r.builtin != 0 || r.Match != nil {
			p.matchers = append(p.matchers, idx)
		}
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
			p.firsts[f[0][0]] |= lengthBit(len(f[0]))
		}
		for _, d := range r.Domains {
			p.domains[strings.ToLower(d)] = idx
		}
	}
	return p
}

// lengthBit is the bit of a word length in ContentPolicy.firsts.
func lengthBit(n int) uint64 { return 1 << min(n, 63) }

// mayStart reports whether a key of words can be the token w.
func (p *ContentPolicy) mayStart(w []byte) bool {
	return len(w) > 0 && p.firsts[w[0]]&lengthBit(len(w)) != 0
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
//
// The body is read once into words and links (contentScan), which every
// rule then looks at; the default rules allocate nothing unless they find
// something.
func (p *ContentPolicy) Check(body string, c ContentContext) []Violation {
	// Room for the words and links of a long SMS on the stack.
	var arr [320]byte
	var toks, orig [64]ispan
	var links [4]link
	var scan contentScan
	scan.buf, scan.ts, scan.os, scan.ascii = scanTokens(arr[:0], toks[:0], orig[:0], body)
	scan.links = appendLinks(links[:0], body)
	sc := &scan
	var out []Violation
	if len(p.words) > 0 {
		out = p.checkWords(out, sc, body)
		out = p.checkDisguised(out, body)
	}
	if len(p.domains) > 0 {
		out = p.checkLinks(out, sc)
	}
	for _, ri := range p.matchers {
		r := &p.rules[ri]
		var found []Violation
		if r.builtin != 0 {
			found = r.builtin.match(sc, body, c)
		} else {
			found = r.Match(body, c)
		}
		for _, v := range found {
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
