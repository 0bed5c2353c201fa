package throttle

import "github.com/heraldsms/herald/internal/mask"

// MaskKey hides the middle of every phone-number-like run (an optional '+'
// and 8 or more digits) in a key name so the name can go into logs and error
// strings: "sender:+14155550671" becomes "sender:+1415****671". Stores use
// it in their error messages.
func MaskKey(key string) string { return mask.In(key) }
