package compliance

import (
	"fmt"
	"strconv"
	"time"
)

// SplitAreaCode is a North American area code (with its overlays) whose
// territory spans more than one time zone. The phone-number data answers
// such numbers at exchange level (NPA-NXX) from 2018 statistics, and not
// at all for overlays or exchanges opened since, so LocateNumber does not
// trust it: every zone the area code covers counts, and a send waits
// until the window is open in all of them.
type SplitAreaCode struct {
	// NPAs are the area code and its overlays ("850", "448").
	NPAs []string
	// Zones are the IANA zones of its territory.
	Zones []string
	// Where says which part is in which zone.
	Where string
	// Source and Confidence point back to the facts file
	// (zones-and-holidays.md §1): TZ is the tz database, LPN the
	// phone-number data, LV a vendor table, WP Wikipedia.
	Source, Confidence string
}

// splitAreaCodes is the maintained table (zones-and-holidays.md §1).
// Rows of confidence L are splits a vendor lists but no primary source
// confirms; they are kept because the most restrictive reading wins.
var splitAreaCodes = []SplitAreaCode{
	// United States.
	{[]string{"850", "448"}, []string{"America/Chicago", "America/New_York"}, "FL: Central west of the Apalachicola (Pensacola, Panama City); Eastern the rest (Tallahassee)", "TZ northamerica; LPN; WP-850/448", "H"},
	{[]string{"423"}, []string{"America/New_York", "America/Chicago"}, "TN: Central in Marion, Sequatchie, Bledsoe; Eastern Chattanooga, Tri-Cities", "LPN; TZ; WP-423", "H"},
	{[]string{"931"}, []string{"America/Chicago", "America/New_York"}, "TN: all LPN places Central; split unconfirmed", "LV; LPN", "L"},
	{[]string{"541", "458"}, []string{"America/Los_Angeles", "America/Boise"}, "OR: Mountain in northern Malheur Co. (Ontario, Nyssa, Vale)", "TZ northamerica; LPN; WP-541/458", "H"},
	{[]string{"208", "986"}, []string{"America/Boise", "America/Los_Angeles"}, "ID: Pacific in the panhandle and Idaho Co. north of the Salmon River; Mountain the rest", "TZ northamerica; LPN", "H"},
	{[]string{"812", "930"}, []string{"America/Indiana/Indianapolis", "America/Chicago", "America/Indiana/Tell_City"}, "IN: Central in Gibson, Posey, Spencer, Vanderburgh, Warrick, Perry; Eastern the rest", "TZ zone1970; LPN", "H"},
	{[]string{"219"}, []string{"America/Chicago", "America/Indiana/Indianapolis"}, "IN: Central in Lake, Porter, LaPorte, Jasper, Newton; Eastern Monon, Wolcott", "TZ; LPN", "H"},
	{[]string{"574"}, []string{"America/Indiana/Indianapolis", "America/Indiana/Winamac", "America/Indiana/Knox"}, "IN: Central in Starke Co.; Eastern the rest", "TZ zone1970; LPN", "H"},
	{[]string{"270", "364"}, []string{"America/Chicago", "America/Kentucky/Louisville"}, "KY: Central in the west; Eastern Elizabethtown, Radcliff, Campbellsville, Lebanon", "TZ; LPN", "H"},
	{[]string{"606"}, []string{"America/New_York", "America/Kentucky/Monticello", "America/Chicago"}, "KY: Central in Clinton Co. (Albany)", "TZ northamerica; LPN; WP-606", "H"},
	{[]string{"906"}, []string{"America/Detroit", "America/Menominee"}, "MI: Central in Gogebic, Iron, Dickinson, Menominee", "TZ zone1970; 49 CFR 71.5(a)", "H"},
	{[]string{"620"}, []string{"America/Chicago", "America/Denver"}, "KS: Mountain in Greeley, Hamilton", "TZ; LPN", "M"},
	{[]string{"785"}, []string{"America/Chicago", "America/Denver"}, "KS: Mountain in Sherman, Wallace", "TZ; LPN", "M"},
	{[]string{"308"}, []string{"America/Chicago", "America/Denver"}, "NE: Mountain in the panhandle and west", "TZ; LPN", "H"},
	{[]string{"402", "531"}, []string{"America/Chicago", "America/Denver"}, "NE: west Cherry Co. Mountain per a vendor; unconfirmed", "LV", "L"},
	{[]string{"605"}, []string{"America/Chicago", "America/Denver"}, "SD: Mountain West River (Rapid City); Central the east", "TZ; 49 CFR 71.7(b); LPN", "H"},
	{[]string{"701"}, []string{"America/Chicago", "America/Denver", "America/North_Dakota/Center", "America/North_Dakota/New_Salem", "America/North_Dakota/Beulah"}, "ND: Mountain in the southwest", "TZ zone1970; 49 CFR 71.7(a); LPN", "H"},
	{[]string{"915"}, []string{"America/Denver", "America/Chicago"}, "TX: Mountain El Paso, Hudspeth; any Central part unconfirmed", "TZ; WP-915; LV", "M"},
	{[]string{"432"}, []string{"America/Chicago", "America/Denver"}, "TX: Central per LPN; split unconfirmed", "LV; LPN", "L"},
	{[]string{"775"}, []string{"America/Los_Angeles", "America/Denver"}, "NV: Mountain in West Wendover, Jackpot, Owyhee", "TZ northamerica; LPN", "H"},
	{[]string{"928"}, []string{"America/Phoenix", "America/Denver"}, "AZ: the Navajo Nation keeps DST (Mountain); the rest MST all year", "TZ northamerica; LPN", "H"},
	{[]string{"907"}, []string{"America/Anchorage", "America/Juneau", "America/Sitka", "America/Metlakatla", "America/Yakutat", "America/Nome", "America/Adak"}, "AK: Hawaii-Aleutian west of 169.5°W (Adak); Alaska Time the rest (Unalaska too)", "TZ northamerica; LPN", "H"},
	{[]string{"334"}, []string{"America/Chicago", "America/New_York"}, "AL: Central officially; Phenix City, Lanett, Smiths Station, Valley keep Eastern", "TZ northamerica", "M"},
	// Canada.
	{[]string{"250", "236", "672", "778", "257"}, []string{"America/Vancouver", "America/Edmonton", "America/Creston", "America/Dawson_Creek", "America/Fort_Nelson"}, "BC: Mountain in East Kootenay; MST all year in Creston, Dawson Creek, Fort St John, Fort Nelson", "TZ zone1970, backward; LPN", "H"},
	{[]string{"306", "639", "474"}, []string{"America/Regina", "America/Swift_Current", "America/Edmonton", "America/Winnipeg"}, "SK: CST all year; Lloydminster on Alberta time; Creighton on Central unofficially", "TZ northamerica; LPN", "H"},
	{[]string{"807"}, []string{"America/Winnipeg", "America/Toronto", "America/Atikokan"}, "ON: Central in Kenora, Dryden, Fort Frances; Eastern Thunder Bay; EST all year Atikokan", "TZ zone1970, backward; LPN", "H"},
	{[]string{"418", "581", "367"}, []string{"America/Toronto", "America/Halifax", "America/Blanc-Sablon"}, "QC: Atlantic in Îles-de-la-Madeleine, Listuguj; AST all year east of Natashquan", "TZ northamerica; quebecmaritime.ca; WP-418", "H"},
	{[]string{"709", "879"}, []string{"America/St_Johns", "America/Goose_Bay"}, "NL: Newfoundland time on the island and SE Labrador; Atlantic the rest of Labrador", "TZ zone1970; LPN", "H"},
	{[]string{"867"}, []string{"America/Whitehorse", "America/Dawson", "America/Edmonton", "America/Inuvik", "America/Iqaluit", "America/Rankin_Inlet", "America/Resolute", "America/Cambridge_Bay", "America/Coral_Harbour"}, "YT, NT, NU: Yukon MST all year; NT Mountain; NU Eastern, Central, Mountain", "TZ zone1970; LPN", "H"},
}

// splitAreaCodeIndex maps an NPA to its row of splitAreaCodes.
var splitAreaCodeIndex = func() map[string]int {
	m := make(map[string]int)
	for i, r := range splitAreaCodes {
		for _, npa := range r.NPAs {
			m[npa] = i
		}
	}
	return m
}()

// SplitAreaCodes returns a copy of the table of North American area codes
// that span time zones.
func SplitAreaCodes() []SplitAreaCode {
	out := make([]SplitAreaCode, len(splitAreaCodes))
	for i, r := range splitAreaCodes {
		r.NPAs = append([]string(nil), r.NPAs...)
		r.Zones = append([]string(nil), r.Zones...)
		out[i] = r
	}
	return out
}

// splitAreaCodeOfNANP returns the split-area-code row of a number of
// country code 1 with a ten-digit national number, or nil.
func splitAreaCodeOfNANP(cc int32, national uint64) *SplitAreaCode {
	if cc != 1 || national < 1_000_000_000 || national > 9_999_999_999 {
		return nil
	}
	if i, ok := splitAreaCodeIndex[strconv.FormatUint(national/10_000_000, 10)]; ok {
		return &splitAreaCodes[i]
	}
	return nil
}

// splitZones loads the zones of a split area code.
func splitZones(number string, r *SplitAreaCode) ([]*time.Location, error) {
	zs := make([]*time.Location, 0, len(r.Zones))
	for _, name := range r.Zones {
		z, err := time.LoadLocation(name)
		if err != nil {
			return nil, fmt.Errorf("compliance: time zone %q of area code of %s: %w", name, MaskNumber(number), err)
		}
		zs = append(zs, z)
	}
	return zs, nil
}
