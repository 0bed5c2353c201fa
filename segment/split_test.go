package segment

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitClusters(t *testing.T) {
	u := func(n int) string { return strings.Repeat("ж", n) }
	a := func(n int) string { return strings.Repeat("a", n) }
	const (
		family = "👨\u200d👩\u200d👧\u200d👦" // 11 units
		flag   = "🇫🇷"                     // 4 units, two regional indicators
		thumb  = "👍🏽"                     // 4 units, emoji + skin tone
	)
	tests := []struct {
		name       string
		text       string
		graphemes  []string // default
		codePoints []string // WithCodePointBoundaries
	}{
		{
			name:       "ZWJ family",
			text:       u(60) + family,
			graphemes:  []string{u(60), family},
			codePoints: []string{u(60) + "👨\u200d👩\u200d", "👧\u200d👦"},
		},
		{
			name:       "flag costs a part",
			text:       u(65) + flag + u(64),
			graphemes:  []string{u(65), flag + u(63), u(1)},
			codePoints: []string{u(65) + "🇫", "🇷" + u(64)},
		},
		{
			name:       "skin tone",
			text:       u(65) + thumb + u(64),
			graphemes:  []string{u(65), thumb + u(63), u(1)},
			codePoints: []string{u(65) + "👍", "🏽" + u(64)},
		},
		{
			name:       "combining mark",
			text:       u(66) + "e\u0301" + u(10),
			graphemes:  []string{u(66), "e\u0301" + u(10)},
			codePoints: []string{u(66) + "e", "\u0301" + u(10)},
		},
		{
			name:       "cluster longer than a part is cut at code points",
			text:       "a" + strings.Repeat("\u0301", 100),
			graphemes:  []string{"a" + strings.Repeat("\u0301", 66), strings.Repeat("\u0301", 34)},
			codePoints: []string{"a" + strings.Repeat("\u0301", 66), strings.Repeat("\u0301", 34)},
		},
		{
			name:       "CR and LF may fall in different parts, like Twilio",
			text:       a(152) + "\r\n" + a(10),
			graphemes:  []string{a(152) + "\r", "\n" + a(10)},
			codePoints: []string{a(152) + "\r", "\n" + a(10)},
		},
		{
			name:       "escape is never split from its character",
			text:       a(152) + "€" + a(152),
			graphemes:  []string{a(152), "€" + a(151), a(1)},
			codePoints: []string{a(152), "€" + a(151), a(1)},
		},
		{
			name:       "surrogate pair is never split",
			text:       u(66) + "😀" + u(66),
			graphemes:  []string{u(66), "😀" + u(65), u(1)},
			codePoints: []string{u(66), "😀" + u(65), u(1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.graphemes, Split(tt.text)); diff != "" {
				t.Errorf("Split (-want +got):\n%s", diff)
			}
			if got := Analyze(tt.text).Segments; got != len(tt.graphemes) {
				t.Errorf("Analyze.Segments = %d, want %d", got, len(tt.graphemes))
			}
			cp := WithCodePointBoundaries()
			if diff := cmp.Diff(tt.codePoints, Split(tt.text, cp)); diff != "" {
				t.Errorf("Split(WithCodePointBoundaries) (-want +got):\n%s", diff)
			}
			if got := Analyze(tt.text, cp).Segments; got != len(tt.codePoints) {
				t.Errorf("Analyze(WithCodePointBoundaries).Segments = %d, want %d", got, len(tt.codePoints))
			}
		})
	}
}

func TestSplitEmptyAndSingle(t *testing.T) {
	if got := Split(""); got != nil {
		t.Errorf("Split(\"\") = %q, want nil", got)
	}
	if diff := cmp.Diff([]string{"hello"}, Split("hello")); diff != "" {
		t.Errorf("Split (-want +got):\n%s", diff)
	}
}

// unitsOf measures s in enc with the default tables or the given ones.
func unitsOf(a Analysis, s string) int {
	m := measure{enc: a.Encoding, t: tableSet{lock: a.LockingShift, single: a.SingleShift}}
	n := 0
	for _, r := range s {
		n += max(m.cost(r), 1)
	}
	return n
}
