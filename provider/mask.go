package provider

import "github.com/heraldsms/herald/internal/mask"

// MaskNumber hides the middle of a phone number for logs and error strings:
// "+14155550671" becomes "+1415****671". Short inputs keep only their last
// two characters.
func MaskNumber(n string) string { return mask.Number(n) }

// MaskNumbersIn masks every phone number in s (an optional '+' followed by
// at least 8 digits) the way MaskNumber does, for provider messages that
// quote the recipient.
func MaskNumbersIn(s string) string { return mask.In(s) }
