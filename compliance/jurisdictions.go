package compliance

import "time"

// Jurisdiction is one row of the quiet-hours table: the local sending
// window a region imposes, and the per-recipient cap it sets, if any.
type Jurisdiction struct {
	// ID names the row: "US" (federal), "US-FL", "CA" (Canada), "default".
	ID string
	// Region is the ISO country code the row applies to.
	Region string
	// Subdivision is the state or province code ("FL"); "" for a whole
	// country.
	Subdivision string
	// Kinds is the set of kinds the row applies to.
	Kinds KindSet
	// Window is the allowed local sending time.
	Window Window
	// Fallback rows apply only when no other row applies to the send
	// (the "default" row: service messages anywhere, marketing outside the
	// regions the table knows).
	Fallback bool
	// Holidays is the row's own holiday calendar, used when
	// Window.ClosedOnHolidays is set (StateHolidays, FederalHolidays); nil
	// means the QuietHours calendar.
	Holidays Holidays
	// Cap is the per-recipient frequency cap of the row; zero for none.
	Cap Cap
	// Source and Confidence point back to the facts file.
	Source, Confidence string
}

// KindSet is a set of Kinds.
type KindSet uint8

// Kind sets for Jurisdiction.Kinds.
const (
	ServiceOnly   KindSet = 1 << Service
	MarketingOnly KindSet = 1 << Marketing
	AllKinds      KindSet = ServiceOnly | MarketingOnly
)

// Has reports whether k is in the set.
func (s KindSet) Has(k Kind) bool { return s&(1<<k) != 0 }

// hm builds Hours from whole hours and minutes.
func hm(fromH, fromM, toH, toM int) Hours {
	return Hours{From: int16(fromH*60 + fromM), To: int16(toH*60 + toM)}
}

// daily is the same window every day.
func daily(h Hours) Window { return Window{Days: [7]Hours{h, h, h, h, h, h, h}} }

// week builds a window from weekday, Saturday and Sunday hours.
func week(weekday, sat, sun Hours) Window {
	return Window{Days: [7]Hours{time.Sunday: sun, time.Monday: weekday, time.Tuesday: weekday,
		time.Wednesday: weekday, time.Thursday: weekday, time.Friday: weekday, time.Saturday: sat}}
}

// closed is a day with no sending.
var closed = Hours{}

// capPerTopic is the Florida/Oklahoma style cap: n marketing messages per
// 24 hours on the same subject (topic).
func capPerTopic(n int) Cap {
	return Cap{Name: "", Limit: n, Window: 24 * time.Hour, PerTopic: true, Kinds: MarketingOnly}
}

// DefaultJurisdictions returns the quiet-hours table from the facts files
// (compliance.md section 2, superseded in part by zones-and-holidays.md),
// as a fresh slice the caller may modify. Service messages obey only the
// "default" fallback row (08–21 local); the others apply to marketing, and
// the default row covers marketing to regions with no row. Where sources
// disagree the stricter window is used. Rows that close on holidays carry
// their state's calendar (StateHolidays), with observed dates and movable
// feasts computed for any year.
func DefaultJurisdictions() []Jurisdiction {
	j := []Jurisdiction{
		// Transactional texts fall outside the solicitation laws; 08–21
		// anyway (NW, JDS).
		{ID: "default", Kinds: AllKinds, Fallback: true, Window: daily(hm(8, 0, 21, 0)), Source: "NW, JDS", Confidence: "L"},
		// 47 CFR 64.1200(c)(1): no solicitation before 8 a.m. or after 9 p.m.
		{ID: "US", Region: "US", Kinds: MarketingOnly, Window: daily(hm(8, 0, 21, 0)), Source: "NW", Confidence: "H"},
		// Fla. Stat. §501.616(6): 8–20 in the called person's zone; 3 per
		// 24 h on the same subject (§501.616(6)(b)).
		{ID: "US-FL", Region: "US", Subdivision: "FL", Kinds: MarketingOnly, Window: daily(hm(8, 0, 20, 0)), Cap: capPerTopic(3), Source: "LC-FL, LS; Fla. Stat. 501.616(6)", Confidence: "H"},
		// 15 O.S. §775C.4 (2022): 8–20; 3 per 24 h (same subject per ClickPoint).
		{ID: "US-OK", Region: "US", Subdivision: "OK", Kinds: MarketingOnly, Window: daily(hm(8, 0, 20, 0)), Cap: capPerTopic(3), Source: "DNC-OK; 15 O.S. 775C.4", Confidence: "H"},
		// Md. Stop the Spam Calls Act (SB 90, Com. Law §14-4501 ff., eff.
		// 2024-01-01): 8–20; 3 calls or texts per 24 h about the same subject.
		{ID: "US-MD", Region: "US", Subdivision: "MD", Kinds: MarketingOnly, Window: daily(hm(8, 0, 20, 0)), Cap: capPerTopic(3), Source: "WMAR; Md. Com. Law 14-4501", Confidence: "M"},
		// Tex. Bus. & Com. Code §301.051 (texts by SB 140, eff. 2025-09-01):
		// 9–21, Sunday 12–21.
		{ID: "US-TX", Region: "US", Subdivision: "TX", Kinds: MarketingOnly, Window: week(hm(9, 0, 21, 0), hm(9, 0, 21, 0), hm(12, 0, 21, 0)), Source: "TX140, JDS; Tex. Bus. & Com. Code 301.051", Confidence: "H"},
		// RCW 19.158.040(2): 8–20 recipient's local time.
		{ID: "US-WA", Region: "US", Subdivision: "WA", Kinds: MarketingOnly, Window: daily(hm(8, 0, 20, 0)), Source: "RCW 19.158.040(2)", Confidence: "H"},
		// Conn. (2023 SB 1058): 9–20 (vendor tables say 9–20 or 9–21).
		{ID: "US-CT", Region: "US", Subdivision: "CT", Kinds: MarketingOnly, Window: daily(hm(9, 0, 20, 0)), Source: "DC, CPS", Confidence: "L"},
		// Ala. Admin. Code r. 770-X-5-.17(1)(b): 8–20, "no solicitation
		// calls ... on Sundays or holidays"; holidays of Ala. Code §1-3-8.
		{ID: "US-AL", Region: "US", Subdivision: "AL", Kinds: MarketingOnly, Window: withHolidays(week(hm(8, 0, 20, 0), hm(8, 0, 20, 0), closed)), Holidays: alabamaCalendar, Source: "Ala. Admin. Code r. 770-X-5-.17(1)(b); Ala. Code 1-3-8", Confidence: "M"},
		// La. R.S. 45:811(2)-(3): 8–20, none "on days declared to be a state
		// holiday, or Sundays"; holidays of La. R.S. 1:55(A)(1).
		{ID: "US-LA", Region: "US", Subdivision: "LA", Kinds: MarketingOnly, Window: withHolidays(week(hm(8, 0, 20, 0), hm(8, 0, 20, 0), closed)), Holidays: louisianaCalendar, Source: "La. R.S. 45:811; La. R.S. 1:55", Confidence: "H"},
		// Miss. Code §77-3-723(1): 8–20, none on Sunday. The holiday ban (PSC
		// rule 39 Miss. Admin. Code Pt. I R. 1:28) was repealed after 2023
		// HB 1225.
		{ID: "US-MS", Region: "US", Subdivision: "MS", Kinds: MarketingOnly, Window: week(hm(8, 0, 20, 0), hm(8, 0, 20, 0), closed), Source: "Miss. Code 77-3-723(1)", Confidence: "H"},
		// R.I. Gen. Laws §5-61-2(2), §5-61-3.6: Mon–Fri 9–18 "except a state
		// or federal holiday", Sat 10–17, no Sunday hours; holidays of
		// §25-1-1 and 5 U.S.C. 6103. Closed on a Saturday holiday too (the
		// stricter reading).
		{ID: "US-RI", Region: "US", Subdivision: "RI", Kinds: MarketingOnly, Window: withHolidays(week(hm(9, 0, 18, 0), hm(10, 0, 17, 0), closed)), Holidays: rhodeIslandCalendar, Source: "R.I. Gen. Laws 5-61-2(2), 5-61-3.6, 25-1-1; 5 U.S.C. 6103", Confidence: "H"},
		{ID: "US-KY", Region: "US", Subdivision: "KY", Kinds: MarketingOnly, Window: daily(hm(10, 0, 21, 0)), Source: "DC", Confidence: "M"},
		{ID: "US-MI", Region: "US", Subdivision: "MI", Kinds: MarketingOnly, Window: daily(hm(9, 0, 21, 0)), Source: "DC", Confidence: "M"},
		{ID: "US-MN", Region: "US", Subdivision: "MN", Kinds: MarketingOnly, Window: daily(hm(9, 0, 21, 0)), Source: "DC", Confidence: "M"},
		// N.M. Stat. §57-12-22(B)(5): 9–21.
		{ID: "US-NM", Region: "US", Subdivision: "NM", Kinds: MarketingOnly, Window: daily(hm(9, 0, 21, 0)), Source: "NMSA 57-12-22(B)(5)", Confidence: "M"},
		{ID: "US-NV", Region: "US", Subdivision: "NV", Kinds: MarketingOnly, Window: daily(hm(9, 0, 20, 0)), Source: "DC", Confidence: "M"},
		{ID: "US-MA", Region: "US", Subdivision: "MA", Kinds: MarketingOnly, Window: daily(hm(8, 0, 20, 0)), Source: "DC", Confidence: "M"},
		// 73 P.S. §2245(a)(1), (a)(10) (Act 73 of 2019): 8–21, none on a
		// legal holiday.
		{ID: "US-PA", Region: "US", Subdivision: "PA", Kinds: MarketingOnly, Window: withHolidays(daily(hm(8, 0, 21, 0))), Holidays: pennsylvaniaCalendar, Source: "73 P.S. 2245(a)(1),(a)(10)", Confidence: "H"},
		// Utah Code §13-25a-103(3): 8–21, not on Sunday or a legal holiday
		// (§63G-1-301, incl. Pioneer Day).
		{ID: "US-UT", Region: "US", Subdivision: "UT", Kinds: MarketingOnly, Window: withHolidays(week(hm(8, 0, 21, 0), hm(8, 0, 21, 0), closed)), Holidays: utahCalendar, Source: "Utah Code 13-25a-103(3); 63G-1-301", Confidence: "H"},
		// CRTC Unsolicited Telecommunications Rules: 9–21:30 weekdays, 10–18
		// weekends.
		{ID: "CA", Region: "CA", Kinds: MarketingOnly, Window: week(hm(9, 0, 21, 30), hm(10, 0, 18, 0), hm(10, 0, 18, 0)), Source: "CRTC", Confidence: "H"},
	}
	for i := range j {
		if j[i].Cap.Limit > 0 && j[i].Cap.Name == "" {
			j[i].Cap.Name = "cap." + j[i].ID
		}
	}
	return j
}

// withHolidays closes a window on holidays.
func withHolidays(w Window) Window {
	w.ClosedOnHolidays = true
	return w
}

// usStateNames maps the state names GetGeocodingForNumber returns to
// their postal codes. City results ("San Francisco, CA") carry the code
// after the comma instead.
var usStateNames = map[string]string{
	"Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
	"Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA",
	"Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA",
	"Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD",
	"Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO",
	"Montana": "MT", "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ",
	"New Mexico": "NM", "New York": "NY", "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH",
	"Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC",
	"South Dakota": "SD", "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT",
	"Virginia": "VA", "Washington": "WA", "Washington State": "WA", "West Virginia": "WV", "Wisconsin": "WI",
	"Wyoming": "WY", "Washington D.C.": "DC", "Washington DC": "DC", "District of Columbia": "DC",
}

// caProvinceNames maps Canadian province names to their codes.
var caProvinceNames = map[string]string{
	"Alberta": "AB", "British Columbia": "BC", "Manitoba": "MB", "New Brunswick": "NB",
	"Newfoundland and Labrador": "NL", "Nova Scotia": "NS", "Ontario": "ON", "Prince Edward Island": "PE",
	"Quebec": "QC", "Québec": "QC", "Saskatchewan": "SK", "Northwest Territories": "NT", "Nunavut": "NU", "Yukon": "YT",
}
