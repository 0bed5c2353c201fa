package compliance

import "time"

// A holiday calendar is a table of holidayRule rows, one per holiday, each
// computed for the year (fixed dates, n-th weekdays, Easter-relative
// dates, Election Day), never listed by year. Calendar turns a table into
// a Holidays function.

// observance says which other day a holiday is kept on when it falls on a
// weekend. A calendar counts both the holiday itself and the day it is
// observed on as closed: the sources name the holiday, employers keep the
// observed day, and Herald errs toward not sending.
type observance uint8

const (
	observeNone         observance = iota
	observeFriMon                  // Saturday -> preceding Friday, Sunday -> following Monday (5 U.S.C. 6103(b), EO 11582)
	observeMon                     // Saturday or Sunday -> following Monday (R.I. Gen. Laws §25-1-1 for four holidays)
	observeSunMon                  // Sunday -> following Monday ("the day following", R.I. §25-1-1)
	observeUTJuneteenth            // Tue–Fri -> preceding Monday, Sat/Sun -> following Monday (Utah §63G-1-301)
)

// holidayRule is one holiday of a calendar.
type holidayRule struct {
	name    string
	date    func(year int) (time.Month, int)
	observe observance
	since   int  // first year it is a holiday; 0 for always
	even    bool // only in even years (state general elections)
}

// fixed is a holiday on the same date every year.
func fixed(m time.Month, d int) func(int) (time.Month, int) {
	return func(int) (time.Month, int) { return m, d }
}

// nth is the n-th weekday of a month; n = -1 is the last one.
func nth(n int, wd time.Weekday, m time.Month) func(int) (time.Month, int) {
	return func(y int) (time.Month, int) {
		if n < 0 {
			return m, lastWeekday(y, m, wd)
		}
		return m, nthWeekday(y, m, wd, n)
	}
}

// easterOffset is a day relative to Western Easter Sunday (Good Friday
// -2, Mardi Gras -47).
func easterOffset(days int) func(int) (time.Month, int) {
	return func(y int) (time.Month, int) {
		m, d := easter(y)
		t := time.Date(y, m, d+days, 12, 0, 0, 0, time.UTC)
		return t.Month(), t.Day()
	}
}

// electionDay is the Tuesday after the first Monday in November.
func electionDay(y int) (time.Month, int) {
	return time.November, nthWeekday(y, time.November, time.Monday, 1) + 1
}

// easter returns the date of Western (Gregorian) Easter Sunday, by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher).
func easter(y int) (time.Month, int) {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Month(month), day
}

// observed returns the day a holiday on (y, m, d) is kept on, and whether
// it differs from the holiday itself.
func observed(o observance, y int, m time.Month, d int) (time.Time, bool) {
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	shift := 0
	switch wd := t.Weekday(); o {
	case observeFriMon:
		if wd == time.Saturday {
			shift = -1
		} else if wd == time.Sunday {
			shift = 1
		}
	case observeMon:
		if wd == time.Saturday {
			shift = 2
		} else if wd == time.Sunday {
			shift = 1
		}
	case observeSunMon:
		if wd == time.Sunday {
			shift = 1
		}
	case observeUTJuneteenth:
		switch wd {
		case time.Saturday:
			shift = 2
		case time.Sunday:
			shift = 1
		case time.Monday:
		default:
			shift = -int(wd - time.Monday)
		}
	}
	return t.AddDate(0, 0, shift), shift != 0
}

// Calendar returns the Holidays function of a table of holiday rules.
func calendar(tables ...[]holidayRule) Holidays {
	var rules []holidayRule
	for _, t := range tables {
		rules = append(rules, t...)
	}
	return func(year int, month time.Month, day int) bool {
		// An observed day can fall in the year before or after its
		// holiday (New Year's Day on a Saturday is kept on 31 December).
		for y := year - 1; y <= year+1; y++ {
			for i := range rules {
				r := &rules[i]
				if (r.since != 0 && y < r.since) || (r.even && y%2 != 0) {
					continue
				}
				m, d := r.date(y)
				if y == year && m == month && d == day {
					return true
				}
				if o, moved := observed(r.observe, y, m, d); moved && o.Year() == year && o.Month() == month && o.Day() == day {
					return true
				}
			}
		}
		return false
	}
}

// federalHolidays are the legal public holidays of 5 U.S.C. 6103(a);
// Saturday ones are kept the Friday before (§6103(b)), Sunday ones the
// Monday after (Executive Order 11582 §3(a)).
var federalHolidays = []holidayRule{
	{name: "New Year's Day", date: fixed(time.January, 1), observe: observeFriMon},
	{name: "Birthday of Martin Luther King, Jr.", date: nth(3, time.Monday, time.January)},
	{name: "Washington's Birthday", date: nth(3, time.Monday, time.February)},
	{name: "Memorial Day", date: nth(-1, time.Monday, time.May)},
	{name: "Juneteenth National Independence Day", date: fixed(time.June, 19), observe: observeFriMon, since: 2021}, // Pub. L. 117-17
	{name: "Independence Day", date: fixed(time.July, 4), observe: observeFriMon},
	{name: "Labor Day", date: nth(1, time.Monday, time.September)},
	{name: "Columbus Day", date: nth(2, time.Monday, time.October)},
	{name: "Veterans Day", date: fixed(time.November, 11), observe: observeFriMon},
	{name: "Thanksgiving Day", date: nth(4, time.Thursday, time.November)},
	{name: "Christmas Day", date: fixed(time.December, 25), observe: observeFriMon},
}

// rhodeIslandHolidays are the state holidays of R.I. Gen. Laws §25-1-1
// (and the RI Secretary of State's list for Thanksgiving). New Year's, 4
// July, Veterans Day and Christmas on a weekend are kept the following
// Monday; any other holiday on a Sunday the day after.
var rhodeIslandHolidays = []holidayRule{
	{name: "New Year's Day", date: fixed(time.January, 1), observe: observeMon},
	{name: "Martin Luther King Jr. Day", date: nth(3, time.Monday, time.January)},
	{name: "Washington's Birthday", date: nth(3, time.Monday, time.February)},
	{name: "Rhode Island Independence Day", date: fixed(time.May, 4), observe: observeSunMon},
	{name: "Memorial Day", date: nth(-1, time.Monday, time.May)},
	{name: "Juneteenth", date: fixed(time.June, 19), observe: observeSunMon, since: 2024},
	{name: "Independence Day", date: fixed(time.July, 4), observe: observeMon},
	{name: "Victory Day", date: nth(2, time.Monday, time.August)},
	{name: "Labor Day", date: nth(1, time.Monday, time.September)},
	{name: "Columbus Day", date: nth(2, time.Monday, time.October)},
	{name: "Election Day", date: electionDay, even: true}, // years of the general state election
	{name: "Veterans Day", date: fixed(time.November, 11), observe: observeMon},
	{name: "Thanksgiving Day", date: nth(4, time.Thursday, time.November)},
	{name: "Christmas Day", date: fixed(time.December, 25), observe: observeMon},
}

// pennsylvaniaHolidays are the legal holidays on which 73 P.S.
// §2245(a)(10) forbids telephone solicitation, as dnc.com lists them (the
// statutory list, 44 P.S. §11, was not read; its weekend rule is unknown,
// so both neighbours of a weekend holiday are closed).
var pennsylvaniaHolidays = []holidayRule{
	{name: "New Year's Day", date: fixed(time.January, 1), observe: observeFriMon},
	{name: "Martin Luther King Jr. Day", date: nth(3, time.Monday, time.January)},
	{name: "Presidents' Day", date: nth(3, time.Monday, time.February)},
	{name: "Good Friday", date: easterOffset(-2)},
	{name: "Memorial Day", date: nth(-1, time.Monday, time.May)},
	{name: "Flag Day", date: fixed(time.June, 14), observe: observeFriMon},
	{name: "Independence Day", date: fixed(time.July, 4), observe: observeFriMon},
	{name: "Labor Day", date: nth(1, time.Monday, time.September)},
	{name: "Columbus Day", date: nth(2, time.Monday, time.October)},
	{name: "Election Day", date: electionDay},
	{name: "Veterans Day", date: fixed(time.November, 11), observe: observeFriMon},
	{name: "Thanksgiving Day", date: nth(4, time.Thursday, time.November)},
	{name: "Christmas Day", date: fixed(time.December, 25), observe: observeFriMon},
}

// utahHolidays are the legal holidays of Utah Code §63G-1-301 (version in
// force from 2026-05-06): five fixed dates kept on the Friday before or
// the Monday after a weekend, Juneteenth kept on a Monday, Good Friday
// (new in that version; applied from 2026) and Easter Sunday (Sundays are
// closed anyway).
var utahHolidays = []holidayRule{
	{name: "New Year's Day", date: fixed(time.January, 1), observe: observeFriMon},
	{name: "Martin Luther King Jr. Day", date: nth(3, time.Monday, time.January)},
	{name: "Presidents' Day", date: nth(3, time.Monday, time.February)},
	{name: "Good Friday", date: easterOffset(-2), since: 2026},
	{name: "Easter Sunday", date: easterOffset(0)},
	{name: "Memorial Day", date: nth(-1, time.Monday, time.May)},
	{name: "Juneteenth", date: fixed(time.June, 19), observe: observeUTJuneteenth},
	{name: "Independence Day", date: fixed(time.July, 4), observe: observeFriMon},
	{name: "Pioneer Day", date: fixed(time.July, 24), observe: observeFriMon},
	{name: "Labor Day", date: nth(1, time.Monday, time.September)},
	{name: "Columbus Day", date: nth(2, time.Monday, time.October)},
	{name: "Veterans Day", date: fixed(time.November, 11), observe: observeFriMon},
	{name: "Thanksgiving Day", date: nth(4, time.Thursday, time.November)},
	{name: "Christmas Day", date: fixed(time.December, 25), observe: observeFriMon},
}

// alabamaHolidays are the state holidays of Ala. Code §1-3-8 (Sunday ->
// Monday, Saturday -> Friday, §1-3-8(a)). Mardi Gras is a holiday only in
// Baldwin and Mobile counties; an area code cannot tell the county, so it
// is closed statewide.
var alabamaHolidays = []holidayRule{
	{name: "New Year's Day", date: fixed(time.January, 1), observe: observeFriMon},
	{name: "Robert E. Lee/Martin Luther King Jr. Birthday", date: nth(3, time.Monday, time.January)},
	{name: "George Washington/Thomas Jefferson Birthday", date: nth(3, time.Monday, time.February)},
	{name: "Mardi Gras (Baldwin and Mobile counties)", date: easterOffset(-47)},
	{name: "Confederate Memorial Day", date: nth(4, time.Monday, time.April)},
	{name: "National Memorial Day", date: nth(-1, time.Monday, time.May)},
	{name: "Jefferson Davis' Birthday", date: nth(1, time.Monday, time.June)},
	{name: "Independence Day", date: fixed(time.July, 4), observe: observeFriMon},
	{name: "Labor Day", date: nth(1, time.Monday, time.September)},
	{name: "Columbus Day and Fraternal Day", date: nth(2, time.Monday, time.October)},
	{name: "Veterans' Day", date: fixed(time.November, 11), observe: observeFriMon},
	{name: "Thanksgiving Day", date: nth(4, time.Thursday, time.November)},
	{name: "Christmas Day", date: fixed(time.December, 25), observe: observeFriMon},
}

// louisianaHolidays are the state holidays of La. R.S. 1:55(A)(1) (Sundays
// are closed by the window; Inauguration Day, kept only in Baton Rouge,
// is left out). The weekend rule was not read, so both neighbours of a
// weekend holiday are closed.
var louisianaHolidays = []holidayRule{
	{name: "New Year's Day", date: fixed(time.January, 1), observe: observeFriMon},
	{name: "Battle of New Orleans", date: fixed(time.January, 8), observe: observeFriMon},
	{name: "Martin Luther King Jr. Day", date: nth(3, time.Monday, time.January)},
	{name: "Washington's Birthday", date: nth(3, time.Monday, time.February)},
	{name: "Mardi Gras", date: easterOffset(-47)},
	{name: "Good Friday", date: easterOffset(-2)},
	{name: "Memorial Day", date: nth(-1, time.Monday, time.May)},
	{name: "Independence Day", date: fixed(time.July, 4), observe: observeFriMon},
	{name: "Huey P. Long Day", date: fixed(time.August, 30), observe: observeFriMon},
	{name: "Labor Day", date: nth(1, time.Monday, time.September)},
	{name: "Columbus Day", date: nth(2, time.Monday, time.October)},
	{name: "All Saints' Day", date: fixed(time.November, 1), observe: observeFriMon},
	{name: "Veterans Day", date: fixed(time.November, 11), observe: observeFriMon},
	{name: "Thanksgiving Day", date: nth(4, time.Thursday, time.November)},
	{name: "Christmas Day", date: fixed(time.December, 25), observe: observeFriMon},
}

// The calendars, built once.
var (
	federalCalendar      = calendar(federalHolidays)
	rhodeIslandCalendar  = calendar(rhodeIslandHolidays, federalHolidays) // "a state or federal holiday"
	pennsylvaniaCalendar = calendar(pennsylvaniaHolidays)
	utahCalendar         = calendar(utahHolidays)
	alabamaCalendar      = calendar(alabamaHolidays)
	louisianaCalendar    = calendar(louisianaHolidays)
)

// FederalHolidays reports the legal public holidays of 5 U.S.C. 6103(a)
// and the days they are observed on (Saturday -> Friday, Sunday ->
// Monday).
func FederalHolidays(year int, month time.Month, day int) bool {
	return federalCalendar(year, month, day)
}

// StateHolidays returns the holiday calendar Herald applies to a US
// state's quiet hours ("RI", "PA", "UT", "AL", "LA"), with observed
// dates, or nil for a state whose solicitation law names no holidays.
func StateHolidays(state string) Holidays {
	switch state {
	case "RI":
		return rhodeIslandCalendar
	case "PA":
		return pennsylvaniaCalendar
	case "UT":
		return utahCalendar
	case "AL":
		return alabamaCalendar
	case "LA":
		return louisianaCalendar
	}
	return nil
}
