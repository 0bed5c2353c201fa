// Package e164 holds the cheap shape check Herald packages use before the
// full phonenumbers validation, so they all agree on what looks like E.164.
package e164

// Shaped reports whether s has the shape of an E.164 number: '+', then 7 to
// 15 digits not starting with 0 (seven-digit numbers exist in a few small
// countries). It does not say whether the number is assigned or valid.
func Shaped(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Key returns the digits of a Shaped number as an integer, a map key that
// hashes without reading the string again; ok is false when s is not
// Shaped. Distinct Shaped numbers have distinct keys: they have no leading
// zero and at most 15 digits.
func Key(s string) (k uint64, ok bool) {
	if !Shaped(s) {
		return 0, false
	}
	for i := 1; i < len(s); i++ {
		k = k*10 + uint64(s[i]-'0')
	}
	return k, true
}
