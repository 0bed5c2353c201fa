package e164

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestValidIsIsValidNumber: Valid gives phonenumbers.IsValidNumber's answer
// for every region's example numbers of every type, its invalid examples,
// numbers with Italian leading zeros, and random numbers of every length
// in every calling code (most invalid, many valid).
func TestValidIsIsValidNumber(t *testing.T) {
	var numbers []*phonenumbers.PhoneNumber
	for region := range phonenumbers.GetSupportedRegions() {
		for _, typ := range []phonenumbers.PhoneNumberType{
			phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE,
			phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER, phonenumbers.PAGER,
			phonenumbers.UAN, phonenumbers.VOICEMAIL,
		} {
			if pn := phonenumbers.GetExampleNumberForType(region, typ); pn != nil {
				numbers = append(numbers, pn)
			}
		}
	}
	for cc := range phonenumbers.GetSupportedGlobalNetworkCallingCodes() {
		if pn := phonenumbers.GetExampleNumberForNonGeoEntity(cc); pn != nil {
			numbers = append(numbers, pn)
		}
	}
	for _, s := range []string{"+39 06 1234 5678", "+39 0612345678", "+39 333 123 4567", "+225 01 23 45 67 89", "+7 800 555 3535"} {
		pn, err := phonenumbers.Parse(s, "")
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		numbers = append(numbers, pn)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for cc := range phonenumbers.GetSupportedCallingCodes() {
		for length := 2; length <= 17; length++ {
			for range 40 {
				nn := uint64(r.IntN(9) + 1)
				for range length - 1 {
					nn = nn*10 + uint64(r.IntN(10))
				}
				c, v := int32(cc), nn
				pn := &phonenumbers.PhoneNumber{CountryCode: &c, NationalNumber: &v}
				if r.IntN(10) == 0 {
					zero, zeros := true, int32(1+r.IntN(2))
					pn.ItalianLeadingZero, pn.NumberOfLeadingZeros = &zero, &zeros
				}
				numbers = append(numbers, pn)
			}
		}
	}
	c, v := int32(999), uint64(1234567) // no such calling code
	numbers = append(numbers, &phonenumbers.PhoneNumber{CountryCode: &c, NationalNumber: &v})

	valid := 0
	for _, pn := range numbers {
		want := phonenumbers.IsValidNumber(pn)
		if got := Valid(pn); got != want {
			t.Fatalf("Valid(+%d %s, leading zeros %v) = %v, IsValidNumber says %v",
				pn.GetCountryCode(), strconv.FormatUint(pn.GetNationalNumber(), 10), pn.GetItalianLeadingZero(), got, want)
		}
		if want {
			valid++
		}
	}
	if valid < 2000 || len(numbers)-valid < 2000 {
		t.Fatalf("%d valid of %d: the comparison needs both kinds", valid, len(numbers))
	}
	t.Logf("%d numbers, %d valid", len(numbers), valid)
}

func BenchmarkValid(b *testing.B) {
	pn, err := phonenumbers.Parse("+14155550123", "")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("e164.Valid", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !Valid(pn) {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("phonenumbers.IsValidNumber", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !phonenumbers.IsValidNumber(pn) {
				b.Fatal("invalid")
			}
		}
	})
}
