package provider

// MaskNumber hides the middle of a phone number for logs and error strings:
// "+14155550671" becomes "+1415****671". Short inputs keep only their last
// two characters.
func MaskNumber(n string) string {
	const head, tail = 5, 3
	if len(n) <= head+tail {
		if len(n) <= 2 {
			return n
		}
		b := []byte(n)
		for i := 0; i < len(b)-2; i++ {
			b[i] = '*'
		}
		return string(b)
	}
	b := []byte(n)
	for i := head; i < len(b)-tail; i++ {
		b[i] = '*'
	}
	return string(b)
}
