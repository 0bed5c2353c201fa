package segment

import (
	"fmt"
	"unicode/utf8"
)

// Validate reports whether text can be sent at all, whatever its encoding.
// It returns nil or an *Error, matched by errors.Is with ErrInvalidText and
// with one of:
//
//   - ErrInvalidUTF8: a byte that does not start a valid UTF-8 sequence
//     (Offset, Detail names the byte). A UTF-16 surrogate encoded on its own
//     (CESU-8 or WTF-8: ED A0..BF xx), alone or as half of a pair, is
//     reported with the surrogate as Rune; neither GSM-7 nor UCS-2 can carry
//     it.
//   - ErrForbiddenChar: a control character (Rune) carriers refuse: NUL,
//     U+0001 to U+001F except TAB, LF, FF and CR, a raw ESC (U+001B, which
//     is not a character but the GSM-7 escape), DEL (U+007F) and the C1
//     controls U+0080 to U+009F.
//
// LF, CR and FF are kept because the GSM-7 tables have them (FF is the
// extension table's page break); TAB is kept because UCS-2 carries it and
// carriers pass it (WithSmartEncoding turns it into spaces to stay in GSM-7).
// Offset is the byte offset of the first problem. A text longer than
// MaxTextBytes, which cannot fit in MaxParts parts, is refused before its
// characters are looked at, with an *Error wrapping ErrTooManyParts (not
// ErrInvalidText) at offset MaxTextBytes. Validate takes time linear
// in len(text) and does not allocate unless it returns an error. Encode
// refuses exactly the texts Validate refuses.
func Validate(text string) error {
	if len(text) > MaxTextBytes {
		return &Error{Err: ErrTooManyParts, Offset: MaxTextBytes, Part: MaxParts + 1,
			Detail: fmt.Sprintf("the text has %d bytes, more than MaxTextBytes (%d)", len(text), MaxTextBytes)}
	}
	for i := 0; i < len(text); {
		b := text[i]
		if b < utf8.RuneSelf {
			if forbiddenASCII[b] {
				return &Error{Err: ErrForbiddenChar, Offset: i, Rune: rune(b)}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case n == 1:
			return invalidUTF8(text, i)
		case r <= 0x9F: // C1 controls, U+0080 to U+009F
			return &Error{Err: ErrForbiddenChar, Offset: i, Rune: r}
		}
		i += n
	}
	return nil
}

// forbiddenASCII marks the ASCII bytes Validate refuses.
var forbiddenASCII = [utf8.RuneSelf]bool{
	0x00: true, 0x01: true, 0x02: true, 0x03: true, 0x04: true, 0x05: true, 0x06: true, 0x07: true,
	0x08: true /* TAB 0x09, LF 0x0A kept */, 0x0B: true /* FF 0x0C, CR 0x0D kept */, 0x0E: true, 0x0F: true,
	0x10: true, 0x11: true, 0x12: true, 0x13: true, 0x14: true, 0x15: true, 0x16: true, 0x17: true,
	0x18: true, 0x19: true, 0x1A: true, 0x1B: true, 0x1C: true, 0x1D: true, 0x1E: true, 0x1F: true,
	0x7F: true,
}

// invalidUTF8 describes the invalid UTF-8 sequence at text[i].
func invalidUTF8(text string, i int) error {
	// ED A0..BF 80..BF would be U+D800..U+DFFF, which UTF-8 excludes.
	if i+2 < len(text) && text[i] == 0xED && text[i+1]&0xE0 == 0xA0 && text[i+2]&0xC0 == 0x80 {
		r := 0xD000 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
		return &Error{Err: ErrInvalidUTF8, Offset: i, Rune: r, Detail: "UTF-16 surrogate encoded in UTF-8 (CESU-8 or WTF-8)"}
	}
	return &Error{Err: ErrInvalidUTF8, Offset: i, Detail: fmt.Sprintf("byte 0x%02X", text[i])}
}

// CheckParts reports whether the analysed text can be sent in the parts it
// needs: an *Error wrapping ErrTooManyParts (Part is MaxParts+1) when it
// needs more than MaxParts, which the concatenation header cannot number,
// or ErrTooManySegments when it needs more than WithMaxSegments allows;
// nil otherwise. It does not look at the characters: see Validate.
func (a Analysis) CheckParts() error {
	if a.TooManyParts {
		return &Error{Err: ErrTooManyParts, Offset: -1, Part: MaxParts + 1,
			Detail: fmt.Sprintf("the text needs %d parts", a.Segments)}
	}
	if a.OverMax {
		return &Error{Err: ErrTooManySegments, Offset: -1,
			Detail: fmt.Sprintf("the text needs %d parts, at most %d allowed", a.Segments, a.MaxSegments)}
	}
	return nil
}

// Check validates text (Validate), then analyses it (Analyze) and checks
// its part count (Analysis.CheckParts): the one call to make before
// accepting a message for sending. The Analysis is filled in even when the
// error is about the part count; it is the zero Analysis when text is
// refused by Validate.
func Check(text string, opts ...Option) (Analysis, error) {
	if err := Validate(text); err != nil {
		return Analysis{}, err
	}
	a := Analyze(text, opts...)
	return a, a.CheckParts()
}
