package segment

// Option configures Analyze, Split, Encode and Normalize. Options are small
// values, not closures, so passing them never makes Analyze allocate. The
// zero Option does nothing.
type Option struct {
	kind  optionKind
	n     int
	langs languageSet
}

type optionKind uint8

const (
	optNone optionKind = iota
	optRef16
	optCodePoints
	optSmart
	optCedilla
	optGreek
	optAccents
	optNFC
	optLanguages
	optMaxSegments
)

// languageSet is a bit set of Language values.
type languageSet uint8

func (s languageSet) has(l Language) bool { return s&(1<<l) != 0 }

// With16BitReference makes concatenated messages use the 7-octet header with
// a 16-bit reference number (IEI 0x08), leaving 152 septets or 66 UCS-2 units
// per part instead of 153 or 67.
func With16BitReference() Option { return Option{kind: optRef16} }

// WithCodePointBoundaries lets a split fall between any two code points, the
// minimum TS 23.040 requires and what most SMPP gateways bill. By default a
// split never cuts a grapheme cluster (emoji ZWJ sequences, flags, skin
// tones, combining marks), which matches Twilio's billing and can cost one
// more part. Escapes and surrogate pairs are never split either way.
func WithCodePointBoundaries() Option { return Option{kind: optCodePoints} }

// WithSmartEncoding replaces characters outside GSM-7 that have a faithful
// GSM-7 twin (curly quotes, en and em dashes, the ellipsis, non-breaking and
// other spaces, zero-width characters, full-width ASCII) before measuring, so
// the message stays GSM-7. Normalize reports each replacement.
func WithSmartEncoding() Option { return Option{kind: optSmart} }

// WithCedillaFold replaces the small ç, which is not in the GSM-7 default
// alphabet, with the capital Ç at position 0x09, which handsets display.
func WithCedillaFold() Option { return Option{kind: optCedilla} }

// WithGreekFold replaces Greek capitals that look like Latin capitals and are
// not in GSM-7 (Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ) with those Latin capitals.
func WithGreekFold() Option { return Option{kind: optGreek} }

// WithAccentFold replaces accented Latin letters that are not in GSM-7 (such
// as á, ê, ő, ş) with the letter without its accent. Letters GSM-7 has (é, è,
// ñ, ü, ...) are kept; ç is left to WithCedillaFold.
func WithAccentFold() Option { return Option{kind: optAccents} }

// WithNFC puts the text in Unicode normalization form C first, so that e
// followed by U+0301 becomes the GSM-7 é. Analyze allocates when this option
// changes the text.
func WithNFC() Option { return Option{kind: optNFC} }

// WithNationalLanguages allows the national language shift tables of the
// given languages. Use it only for destinations whose handsets support them;
// WithDestination does that choice for a region. When the text is not plain
// GSM-7 (or uses extension characters) the cheapest choice is taken: fewest
// parts, then a single shift over a locking shift, then no shift; each shift
// costs a 3-octet header element (IEI 0x24 single, 0x25 locking) which is
// counted in the capacity.
func WithNationalLanguages(langs ...Language) Option {
	var s languageSet
	for _, l := range langs {
		if l.hasSingle() || l.hasLocking() {
			s |= 1 << l
		}
	}
	return Option{kind: optLanguages, langs: s}
}

// WithDestination allows the national language shift tables that handsets in
// the given ISO 3166-1 alpha-2 region ("TR", "ES", "PT") support. For any
// other region it does nothing.
func WithDestination(region string) Option {
	l := languageFor(region)
	if l == NoLanguage {
		return Option{}
	}
	return Option{kind: optLanguages, langs: 1 << l}
}

// WithMaxSegments sets the number of parts a message may use. Analyze still
// reports the true count and sets Analysis.OverMax; Encode refuses the text
// with ErrTooManySegments. Zero or less means no limit (beyond 255).
func WithMaxSegments(n int) Option { return Option{kind: optMaxSegments, n: n} }

// config is the merged form of a list of options. It lives on the stack.
type config struct {
	ref16, codePoints              bool
	smart, cedilla, greek, accents bool
	nfc                            bool
	langs                          languageSet
	maxSegments                    int
}

func newConfig(opts []Option) config {
	var c config
	for i := range opts {
		o := &opts[i]
		switch o.kind {
		case optRef16:
			c.ref16 = true
		case optCodePoints:
			c.codePoints = true
		case optSmart:
			c.smart = true
		case optCedilla:
			c.cedilla = true
		case optGreek:
			c.greek = true
		case optAccents:
			c.accents = true
		case optNFC:
			c.nfc = true
		case optLanguages:
			c.langs |= o.langs
		case optMaxSegments:
			c.maxSegments = o.n
		}
	}
	return c
}

// transforms reports whether the configuration may change the text.
func (c *config) transforms() bool {
	return c.smart || c.cedilla || c.greek || c.accents || c.nfc
}
