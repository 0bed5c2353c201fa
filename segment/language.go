package segment

import "strconv"

// Language identifies a national language shift table of TS 23.038 §6.2.1.2
// by its national language identifier. The zero value, NoLanguage, means the
// default alphabet (for a locking shift) or the default extension table (for a
// single shift).
type Language uint8

const (
	// NoLanguage is the default alphabet and extension table.
	NoLanguage Language = 0
	// Turkish has a locking and a single shift table (identifier 1).
	Turkish Language = 1
	// Spanish has a single shift table only (identifier 2).
	Spanish Language = 2
	// Portuguese has a locking and a single shift table (identifier 3).
	Portuguese Language = 3
)

// String returns the English name of the language, or "none".
func (l Language) String() string {
	switch l {
	case NoLanguage:
		return "none"
	case Turkish:
		return "Turkish"
	case Spanish:
		return "Spanish"
	case Portuguese:
		return "Portuguese"
	}
	return "Language(" + strconv.Itoa(int(l)) + ")"
}

// hasLocking reports whether TS 23.038 defines a locking shift table for l.
func (l Language) hasLocking() bool { return l == Turkish || l == Portuguese }

// hasSingle reports whether TS 23.038 defines a single shift table for l.
func (l Language) hasSingle() bool { return l == Turkish || l == Spanish || l == Portuguese }

// languageFor returns the national language whose shift tables handsets in
// the given ISO 3166-1 alpha-2 region support, or NoLanguage.
func languageFor(region string) Language {
	if len(region) != 2 {
		return NoLanguage
	}
	a, b := region[0]|0x20, region[1]|0x20 // ASCII lower case
	switch {
	case a == 't' && b == 'r':
		return Turkish
	case a == 'e' && b == 's':
		return Spanish
	case a == 'p' && b == 't':
		return Portuguese
	}
	return NoLanguage
}
