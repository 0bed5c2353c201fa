package notify

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/heraldsms/herald/internal/e164"
)

// FuzzNormalizeNumber: any input gives an E.164 number that parses back to
// itself and is valid, or a *NumberError matching ErrInvalidNumber whose
// text stays short whatever the input's length.
func FuzzNormalizeNumber(f *testing.F) {
	for _, s := range []string{"+14155552671", "(415) 555-2671", "415.555.2671", "+44 7911 123456", "tel:+14155552671",
		"", "+", "bogus", "+1 (415) 555-2671 ext. 9", "٤١٥٥٥٥٢٦٧١", "+99999999999999999", strings.Repeat("4", 300)} {
		f.Add(s, "US")
	}
	f.Add("07911 123456", "GB")
	f.Add("030 1234567", "DE")
	f.Fuzz(func(t *testing.T, number, region string) {
		got, err := NormalizeNumber(number, region)
		// The verdict is phonenumbers' own (the fast paths change only
		// how it is reached).
		if s := strings.TrimSpace(number); s != "" && len(s) <= MaxNumberBytes {
			var pn phonenumbers.PhoneNumber
			libValid := phonenumbers.ParseToNumber(s, region, &pn) == nil && phonenumbers.IsValidNumber(&pn)
			if libValid != (err == nil) {
				t.Fatalf("NormalizeNumber(%q, %q) error %v; phonenumbers says valid=%v", number, region, err, libValid)
			}
		}
		if err != nil {
			var ne *NumberError
			if !errors.As(err, &ne) || !errors.Is(err, ErrInvalidNumber) {
				t.Fatalf("NormalizeNumber(%q): error %v is not a *NumberError matching ErrInvalidNumber", number, err)
			}
			// Bounded whatever the input: at most MaxNumberBytes quoted,
			// each byte escaped in at most 4.
			if len(err.Error()) > 4*MaxNumberBytes+200 {
				t.Fatalf("error text of %d bytes for a %d-byte input", len(err.Error()), len(number))
			}
			return
		}
		if !e164.Shaped(got) {
			t.Fatalf("NormalizeNumber(%q) = %q, not E.164", number, got)
		}
		pn, perr := phonenumbers.Parse(got, "")
		if perr != nil || !phonenumbers.IsValidNumber(pn) || phonenumbers.Format(pn, phonenumbers.E164) != got {
			t.Fatalf("NormalizeNumber(%q) = %q does not parse back to itself (%v)", number, got, perr)
		}
		again, err := NormalizeNumber(got, region)
		if err != nil || again != got {
			t.Fatalf("normalising %q again gives %q, %v", got, again, err)
		}
	})
}

// FuzzParseRecipients: the list splits into trimmed, non-empty entries
// without separators, and joining them back loses only separators and
// spaces.
func FuzzParseRecipients(f *testing.F) {
	for _, s := range []string{"+14155552671, (415) 555-2672;\n+44 7911 123456", ",,;;\n", "", "a,b", " x \r\n y "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		var kept strings.Builder
		for _, r := range ParseRecipients(list) {
			if r.To == "" || r.To != strings.TrimSpace(r.To) || strings.ContainsAny(r.To, ",;\n\r") {
				t.Fatalf("entry %q of %q", r.To, list)
			}
			kept.WriteString(r.To)
		}
		strip := func(s string) string {
			return strings.Map(func(r rune) rune {
				if strings.ContainsRune(",;\n\r", r) || strings.TrimSpace(string(r)) == "" {
					return -1
				}
				return r
			}, s)
		}
		// (Invalid UTF-8 may re-join differently across a cut: compare
		// valid lists only.)
		if utf8.ValidString(list) && strip(kept.String()) != strip(list) {
			t.Fatalf("entries of %q lose more than separators and spaces", list)
		}
	})
}
