package segment

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		text string
		opts []Option
		want string
		reps []Replacement
	}{
		{
			name: "smart encoding reports every change and its length effect",
			text: "“Hi” — it’s…\u00a0ok\u200b",
			opts: []Option{WithSmartEncoding()},
			want: "\"Hi\" - it's... ok",
			reps: []Replacement{
				{Offset: 0, From: "“", To: "\"", Fold: FoldSmart},
				{Offset: 5, From: "”", To: "\"", Fold: FoldSmart},
				{Offset: 9, From: "—", To: "-", Fold: FoldSmart},
				{Offset: 15, From: "’", To: "'", Fold: FoldSmart},
				{Offset: 19, From: "…", To: "...", Fold: FoldSmart, Delta: 2},
				{Offset: 22, From: "\u00a0", To: " ", Fold: FoldSmart},
				{Offset: 26, From: "\u200b", To: "", Fold: FoldSmart, Delta: -1},
			},
		},
		{
			name: "characters without a faithful twin are kept",
			text: "日本 😀 ж",
			opts: []Option{WithSmartEncoding(), WithAccentFold(), WithGreekFold()},
			want: "日本 😀 ж",
		},
		{
			name: "ç is kept without the cedilla fold",
			text: "ça",
			opts: []Option{WithSmartEncoding(), WithAccentFold()},
			want: "ça",
		},
		{
			name: "cedilla fold",
			text: "ça",
			opts: []Option{WithCedillaFold()},
			want: "Ça",
			reps: []Replacement{{Offset: 0, From: "ç", To: "Ç", Fold: FoldCedilla}},
		},
		{
			name: "Greek look-alike capitals",
			text: "ΑΘΗΝΑ",
			opts: []Option{WithGreekFold()},
			want: "AΘHNA",
			reps: []Replacement{
				{Offset: 0, From: "Α", To: "A", Fold: FoldGreek},
				{Offset: 4, From: "Η", To: "H", Fold: FoldGreek},
				{Offset: 6, From: "Ν", To: "N", Fold: FoldGreek},
				{Offset: 8, From: "Α", To: "A", Fold: FoldGreek},
			},
		},
		{
			name: "accent fold keeps GSM-7 letters",
			text: "Ação é ł",
			opts: []Option{WithAccentFold()},
			want: "Açao é l",
			reps: []Replacement{
				{Offset: 3, From: "ã", To: "a", Fold: FoldAccent},
				{Offset: 10, From: "ł", To: "l", Fold: FoldAccent},
			},
		},
		{
			name: "NFC first makes e + U+0301 the GSM-7 é",
			text: "cafe\u0301",
			opts: []Option{WithNFC()},
			want: "café",
			reps: []Replacement{{Offset: 3, From: "e\u0301", To: "é", Fold: FoldNFC, Delta: -1}},
		},
		{
			name: "NFC then accent fold",
			text: "a\u0303!",
			opts: []Option{WithNFC(), WithAccentFold()},
			want: "a!",
			reps: []Replacement{
				{Offset: 0, From: "a\u0303", To: "ã", Fold: FoldNFC, Delta: -1},
				{Offset: 0, From: "ã", To: "a", Fold: FoldAccent},
			},
		},
		{
			name: "letters of an allowed national table are not folded",
			text: "şa",
			opts: []Option{WithAccentFold(), WithDestination("TR")},
			want: "şa",
		},
		{
			name: "invalid UTF-8 is kept byte for byte",
			text: "\xff“",
			opts: []Option{WithSmartEncoding()},
			want: "\xff\"",
			reps: []Replacement{{Offset: 1, From: "“", To: "\"", Fold: FoldSmart}},
		},
		{
			name: "no transforming option",
			text: "“x”",
			want: "“x”",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reps := Normalize(tt.text, tt.opts...)
			if got != tt.want {
				t.Errorf("Normalize = %q, want %q", got, tt.want)
			}
			if diff := cmp.Diff(tt.reps, reps); diff != "" {
				t.Errorf("replacements (-want +got):\n%s", diff)
			}
			a := Analyze(tt.text, tt.opts...)
			if a.Transformed != (got != tt.text) {
				t.Errorf("Analyze.Transformed = %v", a.Transformed)
			}
			if b := Analyze(got, tt.opts...); a.Units != b.Units || a.Segments != b.Segments || a.Encoding != b.Encoding {
				t.Errorf("Analyze with options = %+v, Analyze(Normalize) = %+v", a, b)
			}
		})
	}
}

func TestSmartEncodingKeepsGSM7(t *testing.T) {
	text := "Your order’s ready – pick it up…"
	if a := Analyze(text); a.Encoding != UCS2 || a.FirstUCS2 != '’' || a.FirstUCS2Offset != 10 {
		t.Fatalf("without smart encoding: %v %q at %d", a.Encoding, a.FirstUCS2, a.FirstUCS2Offset)
	}
	a := Analyze(text, WithSmartEncoding())
	if a.Encoding != GSM7 || !a.Transformed || a.Units != 34 {
		t.Errorf("with smart encoding: %v, transformed %v, %d units; want GSM-7, true, 34", a.Encoding, a.Transformed, a.Units)
	}
	want := []string{"Your order's ready - pick it up..."}
	if diff := cmp.Diff(want, Split(text, WithSmartEncoding())); diff != "" {
		t.Errorf("Split (-want +got):\n%s", diff)
	}
}

func TestFoldStrings(t *testing.T) {
	for f, want := range map[Fold]string{FoldSmart: "smart encoding", FoldCedilla: "cedilla fold", FoldGreek: "Greek fold", FoldAccent: "accent fold", FoldNFC: "NFC", 0: "Fold(0)"} {
		if got := f.String(); got != want {
			t.Errorf("Fold(%d).String() = %q, want %q", f, got, want)
		}
	}
}
