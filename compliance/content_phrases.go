package compliance

import "strings"

// phraseSet is a set of lower-case word sequences indexed by first word,
// for matching against the tokens of a body.
type phraseSet map[string][][]string

func newPhraseSet(phrases ...string) phraseSet {
	s := make(phraseSet, len(phrases))
	for _, p := range phrases {
		w := strings.Fields(p)
		if len(w) > 0 {
			s[w[0]] = append(s[w[0]], w[1:])
		}
	}
	return s
}

// at returns the number of words of the longest phrase of the set that
// starts at token i, or 0.
func (s phraseSet) at(buf []byte, ts []ispan, i int) int {
	if i >= len(ts) {
		return 0
	}
	rests, ok := s[string(buf[ts[i].start:ts[i].end])]
	if !ok {
		return 0
	}
	best := 0
next:
	for _, rest := range rests {
		if i+len(rest) >= len(ts) || len(rest)+1 <= best {
			continue
		}
		for j, w := range rest {
			u := ts[i+1+j]
			if string(buf[u.start:u.end]) != w {
				continue next
			}
		}
		best = len(rest) + 1
	}
	return best
}
