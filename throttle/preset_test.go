package throttle_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/throttle"
)

func TestPresets(t *testing.T) {
	type row struct {
		PerSecond float64
		DailyCap  int
		Blocked   bool
	}
	got := map[string]row{}
	for s := throttle.LongCode; s <= throttle.ShortCode; s++ {
		p := throttle.Preset(s)
		got[s.String()] = row{p.Throughput.PerSecondRate(), p.DailyCap, p.Blocked}
	}
	want := map[string]row{
		"long code":              {0.25, 1000, false},
		"10DLC sole proprietor":  {0.25, 1000, false},
		"10DLC low-volume mixed": {1.25, 5999, false},
		"10DLC trust 1-49":       {4, 2000, false},
		"10DLC trust 50-74":      {40, 10000, false},
		"10DLC trust 75-100":     {75, 40000, false},
		"toll-free unverified":   {0, 0, true},
		"toll-free verified":     {3, 0, false},
		"short code":             {100, 0, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("presets (-want +got):\n%s", diff)
	}
	if p := throttle.Preset(throttle.SenderType(99)); p.Type != throttle.LongCode {
		t.Errorf("unknown sender type got %v, want the long code profile", p.Type)
	}
	if err := throttle.Preset(throttle.TollFreeUnverified).Err(); !errors.Is(err, throttle.ErrBlocked) {
		t.Errorf("unverified toll-free Err = %v, want ErrBlocked", err)
	}
}

func TestTenDLCByScore(t *testing.T) {
	type row struct {
		TPM      float64
		DailyCap int
	}
	got := map[int]row{}
	for _, score := range []int{0, 25, 26, 49, 50, 51, 74, 75, 76, 100, 150} {
		p := throttle.TenDLC(score)
		got[score] = row{p.Throughput.PerSecondRate() * 60, p.DailyCap}
	}
	want := map[int]row{
		0: {240, 2000}, 25: {240, 2000}, 26: {240, 10000}, 49: {240, 10000},
		50: {2400, 10000}, 51: {2400, 40000}, 74: {2400, 40000},
		75: {4500, 40000}, 76: {4500, 200000}, 100: {4500, 200000}, 150: {4500, 200000},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TenDLC (-want +got):\n%s", diff)
	}
}

func TestDailyKeyIsPacificDay(t *testing.T) {
	// 07:59 UTC on 2 June is still 1 June in California (PDT, UTC−7).
	if got := throttle.DailyKey("brand:acme", time.Date(2025, 6, 2, 6, 59, 0, 0, time.UTC)); got != "brand:acme@2025-06-01" {
		t.Errorf("got %q", got)
	}
	if got := throttle.DailyKey("brand:acme", time.Date(2025, 6, 2, 7, 0, 0, 0, time.UTC)); got != "brand:acme@2025-06-02" {
		t.Errorf("got %q", got)
	}
}

func TestProfileKeys(t *testing.T) {
	at := time.Date(2025, 6, 1, 18, 0, 0, 0, time.UTC)
	got := throttle.Preset(throttle.TenDLCLow).Keys("+14155550100", "acme", at)
	want := []throttle.Key{
		{Name: "sender:+14155550100", Limit: throttle.PerMinute(240)},
		{Name: "brand:acme@2025-06-01", Limit: throttle.Quota(2000, 24*time.Hour)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}
	if got := throttle.Preset(throttle.ShortCode).Keys("12345", "acme", at); len(got) != 1 {
		t.Errorf("short code keys = %v, want the sender key only", got)
	}
	if got := throttle.Preset(throttle.TollFreeUnverified).Keys("+18005550100", "acme", at); got != nil {
		t.Errorf("blocked profile keys = %v, want nil", got)
	}
}

func TestLimitValidate(t *testing.T) {
	for _, l := range []throttle.Limit{
		{}, {Rate: -1, Burst: 1}, {Rate: 1, Burst: -1}, {Rate: 1, Period: -time.Second}, {Rate: 1e12},
	} {
		if err := l.Validate(); !errors.Is(err, throttle.ErrInvalidLimit) {
			t.Errorf("%+v: Validate = %v, want ErrInvalidLimit", l, err)
		}
	}
	for _, l := range []throttle.Limit{throttle.Inf, throttle.PerSecond(1), throttle.Quota(1, 0), {Rate: 3}} {
		if err := l.Validate(); err != nil {
			t.Errorf("%+v: Validate = %v, want nil", l, err)
		}
	}
	if got := (throttle.Limit{Rate: 3}).String(); got != "3/1s burst 1" {
		t.Errorf("String = %q", got)
	}
}

func TestMaskKey(t *testing.T) {
	for in, want := range map[string]string{
		"sender:+14155550671":          "sender:+1415****671",
		"campaign:spring":              "campaign:spring",
		"brand:acme@2025-06-01":        "brand:acme@2025-06-01",
		"pair:+14155550671:4155550672": "pair:+1415****671:41555**672",
		"short:12345":                  "short:12345",
	} {
		if got := throttle.MaskKey(in); got != want {
			t.Errorf("MaskKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDailyResetIsWhenTheKeyChanges(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 3, 8, 7, 59, 0, 0, time.UTC),  // 23:59 PST the day before DST
		time.Date(2026, 3, 9, 6, 0, 0, 0, time.UTC),   // 23:00 PDT
		time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC), // the day DST ends
	} {
		r := throttle.DailyReset(at)
		if throttle.DailyKey("d", r.Add(-time.Nanosecond)) != throttle.DailyKey("d", at) || throttle.DailyKey("d", r) == throttle.DailyKey("d", at) {
			t.Errorf("DailyReset(%v) = %v is not where the day's key changes", at, r)
		}
	}
}
