package compliance

import (
	"strconv"
	"strings"
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
