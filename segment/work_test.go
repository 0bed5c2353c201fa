package segment

import (
	"strings"
	"testing"
)

// TestCutWorkIsLinear counts the bytes the cutting passes examine for the
// worst-case inputs and requires a small constant number per byte of text,
// whatever the text: a grapheme cluster longer than a part used to be
// rescanned to its end for every part it spans (quadratic: over 100 bytes
// examined per byte of a 32 KiB combining run). Each part now examines its
// own bytes at most three times (forward, back to a certain boundary,
// forward with uniseg; the walk back gives up after maxWalkBack runes), and a part that ends early is followed by one that
// starts with the cluster that did not fit, hence the bound of 8.
func TestCutWorkIsLinear(t *testing.T) {
	const size = 32 << 10
	inputs := map[string]string{
		"ASCII":          strings.Repeat("Your parcel 12345 is out for delivery today. ", size/45),
		"Combining":      "e" + strings.Repeat("\u0301", size/2),
		"Jamo LV":        strings.Repeat("\u1100", size/6) + strings.Repeat("\u1161", size/6),
		"ZWJ chain":      strings.Repeat("👨\u200d", size/7),
		"Flags":          strings.Repeat("🇫🇷", size/8),
		"LoneSurrogates": strings.Repeat("\xed\xa0\x80", size/3),
		"InvalidUTF8":    strings.Repeat("\xff", size),
		"Mixed":          strings.Repeat("a"+strings.Repeat("\u0301", 200)+"😀", size/410),
		// Each cluster is one unit too long for a part, so the part before it
		// ends early and the one after it starts mid-cluster: three short
		// scans per cluster.
		"Clusters just over a part": strings.Repeat("a"+"e"+strings.Repeat("\u0301", 67), size/140),
		"Family after each part":    strings.Repeat(strings.Repeat("ж", 60)+"👨\u200d👩\u200d👧\u200d👦", size/150),
	}
	// A cluster longer than a part has no certain boundary to walk back
	// to: uniseg starts from the part's start after a short look back, so
	// its bytes are examined about twice.
	twice := map[string]bool{"Combining": true, "Jamo LV": true, "ZWJ chain": true}
	for name, text := range inputs {
		for _, ref16 := range []bool{false, true} {
			cfg := config{ref16: ref16}
			a, _ := analyze(text, &cfg)
			m := measure{enc: a.Encoding}
			st := newCutStats()
			parts, _, _, _ := layout(text, m, &cfg, &st)
			if parts != a.Segments {
				t.Fatalf("%s: layout gives %d parts, Analyze %d", name, parts, a.Segments)
			}
			limit := 8.0
			if twice[name] {
				limit = 2.5
			}
			if perByte := float64(st.work) / float64(len(text)); perByte > limit {
				t.Errorf("%s (16-bit reference %v): %d bytes examined for %d bytes of text (%.1f per byte), want at most %.1f per byte",
					name, ref16, st.work, len(text), perByte, limit)
			}
		}
	}
}
