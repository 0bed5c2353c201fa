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

// DefaultJurisdictions returns the quiet-hours table from the facts file
// (section 2), as a fresh slice the caller may modify. Service messages
// obey only the "default" fallback row (08–21 local); the others apply to
// marketing, and the default row covers marketing to regions with no row. Where sources disagree the stricter window is used.
func DefaultJurisdictions() []Jurisdiction {
	j := []Jurisdiction{
		{ID: "default", Kinds: AllKinds, Fallback: true, Window: daily(hm(8, 0, 21, 0)), Source: "NW, JDS", Confidence: "L"},
		{ID: "US", Region: "US", Kinds: MarketingOnly, Window: daily(hm(8, 0, 21, 0)), Source: "NW", Confidence: "H"},
		{ID: "US-FL", Region: "US", Subdivision: "FL", Kinds: MarketingOnly, Window: daily(hm(8, 0, 20, 0)), Cap: capPerTopic(3), Source: "LC-FL, LS", Confidence: "H"},
		{ID: "US-OK", Region: "US", Subdivision: "OK", Kinds: MarketingOnly, Window: daily(hm(8, 0, 20, 0)), Cap: capPerTopic(3), Source: "DNC-OK", Confidence: "H"},
		{ID: "US-MD", Region: "US", Subdivision: "MD", Kinds: MarketingOnly, Window: daily(hm(8, 0, 20, 0)),
			Cap: Cap{Limit: 3, Window: 24 * time.Hour, Kinds: MarketingOnly}, Source: "WMAR", Confidence: "H"},
		{ID: "US-TX", Region: "US", Subdivision: "TX", Kinds: MarketingOnly, Window: week(hm(9, 0, 21, 0), hm(9, 0, 21, 0), hm(12, 0, 21, 0)), Source: "TX140, JDS", Confidence: "H"},
		{ID: "US-WA", Region: "US", Subdivision: "WA", Kinds: MarketingOnly, Window: daily(hm(8, 0, 20, 0)), Source: "DC", Confidence: "L"},
		{ID: "US-CT", Region: "US", Subdivision: "CT", Kinds: MarketingOnly, Window: daily(hm(9, 0, 20, 0)), Source: "DC, CPS", Confidence: "L"},
		{ID: "US-AL", Region: "US", Subdivision: "AL", Kinds: MarketingOnly, Window: withHolidays(week(hm(8, 0, 20, 0), hm(8, 0, 20, 0), closed)), Source: "DC", Confidence: "M"},
		{ID: "US-LA", Region: "US", Subdivision: "LA", Kinds: MarketingOnly, Window: withHolidays(week(hm(8, 0, 20, 0), hm(8, 0, 20, 0), closed)), Source: "DC", Confidence: "M"},
		{ID: "US-MS", Region: "US", Subdivision: "MS", Kinds: MarketingOnly, Window: withHolidays(week(hm(8, 0, 20, 0), hm(8, 0, 20, 0), closed)), Source: "DC, G2", Confidence: "M"},
		{ID: "US-RI", Region: "US", Subdivision: "RI", Kinds: MarketingOnly, Window: withHolidays(week(hm(9, 0, 18, 0), hm(10, 0, 17, 0), closed)), Source: "DC, DNC-H", Confidence: "M"},
		{ID: "US-KY", Region: "US", Subdivision: "KY", Kinds: MarketingOnly, Window: daily(hm(10, 0, 21, 0)), Source: "DC", Confidence: "M"},
		{ID: "US-MI", Region: "US", Subdivision: "MI", Kinds: MarketingOnly, Window: daily(hm(9, 0, 21, 0)), Source: "DC", Confidence: "M"},
		{ID: "US-MN", Region: "US", Subdivision: "MN", Kinds: MarketingOnly, Window: daily(hm(9, 0, 21, 0)), Source: "DC", Confidence: "M"},
		{ID: "US-NM", Region: "US", Subdivision: "NM", Kinds: MarketingOnly, Window: daily(hm(9, 0, 21, 0)), Source: "DC", Confidence: "M"},
		{ID: "US-NV", Region: "US", Subdivision: "NV", Kinds: MarketingOnly, Window: daily(hm(9, 0, 20, 0)), Source: "DC", Confidence: "M"},
		{ID: "US-MA", Region: "US", Subdivision: "MA", Kinds: MarketingOnly, Window: daily(hm(8, 0, 20, 0)), Source: "DC", Confidence: "M"},
		{ID: "US-PA", Region: "US", Subdivision: "PA", Kinds: MarketingOnly, Window: withHolidays(daily(hm(8, 0, 21, 0))), Source: "G2, DNC-H", Confidence: "L"},
		{ID: "US-UT", Region: "US", Subdivision: "UT", Kinds: MarketingOnly, Window: withHolidays(daily(hm(8, 0, 21, 0))), Source: "G2, DNC-H", Confidence: "L"},
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
