package segment

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// greekFold returns the Latin capital a Greek capital outside GSM-7 looks
// exactly like, or "".
func greekFold(r rune) string {
	switch r {
	case 'Α':
		return "A"
	case 'Β':
		return "B"
	case 'Ε':
		return "E"
	case 'Ζ':
		return "Z"
	case 'Η':
		return "H"
	case 'Ι':
		return "I"
	case 'Κ':
		return "K"
	case 'Μ':
		return "M"
	case 'Ν':
		return "N"
	case 'Ο':
		return "O"
	case 'Ρ':
		return "P"
	case 'Τ':
		return "T"
	case 'Υ':
		return "Y"
	case 'Χ':
		return "X"
	}
	return ""
}

// accentFold returns the GSM-7 letter r is with its accents removed, or "".
// The canonical decomposition of r gives the base letter; a few letters with
// a stroke or without a dot, which do not decompose, are listed. The small ç
// is left to WithCedillaFold.
func accentFold(r rune) string {
	switch r {
	case 'ç':
		return ""
	case 'ı':
		return "i"
	case 'ł':
		return "l"
	case 'Ł':
		return "L"
	case 'đ':
		return "d"
	case 'Đ':
		return "D"
	case 'ħ':
		return "h"
	case 'Ħ':
		return "H"
	}
	if r < 0xC0 || r > 0x24F && (r < 0x1E00 || r > 0x1EFF) { // Latin letters only
		return ""
	}
	var buf [utf8.UTFMax]byte
	d := norm.NFD.PropertiesString(string(buf[:utf8.EncodeRune(buf[:], r)])).Decomposition()
	if len(d) == 0 {
		return ""
	}
	base, n := utf8.DecodeRune(d)
	if n == len(d) {
		return ""
	}
	if c := defaultCode(base); c == none || c == invalidCode || c&extBit != 0 {
		return ""
	}
	return basicString(base)
}

// basicString returns the one-character string of a default-alphabet rune
// from static data, so folding never allocates.
func basicString(r rune) string {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	switch {
	case r >= 'A' && r <= 'Z':
		return letters[r-'A' : r-'A'+1]
	case r >= 'a' && r <= 'z':
		return letters[26+r-'a' : 26+r-'a'+1]
	}
	return string(r)
}

// smartMap returns the GSM-7 twin of a look-alike character, the same
// replacements Twilio's smart encoding makes where the twin is faithful.
func smartMap(r rune) (string, bool) {
	switch r {
	case '\t':
		return " ", true
	case 0x00A0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
		0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F, 0x3000:
		return " ", true // no-break and typographic spaces
	case 0x00AD, 0x200B, 0x2060, 0xFEFF:
		return "", true // soft hyphen, zero-width space, word joiner, BOM
	case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x02BC, 0x02B9, 0x00B4, 0x0060:
		return "'", true
	case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x00AB, 0x00BB:
		return "\"", true
	case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63:
		return "-", true
	case 0x2026:
		return "...", true
	case 0x2024:
		return ".", true
	case 0x2039:
		return "<", true
	case 0x203A:
		return ">", true
	case 0x2044, 0x2215:
		return "/", true
	case 0x02C6:
		return "^", true
	case 0x02DC:
		return "~", true
	case 0x2028, 0x2029:
		return "\n", true
	}
	if r >= 0xFF01 && r <= 0xFF5E && r != 0xFF40 { // full-width ASCII, not `
		a := r - 0xFEE0
		return asciiString(a), true
	}
	return "", false
}

// asciiString returns the one-character string of a printable ASCII rune
// from static data.
func asciiString(r rune) string {
	const printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
	if r < 0x20 || r > 0x7E {
		return string(r)
	}
	return printable[r-0x20 : r-0x20+1]
}
