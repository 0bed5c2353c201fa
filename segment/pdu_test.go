package segment

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEncodeVectors(t *testing.T) {
	tests := []struct {
		name string
		text string
		ref  uint16
		opts []Option
		want []PDU
	}{
		{
			name: "hellohello packs into 9 octets",
			text: "hellohello",
			want: []PDU{{Encoding: GSM7, UDL: 10, UserData: []byte{0xE8, 0x32, 0x9B, 0xFD, 0x46, 0x97, 0xD9, 0xEC, 0x37}}},
		},
		{
			name: "escape before the extension septet",
			text: "€",
			want: []PDU{{Encoding: GSM7, UDL: 2, UserData: []byte{0x9B, 0x32}}},
		},
		{
			name: "UCS-2 big-endian with a surrogate pair",
			text: "ж😀",
			want: []PDU{{Encoding: UCS2, UDL: 6, UserData: []byte{0x04, 0x36, 0xD8, 0x3D, 0xDE, 0x00}}},
		},
		{
			name: "empty text is one empty part",
			text: "",
			want: []PDU{{Encoding: GSM7}},
		},
		{
			name: "Turkish single shift element 0x24 and fill bits",
			text: "ş",
			opts: []Option{WithDestination("TR")},
			// Header 03 24 01 01 is 4 octets = 32 bits; septets start at bit 35.
			// ESC (0x1B) then 0x73: bits 35..41 and 42..48.
			want: []PDU{{Encoding: GSM7, UDHI: true, UDL: 7, UserData: []byte{0x03, 0x24, 0x01, 0x01, 0xD8, 0xCC, 0x01}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Encode(tt.text, tt.ref, tt.opts...)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b []byte) bool { return string(a) == string(b) })); diff != "" {
				t.Errorf("Encode (-want +got):\n%s", diff)
			}
			back, err := Decode(got)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if back != tt.text {
				t.Errorf("Decode = %q, want %q", back, tt.text)
			}
		})
	}
}

func TestEncodeConcatenationHeaders(t *testing.T) {
	text := strings.Repeat("A", 161)
	pdus, err := Encode(text, 0xCC)
	if err != nil {
		t.Fatal(err)
	}
	if len(pdus) != 2 {
		t.Fatalf("got %d PDUs, want 2", len(pdus))
	}
	// 6-octet header, one fill bit, then 'A' (0x41) shifted left by one.
	if diff := cmp.Diff([]byte{0x05, 0x00, 0x03, 0xCC, 0x02, 0x01, 0x82}, pdus[0].UserData[:7]); diff != "" {
		t.Errorf("first part header (-want +got):\n%s", diff)
	}
	if pdus[0].UDL != 7+153 || !pdus[0].UDHI {
		t.Errorf("first part UDL = %d UDHI = %v, want 160 true", pdus[0].UDL, pdus[0].UDHI)
	}
	if h, _ := pdus[1].Header(); h != (Header{Len: 6, Concatenated: true, Ref: 0xCC, Total: 2, Seq: 2}) {
		t.Errorf("second header = %+v", h)
	}

	pdus, err = Encode(strings.Repeat("A", 305), 0x1234, With16BitReference())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]byte{0x06, 0x08, 0x04, 0x12, 0x34, 0x03, 0x01}, pdus[0].UserData[:7]); diff != "" {
		t.Errorf("16-bit header (-want +got):\n%s", diff)
	}
	if len(pdus) != 3 || pdus[0].UDL != 8+152 || len(pdus[0].UserData) != 140 {
		t.Errorf("16-bit: %d parts, UDL %d, %d octets; want 3, 160, 140", len(pdus), pdus[0].UDL, len(pdus[0].UserData))
	}

	pdus, err = Encode(strings.Repeat("ж", 135), 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(pdus) != 3 || pdus[0].UDL != 6+134 || pdus[0].Encoding != UCS2 {
		t.Errorf("UCS-2: %d parts, first UDL %d; want 3, 140", len(pdus), pdus[0].UDL)
	}
}

func TestEncodeShiftHeaders(t *testing.T) {
	// 200 ş: the Turkish locking shift (1 septet each) beats the single
	// shift (2 each) and UCS-2.
	pdus, err := Encode(strings.Repeat("ş", 200), 9, WithDestination("TR"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]byte{0x08, 0x00, 0x03, 0x09, 0x02, 0x01, 0x25, 0x01, 0x01}, pdus[0].UserData[:9]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if pdus[0].UDL != 11+149 {
		t.Errorf("UDL = %d, want 160", pdus[0].UDL)
	}
	back, err := Decode([]PDU{pdus[1], pdus[0]})
	if err != nil || back != strings.Repeat("ş", 200) {
		t.Errorf("Decode = %q, %v", back, err)
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		opts   []Option
		want   error
		offset int
		r      rune
	}{
		{"invalid UTF-8", "ab\xffc", nil, ErrInvalidUTF8, 2, 0},
		{"ESC", "ab\x1bc", nil, ErrForbiddenChar, 2, 0x1B},
		{"NUL", "\x00", nil, ErrForbiddenChar, 0, 0},
		{"256 parts", strings.Repeat("a", 153*255+1), nil, ErrTooManyParts, 153 * 255, 0},
		{"max segments", strings.Repeat("a", 400), []Option{WithMaxSegments(2)}, ErrTooManySegments, -1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Encode(tt.text, 1, tt.opts...)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Encode error = %v, want %v", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if e.Offset != tt.offset || e.Rune != tt.r {
				t.Errorf("Offset, Rune = %d, %U; want %d, %U (%v)", e.Offset, e.Rune, tt.offset, tt.r, err)
			}
		})
	}
	if _, err := Encode(strings.Repeat("a", 153*255), 1); err != nil {
		t.Errorf("255 parts: %v", err)
	}
	_, err := Encode("a\x1b", 1)
	if got, want := err.Error(), "segment: character cannot be sent U+001B at byte 1"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestDecodeErrors(t *testing.T) {
	pdus, err := Encode(strings.Repeat("a", 400), 3)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pdus []PDU
	}{
		{"missing part", pdus[:2]},
		{"duplicate part", []PDU{pdus[0], pdus[0], pdus[2]}},
		{"header longer than data", []PDU{{UDHI: true, UserData: []byte{0x09, 0x00}}}},
		{"UDL beyond data", []PDU{{UDL: 50, UserData: []byte{0x41}}}},
		{"odd UCS-2 length", []PDU{{Encoding: UCS2, UDL: 3, UserData: []byte{0, 0x41, 0}}}},
		{"part number zero", []PDU{{UDHI: true, UDL: 7, UserData: []byte{0x05, 0x00, 0x03, 1, 1, 0}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(tt.pdus); !errors.Is(err, ErrMalformedPDU) {
				t.Errorf("Decode error = %v, want ErrMalformedPDU", err)
			}
		})
	}
}
