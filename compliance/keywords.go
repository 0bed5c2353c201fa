package compliance

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Reply is the meaning of an inbound reply.
type Reply int

const (
	// ReplyOther is any reply that is not a keyword.
	ReplyOther Reply = iota
	// ReplyOptOut revokes consent (STOP and friends, or a sentence asking
	// to stop).
	ReplyOptOut
	// ReplyOptIn grants consent again (START, UNSTOP).
	ReplyOptIn
	// ReplyHelp asks for help (HELP, INFO).
	ReplyHelp
)

// String returns "other", "opt-out", "opt-in" or "help".
func (r Reply) String() string {
	switch r {
	case ReplyOther:
		return "other"
	case ReplyOptOut:
		return "opt-out"
	case ReplyOptIn:
		return "opt-in"
	case ReplyHelp:
		return "help"
	default:
		return "reply(" + strconv.Itoa(int(r)) + ")"
	}
}

// Match is the result of classifying a reply.
type Match struct {
	// Reply is the meaning found.
	Reply Reply
	// Exact is true when the whole reply is a keyword ("Stop!", " opt-out "),
	// false when the meaning was inferred from a sentence ("please stop
	// texting me") or from a keyword opening a longer reply ("STOP PLEASE").
	Exact bool
	// Keyword is the normalised keyword or phrase that matched, "" for
	// ReplyOther.
	Keyword string
}

// ClassifyReply classifies a reply with the default keyword set: case,
// whitespace, accents and punctuation do not matter; a sentence asking to
// stop counts as ReplyOptOut.
func ClassifyReply(text string) Reply {
	return defaultKeywords().Classify(text).Reply
}

// defaultKeywords is built once, on first use, and never modified.
var defaultKeywords = sync.OnceValue(func() *Keywords { return NewKeywords() })

// Keywords is a reply keyword set, typically one per sender. Build it with
// NewKeywords; it is immutable and safe for concurrent use. The zero value
// classifies with the default set.
type Keywords struct {
	exact   map[string]keywordEntry
	prefix  map[string]bool
	phrases map[string][]phrase // by first word
	first   wordFilter          // first words of phrases
	noInfer bool
}

// phrase is an inferred phrase split into words.
type phrase struct {
	words []string
	entry keywordEntry
}

// KeywordOption configures a Keywords set.
type KeywordOption func(*keywordConfig)

type keywordConfig struct {
	add     []keywordEntry
	remove  []string
	phrases []keywordEntry
	noInfer bool
}

// WithKeyword adds exact keywords with the given meaning, for example
// Spanish or per-country words. Words are normalised like replies.
func WithKeyword(r Reply, words ...string) KeywordOption {
	return func(c *keywordConfig) {
		for _, w := range words {
			c.add = append(c.add, keywordEntry{Reply: r, Word: w, Source: "host"})
		}
	}
}

// WithoutKeyword removes exact keywords from the set. The FCC per-se
// revocation words (STOP, QUIT, END, REVOKE, OPT OUT, CANCEL, UNSUBSCRIBE)
// and START and HELP are protected and stay.
func WithoutKeyword(words ...string) KeywordOption {
	return func(c *keywordConfig) { c.remove = append(c.remove, words...) }
}

// WithYesOptIn makes a bare "YES" an opt-in, as Twilio does by default.
func WithYesOptIn() KeywordOption { return WithKeyword(ReplyOptIn, "YES") }

// WithPhrase adds a phrase whose presence anywhere in a reply infers the
// given meaning (Match.Exact false).
func WithPhrase(r Reply, phrases ...string) KeywordOption {
	return func(c *keywordConfig) {
		for _, p := range phrases {
			c.phrases = append(c.phrases, keywordEntry{Reply: r, Word: p, Source: "host"})
		}
	}
}

// WithoutInference turns off sentence and prefix inference: only a reply
// that is exactly a keyword matches, the way most platforms match. This
// is weaker than the FCC "any reasonable means" rule; use with care.
func WithoutInference() KeywordOption {
	return func(c *keywordConfig) { c.noInfer = true }
}

// NewKeywords builds a keyword set from the default tables and the options.
func NewKeywords(opts ...KeywordOption) *Keywords {
	var c keywordConfig
	for _, o := range opts {
		o(&c)
	}
	k := &Keywords{
		exact:   make(map[string]keywordEntry, len(exactKeywords)+len(c.add)),
		prefix:  make(map[string]bool, len(prefixOptOut)),
		phrases: make(map[string][]phrase),
		noInfer: c.noInfer,
	}
	for _, e := range exactKeywords {
		k.exact[e.Word] = e
	}
	for _, e := range c.add {
		w := compactKeyword(e.Word)
		if w == "" {
			continue
		}
		e.Word = w
		k.exact[w] = e
	}
	for _, w := range c.remove {
		w = compactKeyword(w)
		if !isProtected(w) {
			delete(k.exact, w)
		}
	}
	for _, w := range prefixOptOut {
		k.prefix[w] = true
	}
	addPhrase := func(e keywordEntry) {
		words := strings.Fields(normalizeKeyword(e.Word))
		if len(words) == 0 {
			return
		}
		e.Word = strings.Join(words, " ")
		k.first.add(words[0])
		k.phrases[words[0]] = append(k.phrases[words[0]], phrase{words: words[1:], entry: e})
	}
	for _, e := range inferredPhrases {
		addPhrase(e)
	}
	for _, e := range c.phrases {
		addPhrase(e)
	}
	return k
}

func isProtected(w string) bool {
	for _, p := range protectedKeywords {
		if p == w {
			return true
		}
	}
	return false
}

// normalizeKeyword normalises a table word the same way replies are.
func normalizeKeyword(s string) string {
	var toks [maxTokens]span
	buf, n := normalizeReply(nil, toks[:0], s)
	var b strings.Builder
	for i, t := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.Write(buf[t.start:t.end])
	}
	return b.String()
}

// compactKeyword normalises a word and drops the spaces between its parts.
func compactKeyword(s string) string {
	return strings.ReplaceAll(normalizeKeyword(s), " ", "")
}

// maxTokens bounds the words kept on the stack while classifying.
const maxTokens = 32

// span is a half-open byte range of a normalised buffer.
type span struct{ start, end uint16 }

// maxReplyBytes bounds the normalised text kept on the stack; longer
// replies are normalised on the heap.
const maxReplyBytes = 160

// Classify classifies a reply with this keyword set.
func (k *Keywords) Classify(text string) Match {
	if k == nil || k.exact == nil {
		return defaultKeywords().Classify(text)
	}
	var arr [maxReplyBytes]byte
	var toks [maxTokens]span
	buf, words := normalizeReply(arr[:0], toks[:0], text)
	if len(words) == 0 {
		return Match{}
	}
	// Exact: the whole reply, spaces removed, is a keyword. The words
	// are stored back to back, so buf is that compact form.
	if e, ok := k.exact[string(buf)]; ok {
		return Match{Reply: e.Reply, Exact: true, Keyword: e.Word}
	}
	if k.noInfer {
		return Match{}
	}
	if len(words) > 1 {
		first := buf[words[0].start:words[0].end]
		if k.prefix[string(first)] {
			if e, ok := k.exact[string(first)]; ok {
				return Match{Reply: ReplyOptOut, Keyword: e.Word}
			}
			return Match{Reply: ReplyOptOut, Keyword: string(first)}
		}
	}
	for i, t := range words {
		w := buf[t.start:t.end]
		if !k.first.has(w) {
			continue
		}
	next:
		for _, p := range k.phrases[string(w)] {
			if i+len(p.words) >= len(words) {
				continue
			}
			for j, pw := range p.words {
				u := words[i+1+j]
				if string(buf[u.start:u.end]) != pw {
					continue next
				}
			}
			return Match{Reply: p.entry.Reply, Keyword: p.entry.Word}
		}
	}
	return Match{}
}

// wordFilter is a cheap pre-check before a map lookup: one bit per
// (first byte, length) pair of the words in a set.
type wordFilter [32]uint32

func (f *wordFilter) add(w string) {
	if len(w) > 0 {
		f[w[0]&31] |= 1 << min(len(w), 31)
	}
}

func (f *wordFilter) has(w []byte) bool {
	return len(w) > 0 && f[w[0]&31]&(1<<min(len(w), 31)) != 0
}

// normalizeReply appends the words of s to buf back to back, upper-cased
// with accents folded and apostrophes dropped, and returns their spans.
// Any other character that is not a letter or digit separates words.
// Beyond maxTokens words the spans move to the heap; words ending past
// byte 65535 get no span.
func normalizeReply(buf []byte, toks []span, s string) ([]byte, []span) {
	start := -1
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z':
				c -= 'a' - 'A'
				fallthrough
			case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
				if start < 0 {
					start = len(buf)
				}
				buf = append(buf, c)
			case c == '\'':
				// DON'T -> DONT
			default:
				if start >= 0 {
					toks = appendSpan(toks, start, len(buf))
					start = -1
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '\u2019' || r == '\u02bc' { // typographic apostrophes
			continue
		}
		if f := foldLatin(r); f != 0 {
			if start < 0 {
				start = len(buf)
			}
			buf = append(buf, f)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = len(buf)
			}
			buf = utf8.AppendRune(buf, unicode.ToUpper(r))
			continue
		}
		if start >= 0 {
			toks = appendSpan(toks, start, len(buf))
			start = -1
		}
	}
	if start >= 0 {
		toks = appendSpan(toks, start, len(buf))
	}
	return buf, toks
}

func appendSpan(toks []span, start, end int) []span {
	if end > 0xFFFF {
		return toks
	}
	return append(toks, span{uint16(start), uint16(end)})
}

// foldLatin maps accented Latin-1 letters to their upper-case base letter,
// or returns 0.
func foldLatin(r rune) byte {
	if r < 0xC0 || r > 0xFF {
		return 0
	}
	const table = "AAAAAAACEEEEIIII" + // C0-CF
		"DNOOOOO\x00OUUUUY\x00S" + // D0-DF
		"AAAAAAACEEEEIIII" + // E0-EF
		"DNOOOOO\x00OUUUUY\x00Y" // F0-FF
	return table[r-0xC0]
}
