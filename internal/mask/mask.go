// Package mask hides phone numbers in text meant for logs and error
// messages, so every Herald package masks the same way:
// "+14155550671" becomes "+1415****671".
package mask

// head and tail are how many leading and trailing characters of a number
// stay visible.
const head, tail = 5, 3

// Number masks the middle of one phone number. Inputs of head+tail
// characters or fewer keep only their last two characters.
func Number(n string) string {
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

// In masks every phone-number-like run in s: an optional '+' followed by 8
// or more digits that is not itself preceded by a digit. It returns s
// itself when there is nothing to mask.
func In(s string) string {
	var b []byte
	for i := 0; i < len(s); {
		j := i
		if s[j] == '+' {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k-j < 8 || (i > 0 && isDigit(s[i-1])) {
			i = max(k, i+1)
			continue
		}
		if b == nil {
			b = []byte(s)
		}
		for p := i + head; p < k-tail; p++ {
			b[p] = '*'
		}
		i = k
	}
	if b == nil {
		return s
	}
	return string(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
