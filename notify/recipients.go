package notify

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/heraldsms/herald/internal/e164"
)

// DefaultRegion is the region numbers without a country code are read in
// unless WithDefaultRegion says otherwise.
const DefaultRegion = "US"

// ParseRecipients splits the list a person types or pastes — numbers
// separated by commas, semicolons or newlines — into recipients, trimming
// spaces and dropping empty entries. Numbers are not checked here; Send
// and Plan normalise each one and report the bad ones.
func ParseRecipients(list string) []Recipient {
	var out []Recipient
	for len(list) > 0 {
		i := strings.IndexAny(list, ",;\n\r")
		var item string
		if i < 0 {
			item, list = list, ""
		} else {
			item, list = list[:i], list[i+1:]
		}
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, Recipient{To: item})
		}
	}
	return out
}

// NormalizeNumber returns number in E.164 form, reading a number without a
// country code in region (an ISO 3166-1 alpha-2 code such as "US"). It
// fails with a *NumberError matching ErrInvalidNumber when the number is
// not a valid phone number.
func NormalizeNumber(number, region string) (string, error) {
	z := &normalizer{region: region}
	return z.normalize(number)
}

// normalizer turns recipients into E.164. It reuses one PhoneNumber so a
// parse allocates only what phonenumbers itself needs.
type normalizer struct {
	region string
	pn     phonenumbers.PhoneNumber
	cc     int32  // pn's country code, when parseNANP filled it
	nn     uint64 // pn's national number, likewise
}

// normalize parses given into z's PhoneNumber and returns its E.164 form.
func (z *normalizer) normalize(given string) (string, error) {
	z.pn = phonenumbers.PhoneNumber{}
	pn := &z.pn
	s := strings.TrimSpace(given)
	if s == "" || len(s) > MaxNumberBytes {
		return "", &NumberError{Given: given, Err: ErrInvalidNumber}
	}
	if !z.parseNANP(s) {
		if err := phonenumbers.ParseToNumber(s, z.region, pn); err != nil {
			return "", &NumberError{Given: given, Err: ErrInvalidNumber, Cause: err}
		}
	}
	if !e164.Valid(pn) {
		return "", &NumberError{Given: given, Err: ErrInvalidNumber}
	}
	if isCanonicalE164(s, pn) {
		return s, nil
	}
	return phonenumbers.Format(pn, phonenumbers.E164), nil
}

// parseNANP fills z.pn from s when s is a bare North American number in
// E.164 ("+1" and ten digits, the first 2-9), exactly as
// phonenumbers.ParseToNumber would, and reports whether it did. Parse
// would find no extension, take 1 as the country code and strip no
// national prefix (the US prefix for parsing is "1", and the number does
// not start with it); its regular expressions for that are a third of a
// send's CPU. Any other input goes through Parse. Validity is then
// e164.Valid, IsValidNumber's answer without its garbage.
func (z *normalizer) parseNANP(s string) bool {
	if len(s) != 12 || s[0] != '+' || s[1] != '1' || s[2] < '2' || s[2] > '9' {
		return false
	}
	var v uint64
	for i := 2; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		v = v*10 + uint64(c-'0')
	}
	z.cc, z.nn = 1, v
	z.pn.CountryCode, z.pn.NationalNumber = &z.cc, &z.nn
	return true
}

// isCanonicalE164 reports whether s is already exactly the E.164 form of
// pn, so the formatted string need not be built.
func isCanonicalE164(s string, pn *phonenumbers.PhoneNumber) bool {
	if len(s) < 3 || s[0] != '+' || pn.GetItalianLeadingZero() {
		return false
	}
	var digits [20]byte
	n := 0
	for v := pn.GetNationalNumber(); v > 0 && n < len(digits); v /= 10 {
		digits[n] = byte('0' + v%10)
		n++
	}
	for v := pn.GetCountryCode(); v > 0 && n < len(digits); v /= 10 {
		digits[n] = byte('0' + v%10)
		n++
	}
	if len(s)-1 != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[1+i] != digits[n-1-i] {
			return false
		}
	}
	return true
}

// regionOf returns the ISO region of an E.164 number from its country
// calling code ("US" for +1, the main region of shared codes), or "".
func regionOf(e164 string) string {
	if len(e164) < 2 || e164[0] != '+' {
		return ""
	}
	cc := 0
	for i := 1; i < len(e164) && i <= 3; i++ {
		c := e164[i]
		if c < '0' || c > '9' {
			return ""
		}
		cc = cc*10 + int(c-'0')
		if r := phonenumbers.GetRegionCodeForCountryCode(cc); r != "" && r != "ZZ" {
			return r
		}
	}
	return ""
}
