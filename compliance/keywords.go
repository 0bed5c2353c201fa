package compliance

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
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
// whitespace, accents, compatibility forms (full-width letters) and
// punctuation do not matter; a per-se revocation word used about the
// messages anywhere in a short reply, or a sentence asking to stop,
// counts as ReplyOptOut, and so does an ambiguous one (see Interpret).
func ClassifyReply(text string) Reply {
	return defaultKeywords().Interpret(text).Reply
}

// Classify classifies a reply with the default keyword set and says
// whether the reading is uncertain; see Keywords.Interpret.
func Classify(text string) Classification {
	return defaultKeywords().Interpret(text)
}

// Classification is a Match and whether it is uncertain.
type Classification struct {
	Match
	// Ambiguous is set when the reply may or may not ask to stop the
	// messages ("I want to cancel", "stop the madness", "not
	// interested"). Reply is then ReplyOptOut: Herald errs toward not
	// sending. The sender may send one clarifying text
	// (DefaultClarifyingText) and record a new opt-in if the person
	// answers that they want the messages (START).
	Ambiguous bool
}

// DefaultClarifyingText is the one clarifying text a sender may send after
// an ambiguous reply (Classification.Ambiguous). It sells nothing, says
// the messages are stopped, and tells the person how to keep them; with
// no answer the opt-out stands. Prefix the brand name ("Acme: ...").
const DefaultClarifyingText = "We read your reply as a request to stop our texts, so we have stopped them. " +
	"If you meant something else and want to keep getting them, reply START."

// defaultKeywords is built once, on first use, and never modified.
var defaultKeywords = sync.OnceValue(func() *Keywords { return NewKeywords() })

// Keywords is a reply keyword set, typically one per sender. Build it with
// NewKeywords; it is immutable and safe for concurrent use. The zero value
// classifies with the default set.
type Keywords struct {
	exact   map[string]keywordEntry
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

// span is a half-open byte range of a normalised buffer; brk is set when
// a sentence break precedes the word.
type span struct {
	start, end uint16
	brk        bool
}

// maxReplyBytes bounds the normalised text kept on the stack; longer
// replies are normalised on the heap.
const maxReplyBytes = 160

// Classify classifies a reply with this keyword set.
func (k *Keywords) Classify(text string) Match { return k.Interpret(text).Match }

// Interpret classifies a reply with this keyword set and says whether the
// reading is uncertain. The order of the rules:
//
//  1. the whole reply is a keyword (Exact);
//  2. unless WithoutInference: a reply opening with a per-se revocation
//     word used as a request ("STOP please", "Cancel these texts");
//  3. a phrase of the table anywhere ("stop texting", "wrong number",
//     "no más"), unless negated ("don't stop texting me");
//  4. in a short reply, a per-se word (STOP, QUIT, END, REVOKE, OPT OUT,
//     CANCEL, UNSUBSCRIBE and the Spanish BAJA, PARAR, ALTO) anywhere,
//     used about the messages: not negated ("don't stop the deliveries"),
//     not a noun ("the bus stop", "the end"), not followed by a
//     complement or object that is not the messages ("stop by at 5",
//     "cancel my appointment", "end of the month");
//  5. sentences without a per-se word: "I don't want these texts", "I
//     withdraw my consent", "remove my number", "no more messages", "no
//     quiero recibir mensajes", "no me envíen", "not interested".
//
// A per-se word with an object the tables do not know ("stop the
// madness"), a weak per-se word with other words around it ("I want to
// cancel", which may be about an appointment), "not interested" and "I
// never signed up" are opt-outs with Ambiguous set: Herald errs toward
// not sending, and the sender may send one clarifying text
// (DefaultClarifyingText) asking whether the person meant to stop.
func (k *Keywords) Interpret(text string) Classification {
	if k == nil || k.exact == nil {
		return defaultKeywords().Interpret(text)
	}
	var arr [maxReplyBytes]byte
	var toks [maxTokens]span
	buf, words := normalizeReply(arr[:0], toks[:0], text)
	if len(words) == 0 {
		return Classification{}
	}
	// Exact: the whole reply, spaces removed, is a keyword. The words
	// are stored back to back, so buf is that compact form.
	if e, ok := k.exact[string(buf)]; ok {
		return Classification{Match: Match{Reply: e.Reply, Exact: true, Keyword: e.Word}}
	}
	if k.noInfer {
		return Classification{}
	}
	var carr [maxTokens]uint32
	t := replyTokens{buf: buf, words: words, class: carr[:0]}
	for i := range words {
		t.class = append(t.class, replyWords[t.word(i)])
	}
	found := func(in intent) Classification {
		return Classification{Match: Match{Reply: in.reply, Keyword: in.keyword}, Ambiguous: in.ambiguous}
	}
	short := len(words) <= maxInferTokens
	if s, w := t.perSe(0); s > 0 && short {
		if in, ok := t.perSeRequest(0, s, w); ok && !in.ambiguous {
			return found(in)
		}
	}
	for i := range words {
		w := buf[words[i].start:words[i].end]
		if !k.first.has(w) || t.negated(i) {
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
			return Classification{Match: Match{Reply: p.entry.Reply, Keyword: p.entry.Word}}
		}
	}
	if in, ok := t.sentenceIntent(); ok {
		return found(in)
	}
	if !short {
		return Classification{}
	}
	var doubt intent
	for i := range words {
		if s, w := t.perSe(i); s > 0 {
			if in, ok := t.perSeRequest(i, s, w); ok {
				if !in.ambiguous {
					return found(in)
				}
				if doubt.reply == ReplyOther {
					doubt = in
				}
			}
		}
	}
	if doubt.reply != ReplyOther {
		return found(doubt)
	}
	return Classification{}
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
// with accents and other marks dropped and apostrophes dropped, and
// returns their spans. Compatibility forms count as their plain letters
// (full-width "ＳＴＯＰ", circled or mathematical letters, ligatures: NFKD,
// then marks stripped). Invisible format characters (zero-width space,
// soft hyphen) are dropped, so they do not split a word. Any other
// character that is not a letter or digit separates words; a span records
// whether a sentence break (. ! ? , ; : or a line break) came before it.
// Beyond maxTokens words the spans move to the heap; words ending past
// byte 65535 get no span.
func normalizeReply(buf []byte, toks []span, s string) ([]byte, []span) {
	start := -1 // start of the current word in buf, -1 between words
	brk := true // a sentence break came since the last word
	var runes [8]rune
	for i := 0; i < len(s); {
		// The runes this input character stands for: itself, or its
		// compatibility decomposition.
		rs := runes[:1]
		if c := s[i]; c < utf8.RuneSelf {
			// ASCII fast path.
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
			default:
				if start >= 0 {
					toks = appendSpan(toks, start, len(buf), brk)
					start, brk = -1, false
				}
				if isSentenceBreak(rune(c)) {
					brk = true
				}
			}
			continue
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			runes[0] = r
			if r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 {
				runes[0] = fullWidthASCII(r) // the common case, without NFKD
			} else if foldLatin(r) == 0 && !norm.NFKD.IsNormalString(s[i:i+size]) {
				rs = decompose(runes[:0], s[i:i+size])
			}
			i += size
		}
		for _, r := range rs {
			var up byte
			switch {
			case 'a' <= r && r <= 'z':
				up = byte(r) - ('a' - 'A')
			case 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
				up = byte(r)
			case r == '\'' || r == '\u2019' || r == '\u02bc':
				continue // DON'T -> DONT
			case r < utf8.RuneSelf:
				// Punctuation, space, control: ends a word.
			case r == utf8.RuneError:
			default:
				if f := foldLatin(r); f != 0 {
					up = f
				} else if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
					continue // a stray mark or an invisible character: part of the word
				} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
					if start < 0 {
						start = len(buf)
					}
					// Upper case of the lower case, so that input already
					// upper- or lower-cased normalises the same way.
					buf = utf8.AppendRune(buf, unicode.ToUpper(unicode.ToLower(r)))
					continue
				}
			}
			if up != 0 {
				if start < 0 {
					start = len(buf)
				}
				buf = append(buf, up)
				continue
			}
			if start >= 0 {
				toks = appendSpan(toks, start, len(buf), brk)
				start, brk = -1, false
			}
			if isSentenceBreak(r) {
				brk = true
			}
		}
	}
	if start >= 0 {
		toks = appendSpan(toks, start, len(buf), brk)
	}
	return buf, toks
}

// fullWidthASCII maps a full-width ASCII form (U+FF01–U+FF5E) or the
// ideographic space to its ASCII character, as NFKD does.
func fullWidthASCII(r rune) rune {
	if r == 0x3000 {
		return ' '
	}
	return r - 0xFEE0
}

// decompose appends the runes of the compatibility decomposition (NFKD)
// of the character enc to dst, up to dst's capacity.
func decompose(dst []rune, enc string) []rune {
	if r, _ := utf8.DecodeRuneInString(enc); r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 {
		return append(dst, fullWidthASCII(r))
	}
	var it norm.Iter
	it.InitString(norm.NFKD, enc)
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 && len(dst) < cap(dst) {
			r, size := utf8.DecodeRune(seg)
			dst = append(dst, r)
			seg = seg[size:]
		}
	}
	return dst
}

// isSentenceBreak reports whether r ends a sentence or clause.
func isSentenceBreak(r rune) bool {
	switch r {
	case '.', '!', '?', ',', ';', ':', '\n', '\r', '\u00a1', '\u00bf', '\u2026', '\u3002', '\u2028', '\u2029':
		return true
	}
	return false
}

func appendSpan(toks []span, start, end int, brk bool) []span {
	if end > 0xFFFF {
		return toks
	}
	return append(toks, span{uint16(start), uint16(end), brk})
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
