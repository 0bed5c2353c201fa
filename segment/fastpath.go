package segment

// ascii8 returns the septet cost of the first 8 bytes of s (len(s) >= 8)
// and true when all of them are ASCII characters of the default alphabet or
// its extension table. Costs are looked up independently so the processor
// overlaps them; the caller falls back to one rune at a time otherwise.
func ascii8(s string) (int, bool) {
	_ = s[7]
	b0, b1, b2, b3, b4, b5, b6, b7 := s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
	k0, k1, k2, k3 := asciiCost[b0&0x7F], asciiCost[b1&0x7F], asciiCost[b2&0x7F], asciiCost[b3&0x7F]
	k4, k5, k6, k7 := asciiCost[b4&0x7F], asciiCost[b5&0x7F], asciiCost[b6&0x7F], asciiCost[b7&0x7F]
	// A non-ASCII byte has its high bit set; a cost of 0 (not GSM-7) turns
	// into 0xFF when decremented.
	bad := b0 | b1 | b2 | b3 | b4 | b5 | b6 | b7 |
		(k0 - 1) | (k1 - 1) | (k2 - 1) | (k3 - 1) | (k4 - 1) | (k5 - 1) | (k6 - 1) | (k7 - 1)
	if bad&0x80 != 0 {
		return 0, false
	}
	return int(k0+k1+k2+k3) + int(k4+k5+k6+k7), true
}

// asciiPrefix8 takes, from the first 8 bytes of s (len(s) >= 8) that
// ascii8 refused, the default-alphabet ASCII characters before the first odd
// byte and, when that byte starts a euro sign (an extension character, two
// septets), the euro sign too. It returns the bytes taken, their septets and
// whether an escaped character was among them; 0 bytes when the odd byte
// comes first and is not a euro sign. At most 16 septets are taken.
func asciiPrefix8(s string) (n, septets int, esc bool) {
	for n < 8 {
		b := s[n]
		if b >= 0x80 {
			break
		}
		c := asciiCost[b]
		if c == 0 {
			return n, septets, esc
		}
		esc = esc || c == 2
		septets += int(c)
		n++
	}
	if n < 8 && len(s) >= n+3 && s[n] == 0xE2 && s[n+1] == 0x82 && s[n+2] == 0xAC {
		return n + 3, septets + 2, true
	}
	return n, septets, esc
}

// sendable8 reports whether the first 8 bytes of s (len(s) >= 8) are ASCII
// and none of them is NUL or ESC: in UCS-2 each is then one unit.
func sendable8(s string) bool {
	_ = s[7]
	b0, b1, b2, b3, b4, b5, b6, b7 := s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
	if (b0|b1|b2|b3|b4|b5|b6|b7)&0x80 != 0 {
		return false
	}
	return asciiCode[b0] != invalidCode && asciiCode[b1] != invalidCode &&
		asciiCode[b2] != invalidCode && asciiCode[b3] != invalidCode &&
		asciiCode[b4] != invalidCode && asciiCode[b5] != invalidCode &&
		asciiCode[b6] != invalidCode && asciiCode[b7] != invalidCode
}
