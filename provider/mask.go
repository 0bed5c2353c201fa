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

// MaskNumbersIn masks every phone number in s (a '+' followed by at least 8
// digits) with MaskNumber, for provider messages that quote the recipient.
func MaskNumbersIn(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '+' {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j-i-1 < 8 {
			continue
		}
		if out == nil {
			out = []byte(s)
		}
		copy(out[i:j], MaskNumber(s[i:j]))
		i = j - 1
	}
	if out == nil {
		return s
	}
	return string(out)
}
