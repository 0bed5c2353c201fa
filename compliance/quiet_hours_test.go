package compliance

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestUSHolidays(t *testing.T) {
	var got []string
	for d := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC); d.Year() == 2025; d = d.AddDate(0, 0, 1) {
		if USHolidays(d.Date()) {
			got = append(got, d.Format("01-02"))
		}
	}
	want := []string{"01-01", "05-26", "07-04", "09-01", "11-27", "12-25"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("2025 holidays (-want +got):\n%s", diff)
	}
}

func TestQuietHoursNext(t *testing.T) {
	ny, la, chi := mustZone(t, "America/New_York"), mustZone(t, "America/Los_Angeles"), mustZone(t, "America/Chicago")
	tor, phx, tokyo := mustZone(t, "America/Toronto"), mustZone(t, "America/Phoenix"), mustZone(t, "Asia/Tokyo")
	q := QuietHours{Jurisdictions: DefaultJurisdictions()}
	us := func(state string, zones ...*time.Location) Location {
		return Location{Region: "US", Subdivision: state, Zones: zones}
	}
	at := func(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, loc)
	}
	tests := []struct {
		name     string
		loc      Location
		state    string
		kind     Kind
		now      time.Time
		want     time.Time
		wantRule string
	}{
		{"service inside window", us("NY", ny), "", Service, at(ny, 2025, 6, 10, 12, 0), at(ny, 2025, 6, 10, 12, 0), ""},
		{"service before 08:00", us("NY", ny), "", Service, at(ny, 2025, 6, 10, 7, 59), at(ny, 2025, 6, 10, 8, 0), "quiet.default"},
		{"service at 21:00 waits for tomorrow", us("NY", ny), "", Service, at(ny, 2025, 6, 10, 21, 0), at(ny, 2025, 6, 11, 8, 0), "quiet.default"},
		{"service at 20:59", us("NY", ny), "", Service, at(ny, 2025, 6, 10, 20, 59), at(ny, 2025, 6, 10, 20, 59), ""},
		{"federal marketing at 20:30", us("NY", ny), "", Marketing, at(ny, 2025, 6, 10, 20, 30), at(ny, 2025, 6, 10, 20, 30), ""},
		{"Florida marketing at 20:30", us("FL", ny), "", Marketing, at(ny, 2025, 6, 10, 20, 30), at(ny, 2025, 6, 11, 8, 0), "quiet.US-FL"},
		{"Florida service at 20:30 is not marketing", us("FL", ny), "", Service, at(ny, 2025, 6, 10, 20, 30), at(ny, 2025, 6, 10, 20, 30), ""},
		{"Florida address, New York area code", us("NY", ny), "FL", Marketing, at(ny, 2025, 6, 10, 20, 30), at(ny, 2025, 6, 11, 8, 0), "quiet.US-FL"},
		{"Oklahoma 20:00", us("OK", chi), "", Marketing, at(chi, 2025, 6, 10, 20, 0), at(chi, 2025, 6, 11, 8, 0), "quiet.US-OK"},
		{"Maryland 07:00", us("MD", ny), "", Marketing, at(ny, 2025, 6, 10, 7, 0), at(ny, 2025, 6, 10, 8, 0), "quiet.US-MD"},
		{"Texas weekday 08:30", us("TX", chi), "", Marketing, at(chi, 2025, 6, 10, 8, 30), at(chi, 2025, 6, 10, 9, 0), "quiet.US-TX"},
		{"Texas Sunday 10:00", us("TX", chi), "", Marketing, at(chi, 2025, 6, 15, 10, 0), at(chi, 2025, 6, 15, 12, 0), "quiet.US-TX"},
		{"Texas Saturday 21:00", us("TX", chi), "", Marketing, at(chi, 2025, 6, 14, 21, 0), at(chi, 2025, 6, 15, 12, 0), "quiet.US-TX"},
		{"Alabama Sunday closed", us("AL", chi), "", Marketing, at(chi, 2025, 6, 15, 12, 0), at(chi, 2025, 6, 16, 8, 0), "quiet.US-AL"},
		{"Alabama July 4th closed", us("AL", chi), "", Marketing, at(chi, 2025, 7, 4, 10, 0), at(chi, 2025, 7, 5, 8, 0), "quiet.US-AL"},
		{"Alabama service on July 4th", us("AL", chi), "", Service, at(chi, 2025, 7, 4, 10, 0), at(chi, 2025, 7, 4, 10, 0), ""},
		{"Rhode Island Saturday 09:30", us("RI", ny), "", Marketing, at(ny, 2025, 6, 14, 9, 30), at(ny, 2025, 6, 14, 10, 0), "quiet.US-RI"},
		{"Rhode Island Saturday 17:00 skips Sunday", us("RI", ny), "", Marketing, at(ny, 2025, 6, 14, 17, 0), at(ny, 2025, 6, 16, 9, 0), "quiet.US-RI"},
		{"Rhode Island Christmas", us("RI", ny), "", Marketing, at(ny, 2025, 12, 25, 11, 0), at(ny, 2025, 12, 26, 9, 0), "quiet.US-RI"},
		{"Connecticut 08:30", us("CT", ny), "", Marketing, at(ny, 2025, 6, 10, 8, 30), at(ny, 2025, 6, 10, 9, 0), "quiet.US-CT"},
		{"Kentucky 09:00", us("KY", ny), "", Marketing, at(ny, 2025, 6, 10, 9, 0), at(ny, 2025, 6, 10, 10, 0), "quiet.US-KY"},
		{"Nevada 20:00", us("NV", la), "", Marketing, at(la, 2025, 6, 10, 20, 0), at(la, 2025, 6, 11, 9, 0), "quiet.US-NV"},
		{"Utah Thanksgiving", us("UT", mustZone(t, "America/Denver")), "", Marketing, at(mustZone(t, "America/Denver"), 2025, 11, 27, 12, 0), at(mustZone(t, "America/Denver"), 2025, 11, 28, 8, 0), "quiet.US-UT"},
		{"Canada weekday 21:15", Location{Region: "CA", Subdivision: "ON", Zones: []*time.Location{tor}}, "", Marketing, at(tor, 2025, 6, 10, 21, 15), at(tor, 2025, 6, 10, 21, 15), ""},
		{"Canada Saturday 09:00", Location{Region: "CA", Subdivision: "ON", Zones: []*time.Location{tor}}, "", Marketing, at(tor, 2025, 6, 14, 9, 0), at(tor, 2025, 6, 14, 10, 0), "quiet.CA"},
		{"Canada Sunday 18:00", Location{Region: "CA", Subdivision: "ON", Zones: []*time.Location{tor}}, "", Marketing, at(tor, 2025, 6, 15, 18, 0), at(tor, 2025, 6, 16, 9, 0), "quiet.CA"},
		// Numbers whose zones disagree: allowed only when every zone is.
		{"split zones: east open, west not", us("", ny, la), "", Service, at(ny, 2025, 6, 10, 9, 0), at(ny, 2025, 6, 10, 11, 0), "quiet.default"},
		{"split zones: west open, east closed", us("", ny, la), "", Service, at(la, 2025, 6, 10, 18, 30), at(ny, 2025, 6, 11, 11, 0), "quiet.default"},
		{"split zones: both open", us("", ny, la), "", Service, at(ny, 2025, 6, 10, 12, 0), at(ny, 2025, 6, 10, 12, 0), ""},
		// DST: explicit instants around the changes in New York.
		{"spring forward night", us("NY", ny), "", Service, time.Date(2025, 3, 9, 3, 0, 0, 0, time.UTC), time.Date(2025, 3, 9, 12, 0, 0, 0, time.UTC), "quiet.default"},
		{"spring forward: 07:30 EDT", us("NY", ny), "", Service, time.Date(2025, 3, 9, 11, 30, 0, 0, time.UTC), time.Date(2025, 3, 9, 12, 0, 0, 0, time.UTC), "quiet.default"},
		{"fall back night", us("NY", ny), "", Service, time.Date(2025, 11, 2, 2, 0, 0, 0, time.UTC), time.Date(2025, 11, 2, 13, 0, 0, 0, time.UTC), "quiet.default"},
		{"fall back: 12:30Z is 07:30 EST", us("NY", ny), "", Service, time.Date(2025, 11, 2, 12, 30, 0, 0, time.UTC), time.Date(2025, 11, 2, 13, 0, 0, 0, time.UTC), "quiet.default"},
		{"Arizona keeps no DST", us("AZ", phx), "", Service, time.Date(2025, 7, 1, 14, 30, 0, 0, time.UTC), time.Date(2025, 7, 1, 15, 0, 0, 0, time.UTC), "quiet.default"},
		{"Arizona and Los Angeles in summer agree", us("", phx, la), "", Service, time.Date(2025, 7, 1, 15, 0, 0, 0, time.UTC), time.Date(2025, 7, 1, 15, 0, 0, 0, time.UTC), ""},
		{"Arizona and Los Angeles in winter differ", us("", phx, la), "", Service, time.Date(2025, 1, 7, 15, 0, 0, 0, time.UTC), time.Date(2025, 1, 7, 16, 0, 0, 0, time.UTC), "quiet.default"},
		{"unknown region gets the default window", Location{Region: "JP", Zones: []*time.Location{tokyo}}, "", Marketing, at(tokyo, 2025, 6, 10, 7, 0), at(tokyo, 2025, 6, 10, 8, 0), "quiet.default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rule, ok := q.Next(tt.loc, tt.state, tt.kind, tt.now)
			if !ok {
				t.Fatalf("Next: no window (rule %s)", rule)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Next(%v) = %v, want %v", tt.now, got, tt.want.In(got.Location()))
			}
			if rule != tt.wantRule {
				t.Errorf("rule = %q, want %q", rule, tt.wantRule)
			}
		})
	}
}

func TestQuietHoursNoCommonWindow(t *testing.T) {
	ny, tokyo := mustZone(t, "America/New_York"), mustZone(t, "Asia/Tokyo")
	q := QuietHours{Jurisdictions: []Jurisdiction{{ID: "narrow", Kinds: AllKinds, Window: daily(hm(10, 0, 12, 0))}}}
	if got, _, ok := q.Next(Location{Zones: []*time.Location{ny, tokyo}}, "", Service, time.Date(2025, 6, 10, 12, 0, 0, 0, time.UTC)); ok {
		t.Errorf("Next = %v, want no common window", got)
	}
	if _, rule, ok := q.Next(Location{}, "", Service, time.Now()); ok || rule != "quiet.no-zone" {
		t.Errorf("no zones: ok=%v rule=%q, want not ok, quiet.no-zone", ok, rule)
	}
	closedAll := QuietHours{Jurisdictions: []Jurisdiction{{ID: "closed", Kinds: AllKinds}}}
	if _, _, ok := closedAll.Next(Location{Zones: []*time.Location{ny}}, "", Service, time.Now()); ok {
		t.Error("a zero Window must never open")
	}
}

func TestLocateNumber(t *testing.T) {
	tests := []struct {
		number, region, sub string
		zones               []string
	}{
		{"+14155552671", "US", "CA", []string{"America/Los_Angeles"}},
		{"+13055551234", "US", "FL", []string{"America/New_York"}},
		{"+12145551234", "US", "TX", []string{"America/Chicago"}},
		{"+12065551234", "US", "WA", []string{"America/Los_Angeles"}},
		{"+12085551234", "US", "ID", []string{"America/Boise", "America/Los_Angeles"}},
		{"+14165551234", "CA", "ON", []string{"America/Toronto"}},
	}
	for _, tt := range tests {
		loc, err := LocateNumber(tt.number, nil)
		if err != nil {
			t.Fatalf("LocateNumber(%s): %v", tt.number, err)
		}
		var zones []string
		for _, z := range loc.Zones {
			zones = append(zones, z.String())
		}
		if loc.Region != tt.region || loc.Subdivision != tt.sub || !cmp.Equal(zones, tt.zones) {
			t.Errorf("LocateNumber(%s) = %s %s %v, want %s %s %v", tt.number, loc.Region, loc.Subdivision, zones, tt.region, tt.sub, tt.zones)
		}
	}
	if _, err := LocateNumber("+1", nil); err == nil {
		t.Error("LocateNumber(+1): want error")
	}
}
