package notify

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// nanpSamples returns n "+1" numbers with ten digits, the first 2-9 (the
// shape parseNANP takes), from a fixed seed, plus every NANP region's
// example numbers.
func nanpSamples(n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	var out []string
	for range n {
		out = append(out, fmt.Sprintf("+1%d%09d", 2+r.IntN(8), r.IntN(1_000_000_000)))
	}
	for _, region := range phonenumbers.GetRegionCodesForCountryCode(1) {
		for _, typ := range []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE, phonenumbers.VOIP} {
			if pn := phonenumbers.GetExampleNumberForType(region, typ); pn != nil {
				out = append(out, phonenumbers.Format(pn, phonenumbers.E164))
			}
		}
	}
	return out
}

// TestParseNANPIsParse: the fast path fills exactly the PhoneNumber that
// phonenumbers.ParseToNumber does, for random numbers of its shape (valid
// or not) and every NANP region's examples, in every default region.
func TestParseNANPIsParse(t *testing.T) {
	samples := nanpSamples(20000)
	for _, region := range []string{"US", "CA", "GB", ""} {
		var z normalizer
		for _, s := range samples {
			if !z.parseNANP(s) {
				t.Fatalf("parseNANP(%q) declined a number of its shape", s)
			}
			var want phonenumbers.PhoneNumber
			if err := phonenumbers.ParseToNumber(s, region, &want); err != nil {
				t.Fatalf("ParseToNumber(%q, %q): %v", s, region, err)
			}
			if got := &z.pn; got.String() != want.String() {
				t.Fatalf("parseNANP(%q) = %v, ParseToNumber in %q = %v", s, got, region, &want)
			}
		}
	}
}

// TestParseNANPDeclines: anything but the bare shape goes through Parse,
// which strips a national prefix, an extension or punctuation.
func TestParseNANPDeclines(t *testing.T) {
	for _, s := range []string{
		"+11234567890",    // starts with the national prefix 1
		"+10234567890",    // a leading zero
		"+1415555010",     // nine digits
		"+141555501000",   // eleven
		"+1 4155550100",   // punctuation
		"+1415555010x",    // not a digit
		"+14155550100 x9", // an extension
		"14155550100",     // no plus
		"+44 7911 123456", // another country
		"+447911123456",
	} {
		var z normalizer
		if z.parseNANP(s) {
			t.Errorf("parseNANP(%q) took it", s)
		}
	}
}

// TestNormalizeSameWithAndWithoutTheFastPath: the E.164 form and the
// validity verdict are those of the full parse.
func TestNormalizeSameWithAndWithoutTheFastPath(t *testing.T) {
	valid := 0
	for _, s := range nanpSamples(20000) {
		got, gotErr := NormalizeNumber(s, "US")
		var pn phonenumbers.PhoneNumber
		err := phonenumbers.ParseToNumber(s, "US", &pn)
		wantValid := err == nil && phonenumbers.IsValidNumber(&pn)
		if (gotErr == nil) != wantValid {
			t.Fatalf("NormalizeNumber(%q) error %v, full parse says valid=%v", s, gotErr, wantValid)
		}
		if wantValid {
			valid++
			if want := phonenumbers.Format(&pn, phonenumbers.E164); got != want {
				t.Fatalf("NormalizeNumber(%q) = %q, want %q", s, got, want)
			}
		}
	}
	if valid < 1000 {
		t.Fatalf("only %d of the samples were valid: the comparison is too thin", valid)
	}
}
