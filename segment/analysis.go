package segment

// Single-message capacities and the 255-part ceiling of TS 23.040.
const (
	// MaxParts is the largest number of parts a concatenated message can
	// have: the part counter of the header is one octet.
	MaxParts = 255
	// MaxTextBytes is the longest text, in bytes, Validate accepts. No
	// longer text fits in MaxParts parts: a part carries at most 160
	// characters of at most four bytes each (the densest in practice are
	// the 149 three-byte € of a locking shift table, 447 bytes, and, with
	// WithNFC, 67 Hangul syllables written as three jamo each, 603 bytes).
	// Only WithSmartEncoding, which removes zero-width characters, could
	// bring a longer text under the limit.
	MaxTextBytes = MaxParts * 160 * 4
	// octetsPerSMS is the user data one SMS carries.
	octetsPerSMS = 140
)

// Analysis describes how a text is sent: its encoding, length and parts.
// Analyze returns it; every field is filled in, with -1 offsets meaning
// "none".
type Analysis struct {
	// Encoding is GSM7 when every character is in the GSM-7 tables in use,
	// UCS2 otherwise.
	Encoding Encoding
	// Segments is the number of parts the text is sent in, the number
	// carriers bill. It is 0 for the empty text, although a carrier still
	// sends (and bills) one empty part if asked to send it.
	Segments int
	// Units is the length of the text in septets (GSM-7, an extension
	// character counts 2) or UTF-16 code units (UCS-2, an emoji outside the
	// Basic Multilingual Plane counts 2).
	Units int
	// PerSegment is the capacity of each part for this text: 160 or 153
	// septets, 70 or 67 units, less with the 16-bit reference header or
	// national language shift headers.
	PerSegment int
	// Remaining is the number of units still free in the last part.
	Remaining int
	// FirstUCS2 is the first character that forced UCS-2 and
	// FirstUCS2Offset its byte offset; 0 and -1 when the text is GSM-7.
	// UCS2Chars lists every such character.
	FirstUCS2       rune
	FirstUCS2Offset int
	// LockingShift and SingleShift are the national language shift tables
	// the message uses (NoLanguage for the default tables). They are only
	// set with WithNationalLanguages or WithDestination.
	LockingShift Language
	SingleShift  Language
	// MaxSegments is the limit set by WithMaxSegments (0 for none) and
	// OverMax reports that Segments exceeds it.
	MaxSegments int
	OverMax     bool
	// TooManyParts reports that the text needs more than MaxParts (255)
	// parts, which the concatenation header cannot express; Encode refuses
	// such a text.
	TooManyParts bool
	// InvalidOffset is the byte offset of the first NUL, U+001B or invalid
	// UTF-8 byte, which cannot be sent (Encode refuses the text), or -1.
	// Validate also refuses the other control characters.
	InvalidOffset int
	// Transformed reports that smart encoding, a fold or NFC changed the
	// text; the analysis, Split and Encode then describe the changed text,
	// which Normalize returns.
	Transformed bool
}

// Analyze measures text as it would be sent, without allocating (unless a
// transforming option such as WithSmartEncoding actually changes the text).
// Its Segments always equal len(Split(text, opts...)).
func Analyze(text string, opts ...Option) Analysis {
	cfg := newConfig(opts)
	a, _ := analyzeConfig(text, &cfg)
	return a
}

// analyzeConfig applies the transforming options, then measures. It returns
// the text that is actually sent.
func analyzeConfig(text string, cfg *config) (Analysis, string) {
	transformed := false
	if cfg.transforms() {
		if needsTransform(text, cfg) {
			// needsTransform can be wrong the other way: NFC's check
			// refuses a run of over 30 combining marks that normalize,
			// one segment at a time, leaves as it is.
			sent, _ := normalize(text, cfg, false)
			transformed = sent != text
			text = sent
		}
	}
	a, _ := analyze(text, cfg)
	a.Transformed = transformed
	return a, text
}

// measure is an encoding with its tables: what a unit costs.
type measure struct {
	enc Encoding
	t   tableSet
}

// cost returns the units r costs under m, 0 when it cannot be encoded.
func (m measure) cost(r rune) int {
	if m.enc == UCS2 {
		if r >= 0x10000 {
			return 2
		}
		return 1
	}
	return codeCost(m.t.code(r))
}

// capacity returns the units a part can carry under m.
func (m measure) capacity(multipart, ref16 bool) int {
	udh := 3 * m.t.shifts()
	if multipart {
		udh += 5 // IEI 0x00, length, reference, total, sequence
		if ref16 {
			udh++ // IEI 0x08 carries a 2-octet reference
		}
	}
	if udh > 0 {
		udh++ // the UDHL octet
	}
	if m.enc == UCS2 {
		return (octetsPerSMS - udh) / 2
	}
	// The header occupies whole septets: fill bits pad it to a septet
	// boundary.
	return octetsPerSMS*8/7 - (udh*8+6)/7
}

// layout cuts the whole of text under m and returns the part count, the
// capacity of each part, the units in the last part and the total units.
// It stops early, with st.bad set, at a character m cannot encode.
func layout(text string, m measure, cfg *config, st *cutStats) (parts, per, last, units int) {
	per = m.capacity(true, cfg.ref16)
	for start := 0; start < len(text); {
		end, used := nextCut(text, start, m, per, cfg.codePoints, st)
		if st.bad >= 0 {
			return 0, 0, 0, 0
		}
		parts++
		last = used
		units += used
		start = end
	}
	if single := m.capacity(false, cfg.ref16); units <= single {
		return 1, single, units, units
	}
	return parts, per, last, units
}

// analyze measures text (already transformed) and returns the analysis and
// the measure the parts are cut with.
func analyze(text string, cfg *config) (Analysis, measure) {
	a := Analysis{FirstUCS2Offset: -1, InvalidOffset: -1, MaxSegments: cfg.maxSegments}
	m := measure{enc: GSM7}
	if text == "" {
		a.PerSegment = m.capacity(false, cfg.ref16)
		a.Remaining = a.PerSegment
		return a, m
	}
	st := newCutStats()
	parts, per, last, units := layout(text, m, cfg, &st)
	gsm := st.bad < 0
	if !gsm {
		a.FirstUCS2, a.FirstUCS2Offset = st.badRune, st.bad
		m.enc = UCS2
		st = newCutStats()
		parts, per, last, units = layout(text, m, cfg, &st)
	}
	a.InvalidOffset = st.invalid
	if cfg.langs != 0 && (!gsm || st.hasEsc) {
		var best measure
		best, parts, per, last, units = bestShift(text, cfg, !gsm, m, parts, per, last, units)
		if best.enc == GSM7 {
			a.FirstUCS2, a.FirstUCS2Offset = 0, -1
		}
		m = best
	}
	a.Encoding = m.enc
	a.LockingShift, a.SingleShift = m.t.lock, m.t.single
	a.Units = units
	a.Segments = parts
	a.PerSegment = per
	a.Remaining = per - last
	a.OverMax = cfg.maxSegments > 0 && parts > cfg.maxSegments
	a.TooManyParts = parts > MaxParts
	return a, m
}

// bestShift tries the national language shift tables cfg allows and keeps
// the cheapest: fewest parts, then no shift, a single shift, a locking
// shift, both, and UCS-2 last. For a text that is already GSM-7 only a
// locking shift can help (every single shift table repeats the default
// extension characters), so single-only candidates are skipped.
func bestShift(text string, cfg *config, notGSM bool, m measure, parts, per, last, units int) (measure, int, int, int, int) {
	rank := func(m measure) int {
		switch {
		case m.enc == UCS2:
			return 4
		case m.t.lock != NoLanguage && m.t.single != NoLanguage:
			return 3
		case m.t.lock != NoLanguage:
			return 2
		case m.t.single != NoLanguage:
			return 1
		}
		return 0
	}
	best, bestRank := m, rank(m)
	for l := Turkish; l <= Portuguese; l++ {
		if !cfg.langs.has(l) {
			continue
		}
		var cands [3]tableSet
		n := 0
		if l.hasSingle() && notGSM {
			cands[n] = tableSet{single: l}
			n++
		}
		if l.hasLocking() {
			cands[n] = tableSet{lock: l}
			n++
			if l.hasSingle() {
				cands[n] = tableSet{lock: l, single: l}
				n++
			}
		}
		for _, t := range cands[:n] {
			c := measure{enc: GSM7, t: t}
			st := newCutStats()
			p, pr, ls, u := layout(text, c, cfg, &st)
			if st.bad >= 0 {
				continue
			}
			if r := rank(c); p < parts || (p == parts && r < bestRank) {
				best, bestRank = c, r
				parts, per, last, units = p, pr, ls, u
			}
		}
	}
	return best, parts, per, last, units
}
