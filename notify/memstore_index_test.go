package notify

import (
	"hash/maphash"
	"testing"
)

// TestProvIndexClash checks the provider-ID index when two pairs share a
// hash: the second goes to the clash map and both are found.
func TestProvIndexClash(t *testing.T) {
	x := provIndex{seed: maphash.MakeSeed(), m: map[uint64]*Message{}, clash: map[pair]*Message{}}
	m1 := &Message{Provider: "twilio", ProviderID: "SM1"}
	m2 := &Message{Provider: "twilio", ProviderID: "SM2"}
	x.put(m1)
	// Make SM2's slot look taken by SM1, as a hash collision would.
	x.m[maphash.Comparable(x.seed, pair{"twilio", "SM2"})] = m1
	x.put(m2)
	if got := x.get("twilio", "SM2"); got != m2 {
		t.Errorf("get SM2 = %+v, want the clashing message", got)
	}
	if got := x.get("twilio", "SM1"); got != m1 {
		t.Errorf("get SM1 = %+v", got)
	}
	if got := x.get("telnyx", "SM1"); got != nil {
		t.Errorf("another provider's SM1 = %+v, want none", got)
	}
	// The same pair again replaces its message.
	m1b := &Message{Provider: "twilio", ProviderID: "SM1", Body: "again"}
	x.put(m1b)
	if got := x.get("twilio", "SM1"); got != m1b || len(x.clash) != 1 {
		t.Errorf("get SM1 after a second put = %+v, %d clashes", got, len(x.clash))
	}
}

// TestConvIndexKinds checks that conversations of E.164 numbers and of
// other senders (alphanumeric, short codes) are kept and found apart.
func TestConvIndexKinds(t *testing.T) {
	x := convIndex{m: map[convKey]*conv{}, other: map[pair]*conv{}}
	for _, k := range [][2]string{{"+14155550100", "+14155552671"}, {"ACME", "+14155552671"}, {"55555", "+14155552671"}, {"+14155550100", "+14155552672"}} {
		if x.get(k[0], k[1], false) != nil {
			t.Fatalf("%v found before it was made", k)
		}
		c := x.get(k[0], k[1], true)
		if c == nil || x.get(k[0], k[1], false) != c {
			t.Errorf("%v: made %p, found %p", k, c, x.get(k[0], k[1], false))
		}
	}
	if len(x.m) != 2 || len(x.other) != 2 {
		t.Errorf("%d E.164 and %d other conversations, want 2 and 2", len(x.m), len(x.other))
	}
}
