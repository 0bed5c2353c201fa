package compliance

import "strings"

// MaskNumber hides the middle digits of a phone number so it can go into a
// log line or an error message: "+14155552671" becomes "+1415****671".
// Strings too short to mask keep only their first character.
func MaskNumber(number string) string {
	const head, tail = 5, 3
	if len(number) <= head+tail {
		if len(number) <= 1 {
			return number
		}
		return number[:1] + strings.Repeat("*", len(number)-1)
	}
	return number[:head] + strings.Repeat("*", len(number)-head-tail) + number[len(number)-tail:]
}
