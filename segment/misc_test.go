package segment

import (
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAnalyzeReports(t *testing.T) {
	a := Analyze("Hi 😀 ça")
	if a.FirstUCS2 != '😀' || a.FirstUCS2Offset != 3 {
		t.Errorf("FirstUCS2 = %q at %d, want 😀 at 3", a.FirstUCS2, a.FirstUCS2Offset)
	}
	if a := Analyze("Hello"); a.FirstUCS2 != 0 || a.FirstUCS2Offset != -1 || a.InvalidOffset != -1 {
		t.Errorf("GSM-7 text: FirstUCS2 %q at %d, invalid at %d", a.FirstUCS2, a.FirstUCS2Offset, a.InvalidOffset)
	}
	for text, want := range map[string]int{"a\x1bb": 1, "\x00": 0, "ab\xff": 2, "ж\x1b": 2} {
		if got := Analyze(text).InvalidOffset; got != want {
			t.Errorf("Analyze(%q).InvalidOffset = %d, want %d", text, got, want)
		}
	}
	long := strings.Repeat("a", 400)
	if a := Analyze(long, WithMaxSegments(2)); a.Segments != 3 || !a.OverMax || a.MaxSegments != 2 {
		t.Errorf("max segments: %d parts, OverMax %v, MaxSegments %d", a.Segments, a.OverMax, a.MaxSegments)
	}
	if a := Analyze(long, WithMaxSegments(3)); a.OverMax {
		t.Error("OverMax with 3 parts allowed")
	}
	if a := Analyze(strings.Repeat("a", 153*255+1)); a.Segments != 256 || !a.TooManyParts {
		t.Errorf("256 parts: Segments %d, TooManyParts %v", a.Segments, a.TooManyParts)
	}
}

func TestUCS2Chars(t *testing.T) {
	want := []Char{{Offset: 3, Rune: '😀'}, {Offset: 8, Rune: 'ç'}, {Offset: 12, Rune: 'ж'}}
	if diff := cmp.Diff(want, UCS2Chars("Hi 😀 ça жé€")); diff != "" {
		t.Errorf("UCS2Chars (-want +got):\n%s", diff)
	}
	if got := UCS2Chars("Ça coûte 5€"); len(got) != 1 || got[0].Rune != 'û' {
		t.Errorf("UCS2Chars = %v, want only û", got)
	}
	if got := UCS2Chars("plain {GSM} text"); got != nil {
		t.Errorf("UCS2Chars = %v, want nil", got)
	}
}

func TestAnalyzeDoesNotAllocate(t *testing.T) {
	texts := []string{benchGSM7, benchGSM7Ext, benchUCS2, strings.Repeat("ş", 300)}
	for _, text := range texts {
		n := testing.AllocsPerRun(50, func() {
			sinkAnalysis = Analyze(text, With16BitReference(), WithMaxSegments(3), WithDestination("TR"),
				WithNationalLanguages(Spanish), WithSmartEncoding(), WithCodePointBoundaries())
		})
		if n != 0 {
			t.Errorf("Analyze(%.20q...) allocates %v times", text, n)
		}
	}
	n := testing.AllocsPerRun(50, func() { sinkParts = Split(benchSplitLen) })
	if n != 1 {
		t.Errorf("Split allocates %v times, want 1 (the returned slice)", n)
	}
}

// TestConcurrentUse runs the package from many goroutines at once: under
// -race it proves there is no lazily built shared state.
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			text := strings.Repeat("ş€😀 ", 40+i)
			want := Analyze(text, WithDestination("TR"))
			for range 20 {
				if got := Analyze(text, WithDestination("TR")); got != want {
					t.Errorf("Analyze differs between runs: %+v vs %+v", got, want)
				}
				pdus, err := Encode(text, 1)
				if err != nil {
					t.Error(err)
					return
				}
				if back, err := Decode(pdus); err != nil || back != text {
					t.Errorf("round trip: %v", err)
				}
			}
		})
	}
	wg.Wait()
}

func TestStrings(t *testing.T) {
	got := []string{GSM7.String(), UCS2.String(), Encoding(7).String(), NoLanguage.String(), Turkish.String(),
		Spanish.String(), Portuguese.String(), Language(9).String()}
	want := []string{"GSM-7", "UCS-2", "Encoding(7)", "none", "Turkish", "Spanish", "Portuguese", "Language(9)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
	if GSM7.DataCoding() != 0 || UCS2.DataCoding() != 8 {
		t.Error("DataCoding must be 0x00 and 0x08")
	}
}

func TestOptionsMerge(t *testing.T) {
	c := newConfig([]Option{{}, WithDestination("XX"), WithNationalLanguages(Turkish, Language(9)), WithDestination("PT"), WithMaxSegments(4)})
	if !c.langs.has(Turkish) || !c.langs.has(Portuguese) || c.langs.has(Spanish) || c.maxSegments != 4 {
		t.Errorf("config = %+v", c)
	}
}
