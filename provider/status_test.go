package provider_test

import (
	"testing"

	"github.com/heraldsms/herald/provider"
)

func TestStatusAdvanceNeverMovesBackwards(t *testing.T) {
	all := []provider.Status{provider.StatusUnknown, provider.StatusQueued, provider.StatusSending, provider.StatusSent,
		provider.StatusDelivered, provider.StatusUndelivered, provider.StatusFailed, provider.StatusCanceled}
	cases := []struct{ cur, next, want provider.Status }{
		{provider.StatusUnknown, provider.StatusQueued, provider.StatusQueued},
		{provider.StatusQueued, provider.StatusSent, provider.StatusSent},
		{provider.StatusSent, provider.StatusQueued, provider.StatusSent},
		{provider.StatusDelivered, provider.StatusSent, provider.StatusDelivered},
		{provider.StatusDelivered, provider.StatusFailed, provider.StatusDelivered},
		{provider.StatusUndelivered, provider.StatusDelivered, provider.StatusUndelivered},
		{provider.StatusSending, provider.StatusUnknown, provider.StatusSending},
		{provider.StatusSent, provider.StatusUndelivered, provider.StatusUndelivered},
	}
	for _, tc := range cases {
		if got := tc.cur.Advance(tc.next); got != tc.want {
			t.Errorf("%v.Advance(%v) = %v, want %v", tc.cur, tc.next, got, tc.want)
		}
	}
	// Property: whatever order updates arrive in, the state only moves
	// forward and a final state sticks.
	for _, a := range all {
		for _, b := range all {
			got := a.Advance(b)
			if got.After(a) == false && got != a {
				t.Errorf("%v.Advance(%v) = %v moved sideways or back", a, b, got)
			}
			if a.Final() && got != a {
				t.Errorf("final %v changed to %v", a, got)
			}
		}
	}
}

func TestStatusNames(t *testing.T) {
	for s := provider.StatusUnknown; s <= provider.StatusCanceled; s++ {
		got, ok := provider.ParseStatus(s.String())
		if !ok || got != s {
			t.Errorf("ParseStatus(%q) = %v, %v", s.String(), got, ok)
		}
	}
	if _, ok := provider.ParseStatus("bogus"); ok {
		t.Error("ParseStatus(bogus) ok")
	}
	if provider.Status(200).String() != "unknown" {
		t.Error("out-of-range status name")
	}
}

func TestLineType(t *testing.T) {
	for lt, want := range map[provider.LineType]bool{provider.LineMobile: true, provider.LineVoIP: true,
		provider.LineLandline: false, provider.LineTollFree: false, provider.LineUnknown: false} {
		if lt.CanReceiveSMS() != want {
			t.Errorf("%v.CanReceiveSMS() = %v", lt, !want)
		}
	}
	if provider.LineTollFree.String() != "toll-free" || provider.LineType(99).String() != "unknown" {
		t.Error("line type names")
	}
}

func TestMask(t *testing.T) {
	cases := map[string]string{
		"+14155550671":  "+1415****671",
		"+447700900123": "+4477*****123",
		"12345":         "***45",
		"7":             "7",
	}
	for in, want := range cases {
		if got := provider.MaskNumber(in); got != want {
			t.Errorf("MaskNumber(%q) = %q, want %q", in, got, want)
		}
	}
	in := "The 'To' number +14155550671 is not valid; +1234 is short; +447700900123."
	want := "The 'To' number +1415****671 is not valid; +1234 is short; +4477*****123."
	if got := provider.MaskNumbersIn(in); got != want {
		t.Errorf("MaskNumbersIn = %q, want %q", got, want)
	}
}
