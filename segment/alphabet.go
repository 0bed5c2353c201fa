package segment

import "unicode/utf8"

const (
	// extBit marks a code that is sent behind the escape septet.
	extBit uint8 = 0x80
	// none marks a rune the table cannot encode.
	none uint8 = 0xFF
	// invalidCode marks NUL and U+001B: counted as one septet so Analyze
	// stays meaningful, refused by Encode.
	invalidCode uint8 = 0xFE
	// escSeptet is the escape to the extension or single shift table.
	escSeptet = 0x1B
	// esc fills the escape position in the decoding tables.
	esc rune = -1
)

// defaultCode returns the septet of r in the default alphabet, with extBit
// set for the extension table, or none.
func defaultCode(r rune) uint8 {
	if r < utf8.RuneSelf {
		if r < 0 {
			return none
		}
		return asciiCode[r]
	}
	return basicNonASCII(r)
}

// codeCost is the number of septets a code costs, 0 when it is none.
func codeCost(c uint8) int {
	switch {
	case c == none:
		return 0
	case c == invalidCode:
		return 1
	case c&extBit != 0:
		return 2
	}
	return 1
}

// tableSet is the pair of tables a GSM-7 message uses: the locking shift
// table (NoLanguage is the default alphabet) and the single shift table
// (NoLanguage is the default extension table).
type tableSet struct {
	lock, single Language
}

// shifts is the number of shift information elements the header carries.
func (t tableSet) shifts() int {
	n := 0
	if t.lock != NoLanguage {
		n++
	}
	if t.single != NoLanguage {
		n++
	}
	return n
}

// code returns the septet of r under t (extBit set when it is sent behind an
// escape), or none.
func (t tableSet) code(r rune) uint8 {
	if t == (tableSet{}) {
		return defaultCode(r)
	}
	c := none
	switch t.lock {
	case NoLanguage:
		if d := defaultCode(r); d&extBit == 0 || d == invalidCode {
			c = d
		}
	case Turkish:
		c = turkishLockingCode(r)
	case Portuguese:
		c = portugueseLockingCode(r)
	}
	if c != none {
		return c
	}
	switch t.single {
	case NoLanguage:
		return extCode(r)
	case Turkish:
		return turkishSingleCode(r)
	case Spanish:
		return spanishSingleCode(r)
	case Portuguese:
		return portugueseSingleCode(r)
	}
	return none
}

// lockingTable returns the decoding table of a locking shift language.
func lockingTable(l Language) *[128]rune {
	switch l {
	case Turkish:
		return &turkishLocking
	case Portuguese:
		return &portugueseLocking
	}
	return &basicTable
}

// singleTable returns the decoding table of a single shift language.
func singleTable(l Language) *[128]rune {
	switch l {
	case Turkish:
		return &turkishSingle
	case Spanish:
		return &spanishSingle
	case Portuguese:
		return &portugueseSingle
	}
	return &extTable
}

// isGSM7 reports whether r is in the default alphabet or its extension table.
func isGSM7(r rune) bool {
	c := defaultCode(r)
	return c != none && c != invalidCode
}
