package segment

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// summary is the part of an Analysis the boundary tables check.
type summary struct {
	Encoding   Encoding
	Segments   int
	Units      int
	PerSegment int
	Remaining  int
}

func sum(a Analysis) summary {
	return summary{a.Encoding, a.Segments, a.Units, a.PerSegment, a.Remaining}
}

func TestAnalyzeBoundaries(t *testing.T) {
	a := func(n int) string { return strings.Repeat("a", n) }
	u := func(n int) string { return strings.Repeat("ж", n) } // one UTF-16 unit, not GSM-7
	const emoji = "😀"                                         // two UTF-16 units
	tests := []struct {
		name string
		text string
		opts []Option
		want summary
	}{
		{"empty", "", nil, summary{GSM7, 0, 0, 160, 160}},
		{"1 septet", a(1), nil, summary{GSM7, 1, 1, 160, 159}},
		{"160 septets", a(160), nil, summary{GSM7, 1, 160, 160, 0}},
		{"161 septets", a(161), nil, summary{GSM7, 2, 161, 153, 145}},
		{"306 septets", a(306), nil, summary{GSM7, 2, 306, 153, 0}},
		{"307 septets", a(307), nil, summary{GSM7, 3, 307, 153, 152}},
		{"159 plain + escape = 161 septets", a(159) + "€", nil, summary{GSM7, 2, 161, 153, 145}},
		{"158 plain + escape = 160 septets", a(158) + "€", nil, summary{GSM7, 1, 160, 160, 0}},
		{"152 plain + ^ + 152 plain", a(152) + "^" + a(152), nil, summary{GSM7, 3, 306, 153, 153 - 1}},
		{"escape straddling 153", a(152) + "{" + a(10), nil, summary{GSM7, 2, 164, 153, 153 - 12}},
		{"70 units", u(70), nil, summary{UCS2, 1, 70, 70, 0}},
		{"71 units", u(71), nil, summary{UCS2, 2, 71, 67, 63}},
		{"134 units", u(134), nil, summary{UCS2, 2, 134, 67, 0}},
		{"135 units", u(135), nil, summary{UCS2, 3, 135, 67, 66}},
		{"66 units + emoji + 66 units", u(66) + emoji + u(66), nil, summary{UCS2, 3, 134, 67, 66}},
		{"surrogate pair straddling 67", u(66) + emoji + u(5), nil, summary{UCS2, 2, 73, 67, 60}},
		{"emoji alone makes 2 units", emoji, nil, summary{UCS2, 1, 2, 70, 68}},
		{"16-bit ref 161 septets", a(161), []Option{With16BitReference()}, summary{GSM7, 2, 161, 152, 143}},
		{"16-bit ref 304 septets", a(304), []Option{With16BitReference()}, summary{GSM7, 2, 304, 152, 0}},
		{"16-bit ref 305 septets", a(305), []Option{With16BitReference()}, summary{GSM7, 3, 305, 152, 151}},
		{"16-bit ref 133 units", u(133), []Option{With16BitReference()}, summary{UCS2, 3, 133, 66, 65}},
		{"16-bit ref 132 units", u(132), []Option{With16BitReference()}, summary{UCS2, 2, 132, 66, 0}},
		{"Ç is GSM-7", "Ça va", nil, summary{GSM7, 1, 5, 160, 155}},
		{"ç forces UCS-2", "ça va", nil, summary{UCS2, 1, 5, 70, 65}},
		{"form feed is an escape", "a\fb", nil, summary{GSM7, 1, 4, 160, 156}},
		{"every extension character costs 2", "^{}\\[~]|€\f", nil, summary{GSM7, 1, 20, 160, 140}},
		{"£ é Δ stay GSM-7", "£5 café Δ", nil, summary{GSM7, 1, 9, 160, 151}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Analyze(tt.text, tt.opts...)
			if diff := cmp.Diff(tt.want, sum(got)); diff != "" {
				t.Errorf("Analyze (-want +got):\n%s", diff)
			}
			parts := Split(tt.text, tt.opts...)
			if len(parts) != got.Segments {
				t.Errorf("len(Split) = %d, Analyze.Segments = %d", len(parts), got.Segments)
			}
			if j := strings.Join(parts, ""); j != tt.text {
				t.Errorf("Join(Split) = %q, want the text", j)
			}
		})
	}
}
