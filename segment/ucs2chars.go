package segment

import "unicode/utf8"

// Char is a character of a text with its byte offset.
type Char struct {
	Offset int
	Rune   rune
}

// UCS2Chars lists, in order, every character of text that is outside the
// GSM-7 default alphabet and its extension table and so forces UCS-2, with
// its byte offset. An invalid UTF-8 byte is listed as utf8.RuneError. It
// returns nil for a GSM-7 text.
func UCS2Chars(text string) []Char {
	var out []Char
	for i, r := range text {
		if r < utf8.RuneSelf && asciiCode[r] != none {
			continue
		}
		if !isGSM7(r) && r != 0 && r != escSeptet {
			out = append(out, Char{Offset: i, Rune: r})
		}
	}
	return out
}
