package e164

import (
	"regexp"
	"slices"
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// Valid reports whether pn is a valid number, exactly as
// phonenumbers.IsValidNumber does, from the same metadata. That function
// builds each pattern's string and looks it up in a locked cache on every
// call, matches each pattern twice, and finds the number's region by
// checking the number's type once more than it needs to: about 4 KB of
// garbage and most of a send's CPU. Valid compiles the patterns once.
func Valid(pn *phonenumbers.PhoneNumber) bool {
	t := tables()
	cc := int(pn.GetCountryCode())
	nsn := nationalSignificant(pn)
	regions := phonenumbers.GetRegionCodesForCountryCode(cc)
	switch len(regions) {
	case 0:
		return false
	case 1:
		r := t.region(cc, regions[0])
		return r != nil && r.valid(nsn)
	}
	// IsValidNumber first finds the region: the first in the calling
	// code's list whose leading digits match, or, for a region without
	// them, whose patterns the number matches (then it is valid there).
	for _, code := range regions {
		r := t.region(cc, code)
		if r == nil {
			continue
		}
		if r.leading != nil {
			if r.leading.MatchString(nsn) {
				return r.valid(nsn)
			}
		} else if r.valid(nsn) {
			return true
		}
	}
	return false
}

// nationalSignificant is phonenumbers.GetNationalSignificantNumber without
// its builder: the national number, after the Italian leading zeros.
func nationalSignificant(pn *phonenumbers.PhoneNumber) string {
	var buf [40]byte
	b := buf[:0]
	if pn.GetItalianLeadingZero() {
		for range min(int(pn.GetNumberOfLeadingZeros()), phonenumbers.MAX_LENGTH_FOR_NSN) {
			b = append(b, '0')
		}
	}
	return string(strconv.AppendUint(b, pn.GetNationalNumber(), 10))
}

// validTables is every region's compiled patterns.
type validTables struct {
	byRegion map[string]*regionPatterns // geographic regions
	byCode   map[int]*regionPatterns    // non-geographic calling codes ("001")
}

var tables = sync.OnceValue(func() *validTables {
	t := &validTables{byRegion: map[string]*regionPatterns{}, byCode: map[int]*regionPatterns{}}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		panic("e164: phonenumbers metadata: " + err.Error())
	}
	for _, md := range coll.GetMetadata() {
		r := compileRegion(md)
		if md.GetId() == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY {
			t.byCode[int(md.GetCountryCode())] = r
		} else {
			t.byRegion[md.GetId()] = r
		}
	}
	return t
})

// region returns the patterns IsValidNumberForRegion would use for code in
// calling code cc, or nil where it would find none (then the number is not
// valid there).
func (t *validTables) region(cc int, code string) *regionPatterns {
	if code == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY {
		return t.byCode[cc]
	}
	r := t.byRegion[code]
	if r == nil || r.cc != cc {
		return nil
	}
	return r
}

// regionPatterns is one region's metadata, compiled.
type regionPatterns struct {
	cc      int
	leading *regexp.Regexp // "^(?:leading digits)", nil when none
	general desc
	// types are the descriptions checked after the general one, in
	// getNumberTypeHelper's order, fixed line last but one and mobile last.
	types      []desc
	fixedLine  desc
	mobile     desc
	sameMobile bool // mobile and fixed-line patterns are the same
}

// desc is one number description: the lengths it allows and its pattern.
type desc struct {
	lengths []int32
	re      *regexp.Regexp // "^(?:pattern)$", nil when the pattern is empty
}

func compileDesc(d *phonenumbers.PhoneNumberDesc) desc {
	out := desc{lengths: d.GetPossibleLength()}
	if p := d.GetNationalNumberPattern(); p != "" {
		out.re = regexp.MustCompile("^(?:" + p + ")$")
	}
	return out
}

// matches is isNumberMatchingDesc: the length is one the description
// allows, and the pattern matches the whole number. An empty pattern
// matches only the empty number, which a parsed number never is.
func (d *desc) matches(nsn string) bool {
	if len(d.lengths) > 0 && !slices.Contains(d.lengths, int32(len(nsn))) {
		return false
	}
	if d.re == nil {
		return nsn == ""
	}
	return d.re.MatchString(nsn)
}

func compileRegion(md *phonenumbers.PhoneMetadata) *regionPatterns {
	r := &regionPatterns{
		cc:         int(md.GetCountryCode()),
		general:    compileDesc(md.GetGeneralDesc()),
		fixedLine:  compileDesc(md.GetFixedLine()),
		mobile:     compileDesc(md.GetMobile()),
		sameMobile: md.GetSameMobileAndFixedLinePattern(),
	}
	if ld := md.GetLeadingDigits(); ld != "" {
		r.leading = regexp.MustCompile("^(?:" + ld + ")")
	}
	for _, d := range []*phonenumbers.PhoneNumberDesc{
		md.GetPremiumRate(), md.GetTollFree(), md.GetSharedCost(), md.GetVoip(),
		md.GetPersonalNumber(), md.GetPager(), md.GetUan(), md.GetVoicemail(),
	} {
		r.types = append(r.types, compileDesc(d))
	}
	return r
}

// valid is getNumberTypeHelper(nsn) != UNKNOWN: the general description
// matches, and so does one of the types (mobile only when its pattern is
// not the fixed line's).
func (r *regionPatterns) valid(nsn string) bool {
	if !r.general.matches(nsn) {
		return false
	}
	for i := range r.types {
		if r.types[i].matches(nsn) {
			return true
		}
	}
	if r.fixedLine.matches(nsn) {
		return true
	}
	return !r.sameMobile && r.mobile.matches(nsn)
}
