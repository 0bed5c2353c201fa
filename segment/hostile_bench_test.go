package segment

import (
	"strings"
	"testing"
)

// hostileSize is the length in bytes of each worst-case input, the 160 KB
// body of the issue (under MaxTextBytes, so Encode does the whole work).
const hostileSize = 160_000

// hostileInputs are the worst cases for the cutting loop, each about
// hostileSize bytes (the ASCII reference is 1 MiB): one grapheme cluster
// longer than any part (a combining run, a run of Hangul leading jamo, a
// ZWJ emoji chain), pairs of regional indicators, and bytes that are not
// characters (WTF-8 lone surrogates, invalid UTF-8).
var hostileInputs = []struct {
	name, text string
}{
	{"ASCII_1MiB", strings.Repeat("Your parcel 12345 is out for delivery today. ", 1<<20/45+1)[:1<<20]},
	{"Combining", "e" + strings.Repeat("\u0301", hostileSize/2)},
	{"Jamo", strings.Repeat("\u1100", hostileSize/3)},
	{"ZWJChain", strings.Repeat("👨\u200d", hostileSize/7)},
	{"Flags", strings.Repeat("🇫🇷", hostileSize/8)},
	{"LoneSurrogates", strings.Repeat("\xed\xa0\x80", hostileSize/3)},
	{"InvalidUTF8", strings.Repeat("\xff", hostileSize)},
}

// benchHostile runs f on every hostile input, reporting throughput so that
// ns/op divided by the size gives ns per byte.
func benchHostile(b *testing.B, f func(string)) {
	for _, in := range hostileInputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.text)))
			b.ReportAllocs()
			for b.Loop() {
				f(in.text)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(in.text)), "ns/byte")
		})
	}
}

func BenchmarkHostileAnalyze(b *testing.B) {
	benchHostile(b, func(s string) { sinkAnalysis = Analyze(s) })
}

func BenchmarkHostileAnalyzeCodePoints(b *testing.B) {
	benchHostile(b, func(s string) { sinkAnalysis = Analyze(s, WithCodePointBoundaries()) })
}

func BenchmarkHostileSplit(b *testing.B) {
	benchHostile(b, func(s string) { sinkParts = Split(s) })
}

func BenchmarkHostileSmartEncoding(b *testing.B) {
	benchHostile(b, func(s string) { sinkAnalysis = Analyze(s, WithSmartEncoding(), WithNFC()) })
}

func BenchmarkHostileNormalize(b *testing.B) {
	benchHostile(b, func(s string) { sinkText, _ = Normalize(s, WithSmartEncoding(), WithNFC(), WithAccentFold()) })
}

func BenchmarkHostileNationalLanguages(b *testing.B) {
	benchHostile(b, func(s string) { sinkAnalysis = Analyze(s, WithNationalLanguages(Turkish, Spanish, Portuguese)) })
}

func BenchmarkHostileEncode(b *testing.B) {
	benchHostile(b, func(s string) { sinkPDUs, sinkErr = Encode(s, 1) })
}

func BenchmarkHostileUCS2Chars(b *testing.B) {
	benchHostile(b, func(s string) { sinkChars = UCS2Chars(s) })
}

var (
	sinkText  string
	sinkPDUs  []PDU
	sinkErr   error
	sinkChars []Char
)
