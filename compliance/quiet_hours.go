package compliance

import (
	"strings"
	"time"
)

// Hours is a daily local window [From, To) in minutes after midnight.
// From >= To (the zero value) means closed all day; To may be 24*60.
type Hours struct{ From, To int16 }

// Open reports whether the day has any sending time.
func (h Hours) Open() bool { return h.From < h.To }

// Window is a weekly local sending window. The zero value is closed every
// day.
type Window struct {
	// Days holds the hours of each weekday, indexed by time.Weekday.
	Days [7]Hours
	// ClosedOnHolidays closes the window on the days Holidays reports.
	ClosedOnHolidays bool
}

// Holidays reports whether a local date is a holiday.
type Holidays func(year int, month time.Month, day int) bool

// USHolidays reports six holidays every US list has: New Year's Day,
// Memorial Day, Independence Day, Labor Day, Thanksgiving and Christmas
// (DNC-H, G2; confidence L). It is the calendar of rows that close on
// holidays but carry no calendar of their own; the default rows carry
// their state's full calendar (StateHolidays).
func USHolidays(year int, month time.Month, day int) bool {
	switch month {
	case time.January:
		return day == 1
	case time.May:
		return day == lastWeekday(year, time.May, time.Monday)
	case time.July:
		return day == 4
	case time.September:
		return day == nthWeekday(year, time.September, time.Monday, 1)
	case time.November:
		return day == nthWeekday(year, time.November, time.Thursday, 4)
	case time.December:
		return day == 25
	}
	return false
}

// nthWeekday returns the day of month of the n-th wd of the month.
func nthWeekday(year int, month time.Month, wd time.Weekday, n int) int {
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC).Weekday()
	return 1 + (int(wd-first)+7)%7 + 7*(n-1)
}

// lastWeekday returns the day of month of the last wd of the month.
func lastWeekday(year int, month time.Month, wd time.Weekday) int {
	last := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC)
	return last.Day() - (int(last.Weekday()-wd)+7)%7
}

// maxScanDays bounds how far ahead a window looks for an opening.
const maxScanDays = 15

// Next returns t when t is inside the window in loc, otherwise the start
// of the next opening; ok is false when the window never opens.
func (w Window) Next(t time.Time, loc *time.Location, hol Holidays) (next time.Time, ok bool) {
	lt := t.In(loc)
	// Fast path: the local wall clock is inside today's hours.
	if h := w.Days[lt.Weekday()]; h.Open() {
		hh, mm, _ := lt.Clock()
		if min := int16(hh*60 + mm); h.From <= min && min < h.To && (!w.ClosedOnHolidays || hol == nil || !hol(lt.Date())) {
			return t, true
		}
	}
	y, m, d := lt.Date()
	for i := 0; i < maxScanDays; i++ {
		noon := time.Date(y, m, d+i, 12, 0, 0, 0, loc)
		h := w.Days[noon.Weekday()]
		if !h.Open() {
			continue
		}
		if w.ClosedOnHolidays && hol != nil && hol(noon.Date()) {
			continue
		}
		end := time.Date(y, m, d+i, int(h.To)/60, int(h.To)%60, 0, 0, loc)
		if !t.Before(end) {
			continue
		}
		start := time.Date(y, m, d+i, int(h.From)/60, int(h.From)%60, 0, 0, loc)
		if t.Before(start) {
			return start, true
		}
		return t, true
	}
	return time.Time{}, false
}

// Location is where a number rings, as far as the numbering plan tells.
type Location struct {
	// Region is the ISO country code ("US").
	Region string
	// Subdivision is the state or province of the area code ("FL").
	Subdivision string
	// Zones are every time zone the number may be in; a number whose zones
	// disagree is sent to only when every zone allows it.
	Zones []*time.Location
}

// QuietHours is the quiet-hours rule set: a jurisdiction table and a
// holiday calendar. Its methods are pure functions of time.
type QuietHours struct {
	// Jurisdictions is the table, usually DefaultJurisdictions() with host
	// changes.
	Jurisdictions []Jurisdiction
	// Holidays is the calendar for windows closed on holidays of rows
	// that have no calendar of their own (Jurisdiction.Holidays); nil
	// means USHolidays.
	Holidays Holidays
}

// applies reports whether row j governs a send of kind to loc; state is an
// extra known address state ("" when unknown).
func (j *Jurisdiction) applies(loc *Location, state string, kind Kind) bool {
	if !j.Kinds.Has(kind) {
		return false
	}
	if j.Region != "" && j.Region != loc.Region {
		return false
	}
	return j.Subdivision == "" || j.Subdivision == loc.Subdivision || j.Subdivision == state
}

// calendar returns the holiday calendar of row j: its own, else the
// table's, else USHolidays.
func (q *QuietHours) calendar(j *Jurisdiction) Holidays {
	switch {
	case !j.Window.ClosedOnHolidays:
		return nil
	case j.Holidays != nil:
		return j.Holidays
	case q.Holidays != nil:
		return q.Holidays
	}
	return USHolidays
}

// explain names the law behind rule ("quiet.US-RI") and says when the
// local date is one of its holidays, for a Reason's text.
func (q *QuietHours) explain(rule string, loc *Location, now time.Time) string {
	id := strings.TrimPrefix(rule, "quiet.")
	for i := range q.Jurisdictions {
		j := &q.Jurisdictions[i]
		if j.ID != id {
			continue
		}
		s := ""
		if j.Source != "" {
			s = "; " + j.Source
		}
		if hol := q.calendar(j); hol != nil {
			for _, z := range loc.Zones {
				if hol(now.In(z).Date()) {
					return s + "; " + now.In(z).Format(time.DateOnly) + " is a holiday there"
				}
			}
		}
		return s
	}
	return ""
}

// maxRounds bounds the search for a time every zone and row allows.
const maxRounds = 64

// rows returns the indexes of the rows that govern a send of kind to loc:
// every applicable row, fallback rows only when nothing else applies.
func (q *QuietHours) rows(loc *Location, state string, kind Kind) []int16 {
	var out []int16
	for i := range q.Jurisdictions {
		j := &q.Jurisdictions[i]
		if !j.Fallback && j.applies(loc, state, kind) {
			out = append(out, int16(i))
		}
	}
	if len(out) == 0 {
		for i := range q.Jurisdictions {
			j := &q.Jurisdictions[i]
			if j.Fallback && j.applies(loc, state, kind) {
				out = append(out, int16(i))
			}
		}
	}
	return out
}

// Next returns now when every applicable window allows a send of kind to
// loc in each of its zones, otherwise the earliest later time that does.
// rule names the row that holds the send longest ("quiet.US-FL"; the more
// specific row on a tie), "" when now is allowed. ok is false when no
// common opening exists within two weeks (for example zones too far
// apart), or when loc has no zones. state is a known address state that
// applies in addition to the area code's, as Florida and Oklahoma require
// ("" when unknown).
//
// A kind the package does not define has no window: ok is false and rule
// is "quiet.unknown-kind".
func (q *QuietHours) Next(loc Location, state string, kind Kind, now time.Time) (next time.Time, rule string, ok bool) {
	if !kind.Valid() {
		return time.Time{}, "quiet.unknown-kind", false
	}
	return q.next(&loc, q.rows(&loc, state, kind), now)
}

// next is Next over precomputed rows.
func (q *QuietHours) next(loc *Location, rows []int16, now time.Time) (next time.Time, rule string, ok bool) {
	if len(loc.Zones) == 0 {
		return time.Time{}, "quiet.no-zone", false
	}
	t := now
	for round := 0; round < maxRounds; round++ {
		changed := false
		for _, ri := range rows {
			j := &q.Jurisdictions[ri]
			hol := q.calendar(j)
			for _, z := range loc.Zones {
				nt, open := j.Window.Next(t, z, hol)
				if !open || nt.Sub(now) > maxScanDays*24*time.Hour {
					return time.Time{}, "quiet." + j.ID, false
				}
				if nt.After(t) {
					t, changed = nt, true
				}
			}
		}
		if !changed {
			if t.Equal(now) {
				return t, "", true
			}
			return t, q.blame(loc, rows, now), true
		}
	}
	return time.Time{}, "quiet.no-common-window", false
}

// blame names the row that holds a send at now the longest; later rows
// in the table are more specific and win ties.
func (q *QuietHours) blame(loc *Location, rows []int16, now time.Time) string {
	var worst time.Time
	id := ""
	for _, ri := range rows {
		j := &q.Jurisdictions[ri]
		hol := q.calendar(j)
		for _, z := range loc.Zones {
			nt, _ := j.Window.Next(now, z, hol)
			if nt.After(now) && !nt.Before(worst) {
				worst, id = nt, j.ID
			}
		}
	}
	return "quiet." + id
}
