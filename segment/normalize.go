package segment

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold names the option that made a Replacement.
type Fold uint8

const (
	// FoldSmart is a WithSmartEncoding look-alike replacement.
	FoldSmart Fold = iota + 1
	// FoldCedilla is the WithCedillaFold ç → Ç replacement.
	FoldCedilla
	// FoldGreek is a WithGreekFold Greek → Latin capital replacement.
	FoldGreek
	// FoldAccent is a WithAccentFold accent removal.
	FoldAccent
	// FoldNFC is a WithNFC composition.
	FoldNFC
)

// String returns the option's short name, e.g. "smart encoding".
func (f Fold) String() string {
	switch f {
	case FoldSmart:
		return "smart encoding"
	case FoldCedilla:
		return "cedilla fold"
	case FoldGreek:
		return "Greek fold"
	case FoldAccent:
		return "accent fold"
	case FoldNFC:
		return "NFC"
	}
	return "Fold(" + strconv.Itoa(int(f)) + ")"
}

// Replacement is one change Normalize made.
type Replacement struct {
	// Offset is the byte offset of From in the text given to Normalize.
	Offset int
	// From is the replaced text (one character, or a sequence NFC composed).
	From string
	// To is what replaced it; "" when the character was removed.
	To string
	// Fold is the option that made the change.
	Fold Fold
	// Delta is the change in length in characters (runes), the length
	// effect of the change: +2 for … → "...", -1 for a removed zero-width
	// space, 0 for a one-for-one replacement.
	Delta int
}

// Normalize applies the transforming options (WithSmartEncoding,
// WithCedillaFold, WithGreekFold, WithAccentFold, WithNFC; NFC first) and
// returns the text that would be sent with every change made, in order. A
// character is changed only when it is outside GSM-7 (and outside the
// national tables allowed by WithNationalLanguages or WithDestination) and
// has a faithful GSM-7 twin; anything else is kept. Without transforming
// options the text is returned unchanged.
func Normalize(text string, opts ...Option) (string, []Replacement) {
	cfg := newConfig(opts)
	if !cfg.transforms() || !needsTransform(text, &cfg) {
		return text, nil
	}
	return normalize(text, &cfg, true)
}

// needsTransform reports, without allocating, whether normalize would
// change text.
func needsTransform(text string, cfg *config) bool {
	if cfg.nfc && !norm.NFC.IsNormalString(text) {
		return true
	}
	for _, r := range text {
		if r < utf8.RuneSelf && r != '\t' && r != '`' {
			continue
		}
		if _, _, ok := mapRune(r, cfg); ok {
			return true
		}
	}
	return false
}

// normalize rewrites text under cfg, recording replacements when report is
// set.
func normalize(text string, cfg *config, report bool) (string, []Replacement) {
	var b strings.Builder
	b.Grow(len(text) + 8)
	var reps []Replacement
	for i := 0; i < len(text); {
		n := segLen(text[i:], cfg)
		seg := text[i : i+n]
		if cfg.nfc && !norm.NFC.IsNormalString(seg) {
			composed := norm.NFC.String(seg)
			if report {
				reps = append(reps, Replacement{Offset: i, From: seg, To: composed, Fold: FoldNFC,
					Delta: utf8.RuneCountInString(composed) - utf8.RuneCountInString(seg)})
			}
			seg = composed
		}
		for j := 0; j < len(seg); {
			r, size := utf8.DecodeRuneInString(seg[j:])
			raw := seg[j : j+size]
			j += size
			to, fold, ok := mapRune(r, cfg)
			if !ok || (r == utf8.RuneError && size == 1) {
				b.WriteString(raw) // invalid UTF-8 is kept byte for byte
				continue
			}
			b.WriteString(to)
			if report {
				reps = append(reps, Replacement{Offset: i, From: string(r), To: to, Fold: fold,
					Delta: utf8.RuneCountInString(to) - 1})
			}
		}
		i += n
	}
	return b.String(), reps
}

// segLen is the input length normalize consumes in one step: one NFC
// segment with WithNFC, one character otherwise.
func segLen(s string, cfg *config) int {
	if cfg.nfc {
		if n := norm.NFC.NextBoundaryInString(s, true); n > 0 {
			return n
		}
		return len(s)
	}
	_, n := utf8.DecodeRuneInString(s)
	return n
}

// mapRune returns the replacement of r under cfg and the fold that made it.
// Only runes outside the GSM-7 tables in use are replaced.
func mapRune(r rune, cfg *config) (string, Fold, bool) {
	if isGSM7(r) || inNational(r, cfg.langs) {
		return "", 0, false
	}
	if cfg.cedilla && r == 'ç' {
		return "Ç", FoldCedilla, true
	}
	if cfg.greek {
		if s := greekFold(r); s != "" {
			return s, FoldGreek, true
		}
	}
	if cfg.accents {
		if s := accentFold(r); s != "" {
			return s, FoldAccent, true
		}
	}
	if cfg.smart {
		if s, ok := smartMap(r); ok {
			return s, FoldSmart, true
		}
	}
	return "", 0, false
}

// inNational reports whether an allowed national table encodes r.
func inNational(r rune, langs languageSet) bool {
	if langs == 0 {
		return false
	}
	for l := Turkish; l <= Portuguese; l++ {
		if !langs.has(l) {
			continue
		}
		t := tableSet{single: l}
		if l.hasLocking() {
			t.lock = l
		}
		if t.code(r) != none || (tableSet{single: l}).code(r) != none {
			return true
		}
	}
	return false
}
