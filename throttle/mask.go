package throttle

// MaskKey hides the middle of every phone-number-like run (an optional '+'
// and 8 or more digits) in a key name so the name can go into logs and error
// strings: "sender:+14155550671" becomes "sender:+1415****671". Stores use
// it in their error messages.
func MaskKey(key string) string {
	var b []byte
	for i := 0; i < len(key); {
		j := i
		if key[j] == '+' {
			j++
		}
		k := j
		for k < len(key) && key[k] >= '0' && key[k] <= '9' {
			k++
		}
		if k-j < 8 || (i > 0 && isDigit(key[i-1])) {
			i = max(k, i+1)
			continue
		}
		if b == nil {
			b = []byte(key)
		}
		const head, tail = 5, 3
		for p := i + head; p < k-tail; p++ {
			b[p] = '*'
		}
		i = k
	}
	if b == nil {
		return key
	}
	return string(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
