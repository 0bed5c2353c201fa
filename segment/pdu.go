package segment

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Information element identifiers of the user data header (TS 23.040
// §9.2.3.24).
const (
	ieiConcat8     = 0x00 // concatenation, 8-bit reference
	ieiConcat16    = 0x08 // concatenation, 16-bit reference
	ieiSingleShift = 0x24 // national language single shift
	ieiLocking     = 0x25 // national language locking shift
)

// PDU is the user data of one part as it goes on the wire, what an SMPP
// submit_sm (with esm_class UDHI and data_coding) or a modem PDU carries.
type PDU struct {
	// Encoding is the data coding: GSM7 (0x00) or UCS2 (0x08).
	Encoding Encoding
	// UDHI is the TP-User-Data-Header-Indicator: UserData starts with a
	// header.
	UDHI bool
	// UDL is TP-User-Data-Length: septets for GSM-7, the header and its
	// fill bits included, or octets for UCS-2.
	UDL int
	// UserData is TP-User-Data: the header (length octet first) followed by
	// the packed septets, starting at the next septet boundary, or by the
	// UCS-2 big-endian code units.
	UserData []byte
}

// Header is the decoded user data header of a PDU.
type Header struct {
	// Len is the header length in octets, its length octet included; 0 when
	// there is no header.
	Len int
	// Concatenated reports a concatenation element; Ref, Ref16, Total and
	// Seq are its reference (Ref16 for the 16-bit form), part count and
	// 1-based part number.
	Concatenated bool
	Ref          uint16
	Ref16        bool
	Total, Seq   int
	// LockingShift and SingleShift are the national language tables the
	// part is encoded with.
	LockingShift, SingleShift Language
}

// Encode converts text to the PDUs it is sent in, one per part of Split,
// each with the concatenation header (8-bit reference, or 16-bit with
// With16BitReference) carrying ref when there is more than one part, and
// the national language shift elements when a shift table is used. The
// empty text gives one PDU with no user data.
//
// It returns the *Error of Validate for a text that cannot be sent
// (ErrInvalidUTF8 or ErrForbiddenChar, both matching ErrInvalidText, or
// ErrTooManyParts beyond MaxTextBytes), ErrTooManyParts with the offset
// where part 256 would begin, or ErrTooManySegments when WithMaxSegments is
// exceeded.
func Encode(text string, ref uint16, opts ...Option) ([]PDU, error) {
	if err := Validate(text); err != nil {
		return nil, err
	}
	cfg := newConfig(opts)
	a, sent := analyzeConfig(text, &cfg)
	m := measure{enc: a.Encoding, t: tableSet{lock: a.LockingShift, single: a.SingleShift}}
	st := newCutStats()
	if a.Segments > MaxParts {
		start := 0
		for part := 1; part <= MaxParts; part++ {
			start, _ = nextCut(sent, start, m, a.PerSegment, cfg.codePoints, &st)
		}
		return nil, &Error{Err: ErrTooManyParts, Offset: start, Part: MaxParts + 1,
			Detail: fmt.Sprintf("the text needs %d parts", a.Segments)}
	}
	if a.OverMax {
		return nil, &Error{Err: ErrTooManySegments, Offset: -1,
			Detail: fmt.Sprintf("the text needs %d parts, at most %d allowed", a.Segments, cfg.maxSegments)}
	}
	total := max(a.Segments, 1)
	pdus := make([]PDU, 0, total)
	for start, seq := 0, 1; seq <= total; seq++ {
		end := len(sent)
		if total > 1 {
			end, _ = nextCut(sent, start, m, a.PerSegment, cfg.codePoints, &st)
		}
		h := Header{LockingShift: m.t.lock, SingleShift: m.t.single}
		if total > 1 {
			h.Concatenated, h.Ref, h.Ref16, h.Total, h.Seq = true, ref, cfg.ref16, total, seq
		}
		pdus = append(pdus, encodePart(sent[start:end], m, h))
		start = end
	}
	return pdus, nil
}

// headerBytes appends the header of h (length octet first) to dst, or
// nothing when h has no element.
func headerBytes(dst []byte, h Header) []byte {
	var ies []byte
	if h.Concatenated {
		if h.Ref16 {
			ies = append(ies, ieiConcat16, 4, byte(h.Ref>>8), byte(h.Ref), byte(h.Total), byte(h.Seq))
		} else {
			ies = append(ies, ieiConcat8, 3, byte(h.Ref), byte(h.Total), byte(h.Seq))
		}
	}
	if h.LockingShift != NoLanguage {
		ies = append(ies, ieiLocking, 1, byte(h.LockingShift))
	}
	if h.SingleShift != NoLanguage {
		ies = append(ies, ieiSingleShift, 1, byte(h.SingleShift))
	}
	if len(ies) == 0 {
		return dst
	}
	dst = append(dst, byte(len(ies)))
	return append(dst, ies...)
}

// encodePart builds the PDU of one part.
func encodePart(text string, m measure, h Header) PDU {
	ud := headerBytes(make([]byte, 0, octetsPerSMS), h)
	p := PDU{Encoding: m.enc, UDHI: len(ud) > 0}
	if m.enc == UCS2 {
		for _, r := range text {
			if r >= 0x10000 {
				hi, lo := utf16.EncodeRune(r)
				ud = append(ud, byte(hi>>8), byte(hi), byte(lo>>8), byte(lo))
			} else {
				ud = append(ud, byte(r>>8), byte(r))
			}
		}
		p.UDL, p.UserData = len(ud), ud
		return p
	}
	// Septets start at the first septet boundary after the header.
	k := (len(ud)*8 + 6) / 7
	put := func(s byte) {
		bit := k * 7
		i, shift := bit/8, uint(bit%8)
		for len(ud) < i+2 {
			ud = append(ud, 0)
		}
		ud[i] |= s << shift
		if shift > 1 {
			ud[i+1] |= s >> (8 - shift)
		}
		k++
	}
	for _, r := range text {
		c := m.t.code(r)
		if c&extBit != 0 {
			put(escSeptet)
		}
		put(c &^ extBit)
	}
	p.UDL = k
	p.UserData = ud[:(k*7+7)/8]
	return p
}

// Header decodes the user data header of p. A PDU without UDHI has the zero
// Header.
func (p PDU) Header() (Header, error) {
	var h Header
	if !p.UDHI {
		return h, nil
	}
	ud := p.UserData
	if len(ud) == 0 || int(ud[0])+1 > len(ud) {
		return h, &Error{Err: ErrMalformedPDU, Offset: 0, Detail: "header longer than the user data"}
	}
	h.Len = int(ud[0]) + 1
	for i := 1; i < h.Len; {
		if i+2 > h.Len {
			return h, &Error{Err: ErrMalformedPDU, Offset: i, Detail: "truncated information element"}
		}
		iei, n := ud[i], int(ud[i+1])
		v := ud[i+2 : min(i+2+n, h.Len)]
		if len(v) != n {
			return h, &Error{Err: ErrMalformedPDU, Offset: i, Detail: fmt.Sprintf("element 0x%02X longer than the header", iei)}
		}
		switch {
		case iei == ieiConcat8 && n == 3:
			h.Concatenated, h.Ref, h.Total, h.Seq = true, uint16(v[0]), int(v[1]), int(v[2])
		case iei == ieiConcat16 && n == 4:
			h.Concatenated, h.Ref16 = true, true
			h.Ref, h.Total, h.Seq = uint16(v[0])<<8|uint16(v[1]), int(v[2]), int(v[3])
		case iei == ieiLocking && n == 1:
			h.LockingShift = Language(v[0])
		case iei == ieiSingleShift && n == 1:
			h.SingleShift = Language(v[0])
		case iei == ieiConcat8 || iei == ieiConcat16 || iei == ieiLocking || iei == ieiSingleShift:
			return h, &Error{Err: ErrMalformedPDU, Offset: i, Detail: fmt.Sprintf("element 0x%02X has length %d", iei, n)}
		}
		i += 2 + n
	}
	if h.Concatenated && (h.Total == 0 || h.Seq == 0 || h.Seq > h.Total) {
		return h, &Error{Err: ErrMalformedPDU, Offset: 1, Detail: fmt.Sprintf("part %d of %d", h.Seq, h.Total)}
	}
	return h, nil
}

// Decode reassembles the text of a message from its PDUs, in any order. The
// parts must share one reference and part count and all be present.
// Decode(Encode(t)) returns t (as transformed by the options).
func Decode(pdus []PDU) (string, error) {
	if len(pdus) == 0 {
		return "", nil
	}
	order := make([]int, len(pdus))
	var first Header
	for i, p := range pdus {
		h, err := p.Header()
		if err != nil {
			return "", withPart(err, i+1)
		}
		if len(pdus) == 1 && !h.Concatenated {
			return decodeText(p, h, 1)
		}
		if !h.Concatenated {
			return "", &Error{Err: ErrMalformedPDU, Offset: -1, Part: i + 1, Detail: "no concatenation header"}
		}
		if i == 0 {
			first = h
		}
		if h.Ref != first.Ref || h.Total != first.Total || h.Total != len(pdus) {
			return "", &Error{Err: ErrMalformedPDU, Offset: -1, Part: i + 1,
				Detail: fmt.Sprintf("reference %d, %d parts; want reference %d, %d parts", h.Ref, h.Total, first.Ref, len(pdus))}
		}
		if order[h.Seq-1] != 0 {
			return "", &Error{Err: ErrMalformedPDU, Offset: -1, Part: i + 1, Detail: fmt.Sprintf("duplicate part %d", h.Seq)}
		}
		order[h.Seq-1] = i + 1
	}
	var out []byte
	for _, idx := range order {
		p := pdus[idx-1]
		h, _ := p.Header()
		s, err := decodeText(p, h, idx)
		if err != nil {
			return "", err
		}
		out = append(out, s...)
	}
	return string(out), nil
}

// withPart records the part number in a Decode error.
func withPart(err error, part int) error {
	if e, ok := err.(*Error); ok {
		e.Part = part
	}
	return err
}

// decodeText decodes the text of one PDU whose header is h.
func decodeText(p PDU, h Header, part int) (string, error) {
	ud := p.UserData
	bad := func(off int, detail string) error {
		return &Error{Err: ErrMalformedPDU, Offset: off, Part: part, Detail: detail}
	}
	if p.Encoding == UCS2 {
		if p.UDL > len(ud) || p.UDL < h.Len || (p.UDL-h.Len)%2 != 0 {
			return "", bad(h.Len, fmt.Sprintf("UDL %d does not fit %d octets", p.UDL, len(ud)))
		}
		units := make([]uint16, 0, (p.UDL-h.Len)/2)
		for i := h.Len; i < p.UDL; i += 2 {
			units = append(units, uint16(ud[i])<<8|uint16(ud[i+1]))
		}
		return string(utf16.Decode(units)), nil
	}
	if (p.UDL*7+7)/8 > len(ud) {
		return "", bad(len(ud), fmt.Sprintf("UDL %d septets needs %d octets, have %d", p.UDL, (p.UDL*7+7)/8, len(ud)))
	}
	lock, single := lockingTable(h.LockingShift), singleTable(h.SingleShift)
	septet := func(k int) byte {
		bit := k * 7
		i, shift := bit/8, uint(bit%8)
		s := ud[i] >> shift
		if shift > 1 {
			s |= ud[i+1] << (8 - shift)
		}
		return s & 0x7F
	}
	out := make([]byte, 0, p.UDL)
	for k := (h.Len*8 + 6) / 7; k < p.UDL; k++ {
		s := septet(k)
		if s == escSeptet {
			k++
			if k >= p.UDL {
				return "", bad(k*7/8, "escape at the end of the user data")
			}
			s = septet(k)
			if r := single[s]; r != 0 {
				out = utf8.AppendRune(out, r)
				continue
			}
			// TS 23.038: an unknown extension shows the main table's character.
		}
		r := lock[s]
		if r == esc {
			r = ' '
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out), nil
}
