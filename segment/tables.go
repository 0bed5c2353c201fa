// Code generated from 3GPP TS 23.038 tables; DO NOT EDIT by hand without
// re-checking against the specification.

package segment

// basicTable is the GSM 7-bit default alphabet (TS 23.038 §6.2.1), indexed by
// septet. Position 0x09 is the capital Ç as in 3GPP.
var basicTable = [128]rune{
	'@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', // 0x00
	'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å', // 0x08
	'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', // 0x10
	'Σ', 'Θ', 'Ξ', esc, 'Æ', 'æ', 'ß', 'É', // 0x18
	' ', '!', '"', '#', '¤', '%', '&', '\'', // 0x20
	'(', ')', '*', '+', ',', '-', '.', '/', // 0x28
	'0', '1', '2', '3', '4', '5', '6', '7', // 0x30
	'8', '9', ':', ';', '<', '=', '>', '?', // 0x38
	'¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', // 0x40
	'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', // 0x48
	'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', // 0x50
	'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§', // 0x58
	'¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', // 0x60
	'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', // 0x68
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', // 0x70
	'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à', // 0x78
}

// extTable is the default alphabet extension table (TS 23.038 §6.2.1.1),
// reached through the escape septet 0x1B; 0 marks an unused position.
var extTable = [128]rune{
	0, 0, 0, 0, 0, 0, 0, 0, // 0x00
	0, 0, '\f', 0, 0, 0, 0, 0, // 0x08
	0, 0, 0, 0, '^', 0, 0, 0, // 0x10
	0, 0, 0, 0, 0, 0, 0, 0, // 0x18
	0, 0, 0, 0, 0, 0, 0, 0, // 0x20
	'{', '}', 0, 0, 0, 0, 0, '\\', // 0x28
	0, 0, 0, 0, 0, 0, 0, 0, // 0x30
	0, 0, 0, 0, '[', '~', ']', 0, // 0x38
	'|', 0, 0, 0, 0, 0, 0, 0, // 0x40
	0, 0, 0, 0, 0, 0, 0, 0, // 0x48
	0, 0, 0, 0, 0, 0, 0, 0, // 0x50
	0, 0, 0, 0, 0, 0, 0, 0, // 0x58
	0, 0, 0, 0, 0, '€', 0, 0, // 0x60
	0, 0, 0, 0, 0, 0, 0, 0, // 0x68
	0, 0, 0, 0, 0, 0, 0, 0, // 0x70
	0, 0, 0, 0, 0, 0, 0, 0, // 0x78
}

// turkishLocking is the Turkish national language locking shift table
// (TS 23.038 A.3.1).
var turkishLocking = [128]rune{
	'@', '£', '$', '¥', '€', 'é', 'ù', 'ı', // 0x00
	'ò', 'Ç', '\n', 'Ğ', 'ğ', '\r', 'Å', 'å', // 0x08
	'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', // 0x10
	'Σ', 'Θ', 'Ξ', esc, 'Ş', 'ş', 'ß', 'É', // 0x18
	' ', '!', '"', '#', '¤', '%', '&', '\'', // 0x20
	'(', ')', '*', '+', ',', '-', '.', '/', // 0x28
	'0', '1', '2', '3', '4', '5', '6', '7', // 0x30
	'8', '9', ':', ';', '<', '=', '>', '?', // 0x38
	'İ', 'A', 'B', 'C', 'D', 'E', 'F', 'G', // 0x40
	'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', // 0x48
	'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', // 0x50
	'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§', // 0x58
	'ç', 'a', 'b', 'c', 'd', 'e', 'f', 'g', // 0x60
	'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', // 0x68
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', // 0x70
	'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à', // 0x78
}

// portugueseLocking is the Portuguese national language locking shift table
// (TS 23.038 A.3.3).
var portugueseLocking = [128]rune{
	'@', '£', '$', '¥', 'ê', 'é', 'ú', 'í', // 0x00
	'ó', 'ç', '\n', 'Ô', 'ô', '\r', 'Á', 'á', // 0x08
	'Δ', '_', 'ª', 'Ç', 'À', '∞', '^', '\\', // 0x10
	'€', 'Ó', '|', esc, 'Â', 'â', 'Ê', 'É', // 0x18
	' ', '!', '"', '#', 'º', '%', '&', '\'', // 0x20
	'(', ')', '*', '+', ',', '-', '.', '/', // 0x28
	'0', '1', '2', '3', '4', '5', '6', '7', // 0x30
	'8', '9', ':', ';', '<', '=', '>', '?', // 0x38
	'Í', 'A', 'B', 'C', 'D', 'E', 'F', 'G', // 0x40
	'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', // 0x48
	'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', // 0x50
	'X', 'Y', 'Z', 'Ã', 'Õ', 'Ú', 'Ü', '§', // 0x58
	'~', 'a', 'b', 'c', 'd', 'e', 'f', 'g', // 0x60
	'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', // 0x68
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', // 0x70
	'x', 'y', 'z', 'ã', 'õ', '`', 'ü', 'à', // 0x78
}

// turkishSingle is the Turkish national language single shift table
// (TS 23.038 A.2.1); 0 marks an unused position.
var turkishSingle = [128]rune{
	0, 0, 0, 0, 0, 0, 0, 0, // 0x00
	0, 0, '\f', 0, 0, 0, 0, 0, // 0x08
	0, 0, 0, 0, '^', 0, 0, 0, // 0x10
	0, 0, 0, 0, 0, 0, 0, 0, // 0x18
	0, 0, 0, 0, 0, 0, 0, 0, // 0x20
	'{', '}', 0, 0, 0, 0, 0, '\\', // 0x28
	0, 0, 0, 0, 0, 0, 0, 0, // 0x30
	0, 0, 0, 0, '[', '~', ']', 0, // 0x38
	'|', 0, 0, 0, 0, 0, 0, 'Ğ', // 0x40
	0, 'İ', 0, 0, 0, 0, 0, 0, // 0x48
	0, 0, 0, 'Ş', 0, 0, 0, 0, // 0x50
	0, 0, 0, 0, 0, 0, 0, 0, // 0x58
	0, 0, 0, 'ç', 0, '€', 0, 'ğ', // 0x60
	0, 'ı', 0, 0, 0, 0, 0, 0, // 0x68
	0, 0, 0, 'ş', 0, 0, 0, 0, // 0x70
	0, 0, 0, 0, 0, 0, 0, 0, // 0x78
}

// spanishSingle is the Spanish national language single shift table
// (TS 23.038 A.2.2); 0 marks an unused position.
var spanishSingle = [128]rune{
	0, 0, 0, 0, 0, 0, 0, 0, // 0x00
	0, 'ç', '\f', 0, 0, 0, 0, 0, // 0x08
	0, 0, 0, 0, '^', 0, 0, 0, // 0x10
	0, 0, 0, 0, 0, 0, 0, 0, // 0x18
	0, 0, 0, 0, 0, 0, 0, 0, // 0x20
	'{', '}', 0, 0, 0, 0, 0, '\\', // 0x28
	0, 0, 0, 0, 0, 0, 0, 0, // 0x30
	0, 0, 0, 0, '[', '~', ']', 0, // 0x38
	'|', 'Á', 0, 0, 0, 0, 0, 0, // 0x40
	0, 'Í', 0, 0, 0, 0, 0, 'Ó', // 0x48
	0, 0, 0, 0, 0, 'Ú', 0, 0, // 0x50
	0, 0, 0, 0, 0, 0, 0, 0, // 0x58
	0, 'á', 0, 0, 0, '€', 0, 0, // 0x60
	0, 'í', 0, 0, 0, 0, 0, 'ó', // 0x68
	0, 0, 0, 0, 0, 'ú', 0, 0, // 0x70
	0, 0, 0, 0, 0, 0, 0, 0, // 0x78
}

// portugueseSingle is the Portuguese national language single shift table
// (TS 23.038 A.2.3); 0 marks an unused position.
var portugueseSingle = [128]rune{
	0, 0, 0, 0, 0, 'ê', 0, 0, // 0x00
	0, 'ç', '\f', 'Ô', 'ô', 0, 'Á', 'á', // 0x08
	0, 0, 'Φ', 'Γ', '^', 'Ω', 'Π', 'Ψ', // 0x10
	'Σ', 'Θ', 0, 0, 0, 0, 0, 'Ê', // 0x18
	0, 0, 0, 0, 0, 0, 0, 0, // 0x20
	'{', '}', 0, 0, 0, 0, 0, '\\', // 0x28
	0, 0, 0, 0, 0, 0, 0, 0, // 0x30
	0, 0, 0, 0, '[', '~', ']', 0, // 0x38
	'|', 'À', 0, 0, 0, 0, 0, 0, // 0x40
	0, 'Í', 0, 0, 0, 0, 0, 'Ó', // 0x48
	0, 0, 0, 0, 0, 'Ú', 0, 0, // 0x50
	0, 0, 0, 'Ã', 'Õ', 0, 0, 0, // 0x58
	0, 'Â', 0, 0, 0, '€', 0, 0, // 0x60
	0, 'í', 0, 0, 0, 0, 0, 'ó', // 0x68
	0, 0, 0, 0, 0, 'ú', 0, 0, // 0x70
	0, 0, 0, 'ã', 'õ', 0, 0, 'â', // 0x78
}

// asciiCode maps an ASCII rune to its default-alphabet septet; extension
// characters carry the extBit and none marks runes outside GSM-7.
var asciiCode = [128]uint8{
	invalidCode, none, none, none, none, none, none, none, // 0x00
	none, none, 0x0A, none, 0x8A, 0x0D, none, none, // 0x08
	none, none, none, none, none, none, none, none, // 0x10
	none, none, none, invalidCode, none, none, none, none, // 0x18
	0x20, 0x21, 0x22, 0x23, 0x02, 0x25, 0x26, 0x27, // 0x20
	0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, // 0x28
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, // 0x30
	0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, // 0x38
	0x00, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, // 0x40
	0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F, // 0x48
	0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, // 0x50
	0x58, 0x59, 0x5A, 0xBC, 0xAF, 0xBE, 0x94, 0x11, // 0x58
	none, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, // 0x60
	0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, // 0x68
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, // 0x70
	0x78, 0x79, 0x7A, 0xA8, 0xC0, 0xA9, 0xBD, none, // 0x78
}

// basicNonASCII returns the default-alphabet septet (extBit set for the
// extension table) of a non-ASCII rune, or none.
func basicNonASCII(r rune) uint8 {
	switch r {
	case '¡':
		return 0x40
	case '£':
		return 0x01
	case '¤':
		return 0x24
	case '¥':
		return 0x03
	case '§':
		return 0x5F
	case '¿':
		return 0x60
	case 'Ä':
		return 0x5B
	case 'Å':
		return 0x0E
	case 'Æ':
		return 0x1C
	case 'Ç':
		return 0x09
	case 'É':
		return 0x1F
	case 'Ñ':
		return 0x5D
	case 'Ö':
		return 0x5C
	case 'Ø':
		return 0x0B
	case 'Ü':
		return 0x5E
	case 'ß':
		return 0x1E
	case 'à':
		return 0x7F
	case 'ä':
		return 0x7B
	case 'å':
		return 0x0F
	case 'æ':
		return 0x1D
	case 'è':
		return 0x04
	case 'é':
		return 0x05
	case 'ì':
		return 0x07
	case 'ñ':
		return 0x7D
	case 'ò':
		return 0x08
	case 'ö':
		return 0x7C
	case 'ø':
		return 0x0C
	case 'ù':
		return 0x06
	case 'ü':
		return 0x7E
	case 'Γ':
		return 0x13
	case 'Δ':
		return 0x10
	case 'Θ':
		return 0x19
	case 'Λ':
		return 0x14
	case 'Ξ':
		return 0x1A
	case 'Π':
		return 0x16
	case 'Σ':
		return 0x18
	case 'Φ':
		return 0x12
	case 'Ψ':
		return 0x17
	case 'Ω':
		return 0x15
	case '€':
		return extBit | 0x65
	}
	return none
}

// turkishLockingCode returns the Turkish locking shift septet of r, or none.
func turkishLockingCode(r rune) uint8 {
	switch r {
	case '\n':
		return 0x0A
	case '\r':
		return 0x0D
	case ' ':
		return 0x20
	case '!':
		return 0x21
	case '"':
		return 0x22
	case '#':
		return 0x23
	case '$':
		return 0x02
	case '%':
		return 0x25
	case '&':
		return 0x26
	case '\'':
		return 0x27
	case '(':
		return 0x28
	case ')':
		return 0x29
	case '*':
		return 0x2A
	case '+':
		return 0x2B
	case ',':
		return 0x2C
	case '-':
		return 0x2D
	case '.':
		return 0x2E
	case '/':
		return 0x2F
	case '0':
		return 0x30
	case '1':
		return 0x31
	case '2':
		return 0x32
	case '3':
		return 0x33
	case '4':
		return 0x34
	case '5':
		return 0x35
	case '6':
		return 0x36
	case '7':
		return 0x37
	case '8':
		return 0x38
	case '9':
		return 0x39
	case ':':
		return 0x3A
	case ';':
		return 0x3B
	case '<':
		return 0x3C
	case '=':
		return 0x3D
	case '>':
		return 0x3E
	case '?':
		return 0x3F
	case '@':
		return 0x00
	case 'A':
		return 0x41
	case 'B':
		return 0x42
	case 'C':
		return 0x43
	case 'D':
		return 0x44
	case 'E':
		return 0x45
	case 'F':
		return 0x46
	case 'G':
		return 0x47
	case 'H':
		return 0x48
	case 'I':
		return 0x49
	case 'J':
		return 0x4A
	case 'K':
		return 0x4B
	case 'L':
		return 0x4C
	case 'M':
		return 0x4D
	case 'N':
		return 0x4E
	case 'O':
		return 0x4F
	case 'P':
		return 0x50
	case 'Q':
		return 0x51
	case 'R':
		return 0x52
	case 'S':
		return 0x53
	case 'T':
		return 0x54
	case 'U':
		return 0x55
	case 'V':
		return 0x56
	case 'W':
		return 0x57
	case 'X':
		return 0x58
	case 'Y':
		return 0x59
	case 'Z':
		return 0x5A
	case '_':
		return 0x11
	case 'a':
		return 0x61
	case 'b':
		return 0x62
	case 'c':
		return 0x63
	case 'd':
		return 0x64
	case 'e':
		return 0x65
	case 'f':
		return 0x66
	case 'g':
		return 0x67
	case 'h':
		return 0x68
	case 'i':
		return 0x69
	case 'j':
		return 0x6A
	case 'k':
		return 0x6B
	case 'l':
		return 0x6C
	case 'm':
		return 0x6D
	case 'n':
		return 0x6E
	case 'o':
		return 0x6F
	case 'p':
		return 0x70
	case 'q':
		return 0x71
	case 'r':
		return 0x72
	case 's':
		return 0x73
	case 't':
		return 0x74
	case 'u':
		return 0x75
	case 'v':
		return 0x76
	case 'w':
		return 0x77
	case 'x':
		return 0x78
	case 'y':
		return 0x79
	case 'z':
		return 0x7A
	case '£':
		return 0x01
	case '¤':
		return 0x24
	case '¥':
		return 0x03
	case '§':
		return 0x5F
	case 'Ä':
		return 0x5B
	case 'Å':
		return 0x0E
	case 'Ç':
		return 0x09
	case 'É':
		return 0x1F
	case 'Ñ':
		return 0x5D
	case 'Ö':
		return 0x5C
	case 'Ü':
		return 0x5E
	case 'ß':
		return 0x1E
	case 'à':
		return 0x7F
	case 'ä':
		return 0x7B
	case 'å':
		return 0x0F
	case 'ç':
		return 0x60
	case 'é':
		return 0x05
	case 'ñ':
		return 0x7D
	case 'ò':
		return 0x08
	case 'ö':
		return 0x7C
	case 'ù':
		return 0x06
	case 'ü':
		return 0x7E
	case 'Ğ':
		return 0x0B
	case 'ğ':
		return 0x0C
	case 'İ':
		return 0x40
	case 'ı':
		return 0x07
	case 'Ş':
		return 0x1C
	case 'ş':
		return 0x1D
	case 'Γ':
		return 0x13
	case 'Δ':
		return 0x10
	case 'Θ':
		return 0x19
	case 'Λ':
		return 0x14
	case 'Ξ':
		return 0x1A
	case 'Π':
		return 0x16
	case 'Σ':
		return 0x18
	case 'Φ':
		return 0x12
	case 'Ψ':
		return 0x17
	case 'Ω':
		return 0x15
	case '€':
		return 0x04
	}
	return none
}

// portugueseLockingCode returns the Portuguese locking shift septet of r, or none.
func portugueseLockingCode(r rune) uint8 {
	switch r {
	case '\n':
		return 0x0A
	case '\r':
		return 0x0D
	case ' ':
		return 0x20
	case '!':
		return 0x21
	case '"':
		return 0x22
	case '#':
		return 0x23
	case '$':
		return 0x02
	case '%':
		return 0x25
	case '&':
		return 0x26
	case '\'':
		return 0x27
	case '(':
		return 0x28
	case ')':
		return 0x29
	case '*':
		return 0x2A
	case '+':
		return 0x2B
	case ',':
		return 0x2C
	case '-':
		return 0x2D
	case '.':
		return 0x2E
	case '/':
		return 0x2F
	case '0':
		return 0x30
	case '1':
		return 0x31
	case '2':
		return 0x32
	case '3':
		return 0x33
	case '4':
		return 0x34
	case '5':
		return 0x35
	case '6':
		return 0x36
	case '7':
		return 0x37
	case '8':
		return 0x38
	case '9':
		return 0x39
	case ':':
		return 0x3A
	case ';':
		return 0x3B
	case '<':
		return 0x3C
	case '=':
		return 0x3D
	case '>':
		return 0x3E
	case '?':
		return 0x3F
	case '@':
		return 0x00
	case 'A':
		return 0x41
	case 'B':
		return 0x42
	case 'C':
		return 0x43
	case 'D':
		return 0x44
	case 'E':
		return 0x45
	case 'F':
		return 0x46
	case 'G':
		return 0x47
	case 'H':
		return 0x48
	case 'I':
		return 0x49
	case 'J':
		return 0x4A
	case 'K':
		return 0x4B
	case 'L':
		return 0x4C
	case 'M':
		return 0x4D
	case 'N':
		return 0x4E
	case 'O':
		return 0x4F
	case 'P':
		return 0x50
	case 'Q':
		return 0x51
	case 'R':
		return 0x52
	case 'S':
		return 0x53
	case 'T':
		return 0x54
	case 'U':
		return 0x55
	case 'V':
		return 0x56
	case 'W':
		return 0x57
	case 'X':
		return 0x58
	case 'Y':
		return 0x59
	case 'Z':
		return 0x5A
	case '\\':
		return 0x17
	case '^':
		return 0x16
	case '_':
		return 0x11
	case '`':
		return 0x7D
	case 'a':
		return 0x61
	case 'b':
		return 0x62
	case 'c':
		return 0x63
	case 'd':
		return 0x64
	case 'e':
		return 0x65
	case 'f':
		return 0x66
	case 'g':
		return 0x67
	case 'h':
		return 0x68
	case 'i':
		return 0x69
	case 'j':
		return 0x6A
	case 'k':
		return 0x6B
	case 'l':
		return 0x6C
	case 'm':
		return 0x6D
	case 'n':
		return 0x6E
	case 'o':
		return 0x6F
	case 'p':
		return 0x70
	case 'q':
		return 0x71
	case 'r':
		return 0x72
	case 's':
		return 0x73
	case 't':
		return 0x74
	case 'u':
		return 0x75
	case 'v':
		return 0x76
	case 'w':
		return 0x77
	case 'x':
		return 0x78
	case 'y':
		return 0x79
	case 'z':
		return 0x7A
	case '|':
		return 0x1A
	case '~':
		return 0x60
	case '£':
		return 0x01
	case '¥':
		return 0x03
	case '§':
		return 0x5F
	case 'ª':
		return 0x12
	case 'º':
		return 0x24
	case 'À':
		return 0x14
	case 'Á':
		return 0x0E
	case 'Â':
		return 0x1C
	case 'Ã':
		return 0x5B
	case 'Ç':
		return 0x13
	case 'É':
		return 0x1F
	case 'Ê':
		return 0x1E
	case 'Í':
		return 0x40
	case 'Ó':
		return 0x19
	case 'Ô':
		return 0x0B
	case 'Õ':
		return 0x5C
	case 'Ú':
		return 0x5D
	case 'Ü':
		return 0x5E
	case 'à':
		return 0x7F
	case 'á':
		return 0x0F
	case 'â':
		return 0x1D
	case 'ã':
		return 0x7B
	case 'ç':
		return 0x09
	case 'é':
		return 0x05
	case 'ê':
		return 0x04
	case 'í':
		return 0x07
	case 'ó':
		return 0x08
	case 'ô':
		return 0x0C
	case 'õ':
		return 0x7C
	case 'ú':
		return 0x06
	case 'ü':
		return 0x7E
	case 'Δ':
		return 0x10
	case '€':
		return 0x18
	case '∞':
		return 0x15
	}
	return none
}

// extCode returns the default extension septet of r (extBit set), or none.
func extCode(r rune) uint8 {
	switch r {
	case '\f':
		return 0x8A
	case '[':
		return 0xBC
	case '\\':
		return 0xAF
	case ']':
		return 0xBE
	case '^':
		return 0x94
	case '{':
		return 0xA8
	case '|':
		return 0xC0
	case '}':
		return 0xA9
	case '~':
		return 0xBD
	case '€':
		return 0xE5
	}
	return none
}

// turkishSingleCode returns the Turkish single shift septet of r (extBit set), or none.
func turkishSingleCode(r rune) uint8 {
	switch r {
	case '\f':
		return 0x8A
	case '[':
		return 0xBC
	case '\\':
		return 0xAF
	case ']':
		return 0xBE
	case '^':
		return 0x94
	case '{':
		return 0xA8
	case '|':
		return 0xC0
	case '}':
		return 0xA9
	case '~':
		return 0xBD
	case 'ç':
		return 0xE3
	case 'Ğ':
		return 0xC7
	case 'ğ':
		return 0xE7
	case 'İ':
		return 0xC9
	case 'ı':
		return 0xE9
	case 'Ş':
		return 0xD3
	case 'ş':
		return 0xF3
	case '€':
		return 0xE5
	}
	return none
}

// spanishSingleCode returns the Spanish single shift septet of r (extBit set), or none.
func spanishSingleCode(r rune) uint8 {
	switch r {
	case '\f':
		return 0x8A
	case '[':
		return 0xBC
	case '\\':
		return 0xAF
	case ']':
		return 0xBE
	case '^':
		return 0x94
	case '{':
		return 0xA8
	case '|':
		return 0xC0
	case '}':
		return 0xA9
	case '~':
		return 0xBD
	case 'Á':
		return 0xC1
	case 'Í':
		return 0xC9
	case 'Ó':
		return 0xCF
	case 'Ú':
		return 0xD5
	case 'á':
		return 0xE1
	case 'ç':
		return 0x89
	case 'í':
		return 0xE9
	case 'ó':
		return 0xEF
	case 'ú':
		return 0xF5
	case '€':
		return 0xE5
	}
	return none
}

// portugueseSingleCode returns the Portuguese single shift septet of r (extBit set), or none.
func portugueseSingleCode(r rune) uint8 {
	switch r {
	case '\f':
		return 0x8A
	case '[':
		return 0xBC
	case '\\':
		return 0xAF
	case ']':
		return 0xBE
	case '^':
		return 0x94
	case '{':
		return 0xA8
	case '|':
		return 0xC0
	case '}':
		return 0xA9
	case '~':
		return 0xBD
	case 'À':
		return 0xC1
	case 'Á':
		return 0x8E
	case 'Â':
		return 0xE1
	case 'Ã':
		return 0xDB
	case 'Ê':
		return 0x9F
	case 'Í':
		return 0xC9
	case 'Ó':
		return 0xCF
	case 'Ô':
		return 0x8B
	case 'Õ':
		return 0xDC
	case 'Ú':
		return 0xD5
	case 'á':
		return 0x8F
	case 'â':
		return 0xFF
	case 'ã':
		return 0xFB
	case 'ç':
		return 0x89
	case 'ê':
		return 0x85
	case 'í':
		return 0xE9
	case 'ó':
		return 0xEF
	case 'ô':
		return 0x8C
	case 'õ':
		return 0xFC
	case 'ú':
		return 0xF5
	case 'Γ':
		return 0x93
	case 'Θ':
		return 0x99
	case 'Π':
		return 0x96
	case 'Σ':
		return 0x98
	case 'Φ':
		return 0x92
	case 'Ψ':
		return 0x97
	case 'Ω':
		return 0x95
	case '€':
		return 0xE5
	}
	return none
}

// asciiCost is the septet cost of an ASCII rune in the default tables; 0
// means none or invalidCode, which the callers handle on a slower path.
var asciiCost = [128]uint8{
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 1, 0, 0, // 0x00
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 0x10
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 0x20
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 0x30
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 0x40
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 1, // 0x50
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 0x60
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 0, // 0x70
}
