package compliance

import (
	"strings"
	"testing"
	"time"
)

func TestSplitAreaCodeTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range SplitAreaCodes() {
		if len(r.Zones) < 2 || r.Source == "" || r.Where == "" || r.Confidence == "" {
			t.Errorf("row %v: needs two or more zones, a place description, a source and a confidence", r.NPAs)
		}
		for _, npa := range r.NPAs {
			if len(npa) != 3 || seen[npa] {
				t.Errorf("NPA %q malformed or listed twice", npa)
			}
			seen[npa] = true
		}
		for _, z := range r.Zones {
			if _, err := time.LoadLocation(z); err != nil {
				t.Errorf("row %v: zone %q: %v", r.NPAs, z, err)
			}
		}
	}
	// The facts file's list (zones-and-holidays.md §1), overlays included.
	for _, npa := range []string{"850", "448", "423", "541", "458", "208", "986", "812", "930", "219", "574", "270", "364", "606", "906",
		"620", "785", "308", "605", "701", "915", "775", "928", "907", "250", "236", "778", "306", "639", "474", "807", "418", "581", "709", "879", "867"} {
		if !seen[npa] {
			t.Errorf("split area code %s missing from the table", npa)
		}
	}
}

func TestLocateSplitAreaCode(t *testing.T) {
	tests := []struct {
		number string
		zones  []string
	}{
		// Tallahassee exchange (Eastern in the data) and Pensacola exchange
		// (Central in the data): both zones either way.
		{"+18502221234", []string{"America/Chicago", "America/New_York"}},
		{"+18504341234", []string{"America/Chicago", "America/New_York"}},
		// The 448 overlay has no exchange data at all.
		{"+14482221234", []string{"America/Chicago", "America/New_York"}},
		// Chattanooga: the data's base zone for 423 is Central.
		{"+14232651234", []string{"America/New_York", "America/Chicago"}},
		{"+19282221234", []string{"America/Phoenix", "America/Denver"}},
		// Not split: the phone-number data's one zone.
		{"+14155552671", []string{"America/Los_Angeles"}},
	}
	for _, tt := range tests {
		loc, err := LocateNumber(tt.number, nil)
		if err != nil {
			t.Fatalf("LocateNumber(%s): %v", tt.number, err)
		}
		var got []string
		for _, z := range loc.Zones {
			got = append(got, z.String())
		}
		if strings.Join(got, ",") != strings.Join(tt.zones, ",") {
			t.Errorf("LocateNumber(%s) zones = %v, want %v", tt.number, got, tt.zones)
		}
	}
}

// TestPolicySplitAreaCode: a number in a split area code waits until the
// window is open in every zone of the area code, service texts too, and
// the reason names the zones.
func TestPolicySplitAreaCode(t *testing.T) {
	ny, chi := mustZone(t, "America/New_York"), mustZone(t, "America/Chicago")
	phx, den := mustZone(t, "America/Phoenix"), mustZone(t, "America/Denver")
	const tallahassee = "+18502221234" // Eastern in the exchange data
	const navajo = "+19282221234"
	tests := []struct {
		name string
		to   string
		kind Kind
		now  time.Time
		want time.Time // equal to now when allowed
	}{
		{"service 08:30 Eastern is 07:30 Central", tallahassee, Service, time.Date(2025, 6, 10, 8, 30, 0, 0, ny), time.Date(2025, 6, 10, 8, 0, 0, 0, chi)},
		{"service 08:59:59 Eastern still waits", tallahassee, Service, time.Date(2025, 6, 10, 8, 59, 59, 0, ny), time.Date(2025, 6, 10, 9, 0, 0, 0, ny)},
		{"service 09:00 Eastern is open in both", tallahassee, Service, time.Date(2025, 6, 10, 9, 0, 0, 0, ny), time.Date(2025, 6, 10, 9, 0, 0, 0, ny)},
		{"service 20:59 Eastern open in both", tallahassee, Service, time.Date(2025, 6, 10, 20, 59, 0, 0, ny), time.Date(2025, 6, 10, 20, 59, 0, 0, ny)},
		{"service 21:00 Eastern waits for 08:00 Central", tallahassee, Service, time.Date(2025, 6, 10, 21, 0, 0, 0, ny), time.Date(2025, 6, 11, 8, 0, 0, 0, chi)},
		{"Florida marketing 19:30 Central is 20:30 Eastern", tallahassee, Marketing, time.Date(2025, 6, 10, 19, 30, 0, 0, chi), time.Date(2025, 6, 11, 8, 0, 0, 0, chi)},
		{"Florida marketing 19:59 Eastern open in both", tallahassee, Marketing, time.Date(2025, 6, 10, 19, 59, 0, 0, ny), time.Date(2025, 6, 10, 19, 59, 0, 0, ny)},
		// Summer: Phoenix (no DST) is an hour behind the Navajo Nation.
		{"928 service 07:30 Phoenix is 08:30 Navajo", navajo, Service, time.Date(2025, 6, 10, 7, 30, 0, 0, phx), time.Date(2025, 6, 10, 8, 0, 0, 0, phx)},
		{"928 service 20:30 Phoenix is 21:30 Navajo", navajo, Service, time.Date(2025, 6, 10, 20, 30, 0, 0, phx), time.Date(2025, 6, 11, 8, 0, 0, 0, phx)},
		// Winter: both are MST.
		{"928 service 20:30 in January", navajo, Service, time.Date(2025, 1, 14, 20, 30, 0, 0, den), time.Date(2025, 1, 14, 20, 30, 0, 0, den)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPolicy(WithBrand("Acme"))
			if tt.kind == Marketing {
				_ = p.ConsentStore().Append(t.Context(), optInRecord(tt.to, "", Marketing, tt.now.Add(-48*time.Hour)))
			}
			d := mustCheck(t, p, Request{To: tt.to, Kind: tt.kind, Body: goodMarketing, Now: tt.now})
			if tt.want.Equal(tt.now) {
				if d.Outcome != Allow {
					t.Fatalf("want allow, got %v: %v", d.Outcome, d.Err())
				}
				return
			}
			if d.Outcome != Defer || !d.NotBefore.Equal(tt.want) {
				t.Fatalf("got %v until %v, want defer until %v (%v)", d.Outcome, d.NotBefore, tt.want, d.Err())
			}
			text := d.Err().Error()
			if !strings.Contains(text, tt.want.UTC().Format(time.RFC3339)) || !strings.Contains(text, "every zone") {
				t.Errorf("reason %q does not say until when and that every zone counts", text)
			}
		})
	}
}
