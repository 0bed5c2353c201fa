package segment

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shiftSummary is what the national language tests check.
type shiftSummary struct {
	Encoding     Encoding
	Segments     int
	Units        int
	PerSegment   int
	LockingShift Language
	SingleShift  Language
}

func TestNationalLanguages(t *testing.T) {
	tests := []struct {
		name string
		text string
		opts []Option
		want shiftSummary
	}{
		{"Turkish single shift preferred when as cheap", "Merhaba ş ğ ı", []Option{WithDestination("TR")},
			shiftSummary{GSM7, 1, 16, 155, NoLanguage, Turkish}},
		{"no table without the destination", "Merhaba ş ğ ı", nil,
			shiftSummary{UCS2, 1, 13, 70, NoLanguage, NoLanguage}},
		{"no table for a region without support", "Merhaba ş ğ ı", []Option{WithDestination("US")},
			shiftSummary{UCS2, 1, 13, 70, NoLanguage, NoLanguage}},
		{"Turkish locking shift when it saves a part", strings.Repeat("ş", 200), []Option{WithDestination("tr")},
			shiftSummary{GSM7, 2, 200, 149, Turkish, NoLanguage}},
		{"Turkish locking table has € at one septet", strings.Repeat("ş", 150) + "€{", []Option{WithNationalLanguages(Turkish)},
			shiftSummary{GSM7, 1, 153, 155, Turkish, NoLanguage}},
		{"both Portuguese shifts, header of 2 elements", strings.Repeat("ã", 200) + "Ω", []Option{WithDestination("PT")},
			shiftSummary{GSM7, 2, 202, 146, Portuguese, Portuguese}},
		{"Spanish single shift", "Canción: á", []Option{WithDestination("ES")},
			shiftSummary{GSM7, 1, 12, 155, NoLanguage, Spanish}},
		{"Portuguese single shift", "Atenção: não", []Option{WithDestination("PT")},
			shiftSummary{GSM7, 1, 15, 155, NoLanguage, Portuguese}},
		{"Portuguese locking shift when it saves parts", strings.Repeat("ção ", 60), []Option{WithDestination("PT")},
			shiftSummary{GSM7, 2, 240, 149, Portuguese, NoLanguage}},
		{"UCS-2 when no table encodes the text", "ş 😀", []Option{WithDestination("TR")},
			shiftSummary{UCS2, 1, 4, 70, NoLanguage, NoLanguage}},
		{"plain GSM-7 keeps the default tables", "hello {}", []Option{WithNationalLanguages(Turkish, Spanish, Portuguese)},
			shiftSummary{GSM7, 1, 10, 160, NoLanguage, NoLanguage}},
		{"16-bit reference and one shift", strings.Repeat("ş", 200), []Option{WithDestination("TR"), With16BitReference()},
			shiftSummary{GSM7, 2, 200, 148, Turkish, NoLanguage}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Analyze(tt.text, tt.opts...)
			got := shiftSummary{a.Encoding, a.Segments, a.Units, a.PerSegment, a.LockingShift, a.SingleShift}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Analyze (-want +got):\n%s", diff)
			}
			if a.Encoding == GSM7 && a.FirstUCS2Offset != -1 {
				t.Errorf("FirstUCS2Offset = %d for a GSM-7 text", a.FirstUCS2Offset)
			}
			if parts := Split(tt.text, tt.opts...); len(parts) != a.Segments || strings.Join(parts, "") != tt.text {
				t.Errorf("Split gave %d parts that do not rebuild the text", len(parts))
			}
		})
	}
}

func TestCapacity(t *testing.T) {
	tests := []struct {
		m         measure
		multipart bool
		ref16     bool
		want      int
	}{
		{measure{enc: GSM7}, false, false, 160},
		{measure{enc: GSM7}, true, false, 153},
		{measure{enc: GSM7}, true, true, 152},
		{measure{enc: UCS2}, false, false, 70},
		{measure{enc: UCS2}, true, false, 67},
		{measure{enc: UCS2}, true, true, 66},
		{measure{enc: GSM7, t: tableSet{single: Turkish}}, false, false, 155},
		{measure{enc: GSM7, t: tableSet{lock: Turkish, single: Turkish}}, false, false, 152},
		{measure{enc: GSM7, t: tableSet{single: Spanish}}, true, false, 149},
		{measure{enc: GSM7, t: tableSet{lock: Portuguese, single: Portuguese}}, true, false, 146},
		{measure{enc: GSM7, t: tableSet{single: Portuguese}}, true, true, 148},
		{measure{enc: GSM7, t: tableSet{lock: Turkish, single: Turkish}}, true, true, 145},
	}
	for _, tt := range tests {
		if got := tt.m.capacity(tt.multipart, tt.ref16); got != tt.want {
			t.Errorf("capacity(%+v, multipart %v, ref16 %v) = %d, want %d", tt.m, tt.multipart, tt.ref16, got, tt.want)
		}
	}
}

// TestTablesAgree checks that every encoding switch agrees with the
// decoding arrays transcribed from TS 23.038.
func TestTablesAgree(t *testing.T) {
	check := func(name string, table *[128]rune, code func(rune) uint8, ext bool) {
		for s, r := range table {
			if r == esc || (ext && r == 0) {
				continue
			}
			want := uint8(s)
			if ext {
				want |= extBit
			}
			if got := code(r); got != want {
				t.Errorf("%s: code(%q) = %#x, want %#x", name, r, got, want)
			}
		}
	}
	check("default", &basicTable, defaultCode, false)
	check("extension", &extTable, defaultCode, true)
	check("Turkish locking", &turkishLocking, turkishLockingCode, false)
	check("Portuguese locking", &portugueseLocking, portugueseLockingCode, false)
	check("Turkish single", &turkishSingle, turkishSingleCode, true)
	check("Spanish single", &spanishSingle, spanishSingleCode, true)
	check("Portuguese single", &portugueseSingle, portugueseSingleCode, true)
	if basicTable[0x09] != 'Ç' || defaultCode('ç') != none {
		t.Error("position 0x09 must be the capital Ç and ç must be outside GSM-7")
	}
	n := 0
	for r := rune(0); r < 0x2100; r++ {
		if isGSM7(r) {
			n++
		}
	}
	if n != 127+10 { // 128 positions less the escape, plus 10 extension characters
		t.Errorf("%d GSM-7 characters, want 137", n)
	}
}
