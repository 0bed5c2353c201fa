package e164

import "testing"

func TestShaped(t *testing.T) {
	for s, want := range map[string]bool{
		"+14155550100":      true,
		"+2901234":          true, // seven digits
		"+290123":           false,
		"+1234567890123456": false, // 16 digits
		"+123456789012345":  true,  // 15 digits
		"14155550100":       false,
		"+04155550100":      false,
		"+1415555010a":      false,
		"":                  false,
		"+":                 false,
	} {
		if got := Shaped(s); got != want {
			t.Errorf("Shaped(%q) = %v, want %v", s, got, want)
		}
	}
}
