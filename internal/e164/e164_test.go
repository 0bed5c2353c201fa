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

func TestKey(t *testing.T) {
	for s, want := range map[string]uint64{
		"+14155550100":     14155550100,
		"+2901234":         2901234,
		"+123456789012345": 123456789012345,
	} {
		if got, ok := Key(s); !ok || got != want {
			t.Errorf("Key(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "+04155550100", "14155550100", "+1415555010a", "+1234567890123456"} {
		if _, ok := Key(s); ok {
			t.Errorf("Key(%q) ok, want not Shaped", s)
		}
	}
}

func FuzzKey(f *testing.F) {
	f.Add("+14155550100", "+2901234")
	f.Fuzz(func(t *testing.T, a, b string) {
		ka, oka := Key(a)
		kb, okb := Key(b)
		if oka && okb && a != b && ka == kb {
			t.Errorf("Key(%q) == Key(%q) == %d", a, b, ka)
		}
	})
}
