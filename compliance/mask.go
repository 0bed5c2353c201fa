package compliance

import "github.com/heraldsms/herald/internal/mask"

// MaskNumber hides the middle digits of a phone number so it can go into a
// log line or an error message: "+14155552671" becomes "+1415****671".
func MaskNumber(number string) string { return mask.Number(number) }
