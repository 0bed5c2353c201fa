package compliance

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// holidaysIn lists the days of year cal reports, as "01-02".
func holidaysIn(cal Holidays, year int) []string {
	var got []string
	for d := time.Date(year, 1, 1, 12, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
		if cal(d.Date()) {
			got = append(got, d.Format("01-02"))
		}
	}
	return got
}

func TestHolidayCalendars(t *testing.T) {
	tests := []struct {
		name string
		cal  Holidays
		year int
		want []string
	}{
		{"federal 2026: 4 July on a Saturday is kept Friday 3 July", FederalHolidays, 2026,
			[]string{"01-01", "01-19", "02-16", "05-25", "06-19", "07-03", "07-04", "09-07", "10-12", "11-11", "11-26", "12-25"}},
		{"federal 2021: New Year 2022 on a Saturday is kept 31 December", FederalHolidays, 2021,
			[]string{"01-01", "01-18", "02-15", "05-31", "06-18", "06-19", "07-04", "07-05", "09-06", "10-11", "11-11", "11-25", "12-24", "12-25", "12-31"}},
		{"Rhode Island 2026: state and federal, Victory Day, Election Day", StateHolidays("RI"), 2026,
			[]string{"01-01", "01-19", "02-16", "05-04", "05-25", "06-19", "07-03", "07-04", "07-06", "08-10", "09-07", "10-12", "11-03", "11-11", "11-26", "12-25"}},
		{"Rhode Island 2025: no state election", StateHolidays("RI"), 2025,
			[]string{"01-01", "01-20", "02-17", "05-04", "05-05", "05-26", "06-19", "07-04", "08-11", "09-01", "10-13", "11-11", "11-27", "12-25"}},
		{"Utah 2027: Pioneer Day, Good Friday, Easter, Juneteenth on a Saturday", StateHolidays("UT"), 2027,
			[]string{"01-01", "01-18", "02-15", "03-26", "03-28", "05-31", "06-19", "06-21", "07-04", "07-05", "07-23", "07-24", "09-06", "10-11", "11-11", "11-25", "12-24", "12-25", "12-31"}},
		{"Utah 2025: Juneteenth on a Thursday is kept Monday; no Good Friday yet", StateHolidays("UT"), 2025,
			[]string{"01-01", "01-20", "02-17", "04-20", "05-26", "06-16", "06-19", "07-04", "07-24", "09-01", "10-13", "11-11", "11-27", "12-25"}},
		{"Pennsylvania 2025: Good Friday, Flag Day, Election Day", StateHolidays("PA"), 2025,
			[]string{"01-01", "01-20", "02-17", "04-18", "05-26", "06-13", "06-14", "07-04", "09-01", "10-13", "11-04", "11-11", "11-27", "12-25"}},
		{"Alabama 2025: Mardi Gras, Confederate Memorial Day, Jefferson Davis", StateHolidays("AL"), 2025,
			[]string{"01-01", "01-20", "02-17", "03-04", "04-28", "05-26", "06-02", "07-04", "09-01", "10-13", "11-11", "11-27", "12-25"}},
		{"Louisiana 2025: Battle of New Orleans, Mardi Gras, Huey P. Long, All Saints'", StateHolidays("LA"), 2025,
			[]string{"01-01", "01-08", "01-20", "02-17", "03-04", "04-18", "05-26", "07-04", "08-29", "08-30", "09-01", "10-13", "10-31", "11-01", "11-11", "11-27", "12-25"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, holidaysIn(tt.cal, tt.year)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if StateHolidays("MS") != nil || StateHolidays("NY") != nil {
		t.Error("Mississippi (repealed) and New York have no holiday ban")
	}
}

func TestEaster(t *testing.T) {
	for _, tt := range []struct {
		year  int
		month time.Month
		day   int
	}{{2024, time.March, 31}, {2025, time.April, 20}, {2026, time.April, 5}, {2027, time.March, 28}, {2038, time.April, 25}, {2285, time.March, 22}} {
		if m, d := easter(tt.year); m != tt.month || d != tt.day {
			t.Errorf("easter(%d) = %v %d, want %v %d", tt.year, m, d, tt.month, tt.day)
		}
	}
}

// TestQuietHoursHolidayBoundaries checks the state rows at the edges of
// their windows, on observed holidays and on DST days, with explicit times.
func TestQuietHoursHolidayBoundaries(t *testing.T) {
	ny, chi, den := mustZone(t, "America/New_York"), mustZone(t, "America/Chicago"), mustZone(t, "America/Denver")
	q := QuietHours{Jurisdictions: DefaultJurisdictions()}
	at := func(loc *time.Location, y int, m time.Month, d, h, min, sec int) time.Time {
		return time.Date(y, m, d, h, min, sec, 0, loc)
	}
	us := func(state string, z *time.Location) Location {
		return Location{Region: "US", Subdivision: state, Zones: []*time.Location{z}}
	}
	tests := []struct {
		name     string
		loc      Location
		now      time.Time
		want     time.Time
		wantRule string
	}{
		// Rhode Island: Mon–Fri 9–18, Sat 10–17, no Sunday; state or federal holidays.
		{"RI weekday 08:59:59", us("RI", ny), at(ny, 2025, 6, 10, 8, 59, 59), at(ny, 2025, 6, 10, 9, 0, 0), "quiet.US-RI"},
		{"RI weekday 09:00", us("RI", ny), at(ny, 2025, 6, 10, 9, 0, 0), at(ny, 2025, 6, 10, 9, 0, 0), ""},
		{"RI weekday 17:59:59", us("RI", ny), at(ny, 2025, 6, 10, 17, 59, 59), at(ny, 2025, 6, 10, 17, 59, 59), ""},
		{"RI weekday 18:00", us("RI", ny), at(ny, 2025, 6, 10, 18, 0, 0), at(ny, 2025, 6, 11, 9, 0, 0), "quiet.US-RI"},
		{"RI Victory Day (2nd Monday of August)", us("RI", ny), at(ny, 2025, 8, 11, 12, 0, 0), at(ny, 2025, 8, 12, 9, 0, 0), "quiet.US-RI"},
		{"RI 4 July 2026 (Sat) kept Fri 3 July and Mon 6 July", us("RI", ny), at(ny, 2026, 7, 3, 12, 0, 0), at(ny, 2026, 7, 7, 9, 0, 0), "quiet.US-RI"},
		{"RI Election Day 2026", us("RI", ny), at(ny, 2026, 11, 3, 10, 0, 0), at(ny, 2026, 11, 4, 9, 0, 0), "quiet.US-RI"},
		{"RI Election Day 2025 (no state election) is open", us("RI", ny), at(ny, 2025, 11, 4, 10, 0, 0), at(ny, 2025, 11, 4, 10, 0, 0), ""},
		{"RI Juneteenth (federal)", us("RI", ny), at(ny, 2025, 6, 19, 10, 0, 0), at(ny, 2025, 6, 20, 9, 0, 0), "quiet.US-RI"},
		{"RI Saturday 16:59 open", us("RI", ny), at(ny, 2025, 6, 14, 16, 59, 0), at(ny, 2025, 6, 14, 16, 59, 0), ""},
		{"RI Saturday 17:00 waits for Monday", us("RI", ny), at(ny, 2025, 6, 14, 17, 0, 0), at(ny, 2025, 6, 16, 9, 0, 0), "quiet.US-RI"},
		// Utah: 8–21, no Sunday, legal holidays.
		{"UT Pioneer Day", us("UT", den), at(den, 2025, 7, 24, 12, 0, 0), at(den, 2025, 7, 25, 8, 0, 0), "quiet.US-UT"},
		{"UT Pioneer Day 2027 (Sat) kept Fri 23, then Sunday", us("UT", den), at(den, 2027, 7, 22, 21, 0, 0), at(den, 2027, 7, 26, 8, 0, 0), "quiet.US-UT"},
		{"UT Sunday closed", us("UT", den), at(den, 2025, 6, 8, 12, 0, 0), at(den, 2025, 6, 9, 8, 0, 0), "quiet.US-UT"},
		{"UT Sunday before an observed Juneteenth Monday", us("UT", den), at(den, 2025, 6, 15, 12, 0, 0), at(den, 2025, 6, 17, 8, 0, 0), "quiet.US-UT"},
		{"UT Saturday 20:59:59 open", us("UT", den), at(den, 2025, 6, 14, 20, 59, 59), at(den, 2025, 6, 14, 20, 59, 59), ""},
		{"UT Juneteenth kept the Monday before", us("UT", den), at(den, 2025, 6, 16, 9, 0, 0), at(den, 2025, 6, 17, 8, 0, 0), "quiet.US-UT"},
		// Pennsylvania: 8–21 every day, legal holidays; Sunday open.
		{"PA Good Friday", us("PA", ny), at(ny, 2025, 4, 18, 12, 0, 0), at(ny, 2025, 4, 19, 8, 0, 0), "quiet.US-PA"},
		{"PA Election Day", us("PA", ny), at(ny, 2025, 11, 4, 12, 0, 0), at(ny, 2025, 11, 5, 8, 0, 0), "quiet.US-PA"},
		{"PA Sunday open", us("PA", ny), at(ny, 2025, 6, 15, 12, 0, 0), at(ny, 2025, 6, 15, 12, 0, 0), ""},
		{"PA spring-forward Sunday 01:30 EST waits for 08:00 EDT", us("PA", ny), at(ny, 2025, 3, 9, 1, 30, 0), time.Date(2025, 3, 9, 12, 0, 0, 0, time.UTC), "quiet.US-PA"},
		{"PA fall-back Sunday 01:30 EDT waits for 08:00 EST", us("PA", ny), time.Date(2025, 11, 2, 5, 30, 0, 0, time.UTC), time.Date(2025, 11, 2, 13, 0, 0, 0, time.UTC), "quiet.US-PA"},
		{"PA fall-back Sunday 20:59 EST open", us("PA", ny), time.Date(2025, 11, 3, 1, 59, 0, 0, time.UTC), time.Date(2025, 11, 3, 1, 59, 0, 0, time.UTC), ""},
		{"PA fall-back Sunday 21:00 EST closed", us("PA", ny), time.Date(2025, 11, 3, 2, 0, 0, 0, time.UTC), time.Date(2025, 11, 3, 13, 0, 0, 0, time.UTC), "quiet.US-PA"},
		// Alabama and Louisiana: 8–20, no Sunday, state holidays.
		{"AL Mardi Gras", us("AL", chi), at(chi, 2025, 3, 4, 12, 0, 0), at(chi, 2025, 3, 5, 8, 0, 0), "quiet.US-AL"},
		{"AL Jefferson Davis' Birthday", us("AL", chi), at(chi, 2025, 6, 2, 7, 0, 0), at(chi, 2025, 6, 3, 8, 0, 0), "quiet.US-AL"},
		{"AL weekday 19:59:59 open", us("AL", chi), at(chi, 2025, 6, 3, 19, 59, 59), at(chi, 2025, 6, 3, 19, 59, 59), ""},
		{"AL weekday 20:00 closed", us("AL", chi), at(chi, 2025, 6, 3, 20, 0, 0), at(chi, 2025, 6, 4, 8, 0, 0), "quiet.US-AL"},
		{"LA Huey P. Long Day (Sat) kept Fri 29, then Sunday", us("LA", chi), at(chi, 2025, 8, 29, 12, 0, 0), at(chi, 2025, 9, 2, 8, 0, 0), "quiet.US-LA"},
		{"LA Battle of New Orleans", us("LA", chi), at(chi, 2025, 1, 8, 12, 0, 0), at(chi, 2025, 1, 9, 8, 0, 0), "quiet.US-LA"},
		// Mississippi: Sunday closed, holidays no longer.
		{"MS Christmas is open (holiday ban repealed)", us("MS", chi), at(chi, 2025, 12, 25, 12, 0, 0), at(chi, 2025, 12, 25, 12, 0, 0), ""},
		{"MS Sunday closed", us("MS", chi), at(chi, 2025, 12, 28, 12, 0, 0), at(chi, 2025, 12, 29, 8, 0, 0), "quiet.US-MS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rule, ok := q.Next(tt.loc, "", Marketing, tt.now)
			if !ok || !got.Equal(tt.want) || rule != tt.wantRule {
				t.Errorf("Next(%s) = %s %q %v, want %s %q", tt.now, got.In(tt.loc.Zones[0]), rule, ok, tt.want.In(tt.loc.Zones[0]), tt.wantRule)
			}
		})
	}
}

func TestPolicyHolidayReason(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	const providence = "+14015551234"
	now := time.Date(2025, 8, 11, 12, 0, 0, 0, ny) // Victory Day
	p := NewPolicy(WithBrand("Acme"))
	_ = p.ConsentStore().Append(t.Context(), optInRecord(providence, "", Marketing, now.Add(-48*time.Hour)))
	d := mustCheck(t, p, Request{To: providence, Kind: Marketing, Body: goodMarketing, Now: now})
	if d.Outcome != Defer {
		t.Fatalf("Victory Day marketing: %v %v", d.Outcome, d.Err())
	}
	text := d.Err().Error()
	for _, want := range []string{"quiet.US-RI", "R.I. Gen. Laws", "2025-08-11 is a holiday there", "2025-08-12T13:00:00Z"} {
		if !strings.Contains(text, want) {
			t.Errorf("reason %q lacks %q", text, want)
		}
	}
}
