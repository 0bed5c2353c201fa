package segment

import (
	"strings"
	"testing"
)

var (
	benchGSM7     = strings.Repeat("Your parcel 12345 is out for delivery today. ", 4)[:160]
	benchGSM7Ext  = strings.Repeat("Code [A-7] {ok} ~50% off | ^up \\ 20€. ", 11)[:400]
	benchUCS2     = ucs2Bench()
	benchSplitLen = strings.Repeat("Your parcel 12345 is out for delivery today. ", 10)
	sinkAnalysis  Analysis
	sinkParts     []string
)

// ucs2Bench is 200 UTF-16 units of mostly ASCII text with emoji in it,
// including ones that fall next to a part boundary.
func ucs2Bench() string {
	var b strings.Builder
	for units := 0; units < 196; {
		if units%60 == 30 || units == 64 {
			b.WriteString("👍🏽")
			units += 4
			continue
		}
		b.WriteByte('a' + byte(units%26))
		units++
	}
	return b.String()
}

func BenchmarkAnalyzeGSM7_160(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkAnalysis = Analyze(benchGSM7)
	}
}

func BenchmarkAnalyzeGSM7Ext_400(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkAnalysis = Analyze(benchGSM7Ext)
	}
}

func BenchmarkAnalyzeUCS2Emoji_200(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkAnalysis = Analyze(benchUCS2)
	}
}

func BenchmarkAnalyzeWithOptions(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkAnalysis = Analyze(benchGSM7Ext, With16BitReference(), WithMaxSegments(2), WithSmartEncoding(), WithDestination("ES"))
	}
}

func BenchmarkSplitGSM7_450(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkParts = Split(benchSplitLen)
	}
}

func BenchmarkSplitUCS2Emoji_200(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkParts = Split(benchUCS2)
	}
}
