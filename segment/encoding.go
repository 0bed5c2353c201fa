package segment

import "strconv"

// Encoding is the character set a message is sent in. The zero value is GSM7.
type Encoding uint8

const (
	// GSM7 is the GSM 7-bit default alphabet of TS 23.038 (data coding
	// scheme 0), possibly with national language shift tables.
	GSM7 Encoding = iota
	// UCS2 is UCS-2 (data coding scheme 8), sent as UTF-16 big-endian code
	// units in practice.
	UCS2
)

// String returns "GSM-7" or "UCS-2".
func (e Encoding) String() string {
	switch e {
	case GSM7:
		return "GSM-7"
	case UCS2:
		return "UCS-2"
	}
	return "Encoding(" + strconv.Itoa(int(e)) + ")"
}

// DataCoding returns the TP-DCS / SMPP data_coding value of e: 0x00 for GSM7
// and 0x08 for UCS2.
func (e Encoding) DataCoding() byte {
	if e == UCS2 {
		return 0x08
	}
	return 0x00
}
