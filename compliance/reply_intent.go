package compliance

// maxInferTokens bounds the replies in which a per-se word anywhere is
// read as a request: a short reply is about the messages it answers, a
// long one may mention "stop" in passing. Phrases ("stop texting me") are
// found in replies of any length.
const maxInferTokens = 30

// replyTokens is a normalised reply with the word classes of its words.
type replyTokens struct {
	buf   []byte
	words []span
	class []uint32
}

func (t *replyTokens) word(i int) string {
	return string(t.buf[t.words[i].start:t.words[i].end])
}

func (t *replyTokens) is(i int, c uint32) bool {
	return i >= 0 && i < len(t.class) && t.class[i]&c != 0
}

func (t *replyTokens) eq(i int, w string) bool {
	return i >= 0 && i < len(t.words) && string(t.buf[t.words[i].start:t.words[i].end]) == w
}

// perSe returns the strength of the per-se word at i (0 none, 1 weak, 2
// strong) and how many words it spans ("OPT OUT" is two).
func (t *replyTokens) perSe(i int) (strength, width int) {
	switch {
	case t.is(i, wStrong):
		return 2, 1
	case t.is(i, wWeak):
		return 1, 1
	case t.is(i, wOpt) && t.eq(i+1, "OUT"):
		return 2, 2
	}
	// STOPP, STOPPPP
	w := t.buf[t.words[i].start:t.words[i].end]
	if len(w) > 4 && w[0] == 'S' && string(w[:4]) == "STOP" {
		for _, c := range w[4:] {
			if c != 'P' {
				return 0, 0
			}
		}
		return 2, 1
	}
	return 0, 0
}

// intent is what the inference found.
type intent struct {
	reply     Reply
	ambiguous bool
	keyword   string
}

// perSeRequest reads the per-se word at i (of the given strength and
// width) in context: it is a request to stop the messages unless negated
// ("don't stop"), used as a noun ("the bus stop", "the end"), followed by
// a non-message complement ("stop by", "end of the month") or object
// ("cancel my appointment"). A per-se word whose object is unknown is an
// ambiguous opt-out for strong words and nothing for weak ones.
func (t *replyTokens) perSeRequest(i, strength, width int) (intent, bool) {
	n := len(t.words)
	kw := t.word(i)
	if width == 2 {
		kw = "OPT OUT"
	} else if strength == 2 && len(kw) > 4 && kw[:4] == "STOP" && kw != "STOPALL" {
		kw = "STOP"
	}
	// What comes before.
	framed, doubt := false, false
	switch {
	case i == 0 || t.words[i].brk:
		framed = true
	case t.is(i-1, wNeg), t.is(i-2, wNeg) && (t.eq(i-1, "EVER") || t.eq(i-1, "JUST")):
		return intent{}, false
	case t.is(i-1, wModifier) && !t.is(i-1, wFrame):
		return intent{}, false
	case t.is(i-1, wFrame):
		framed = true
	case t.is(i-1, wFrameI):
		framed = strength == 2
	case t.is(i-1, wPronoun):
		framed, doubt = true, true
	}
	// What comes after: skip fillers and politeness to the object.
	j := i + width
	if j < n && !t.words[j].brk && t.is(j, wComplement) && !t.is(j, wFiller|wMessage) {
		return intent{}, false
	}
	object := 0 // 0 none, 1 the messages, 2 something else, 3 unknown
	extra := false
	for ; j < n && j < i+width+6; j++ {
		if t.words[j].brk {
			break
		}
		switch {
		case t.is(j, wMessage):
			object = 1
			if t.is(j+1, wObject) && !t.words[j+1].brk { // "subscription box"
				object = 2
			}
		case t.is(j, wObject):
			object = 2
		case t.is(j, wFiller|wPolite):
			if !t.is(j, wPolite) {
				extra = true
			}
			continue
		default:
			object = 3
		}
		break
	}
	if object == 3 {
		// Look a little further: "my subscription box", "the delivery".
		for k := j + 1; k < n && k < j+3 && !t.words[k].brk; k++ {
			if t.is(k, wObject) {
				object = 2
				break
			}
			if t.is(k, wMessage) {
				object = 1
				break
			}
		}
	}
	switch object {
	case 1:
		return intent{ReplyOptOut, false, kw}, true
	case 2:
		return intent{}, false
	case 3:
		if strength == 2 && framed {
			return intent{ReplyOptOut, true, kw}, true
		}
		return intent{}, false
	}
	// Nothing after the word but politeness: "stop please", "I want to
	// cancel", "make it stop".
	if !framed {
		if strength == 2 && t.anyMessageWord() {
			return intent{ReplyOptOut, true, kw}, true
		}
		return intent{}, false
	}
	if strength == 1 && (extra || !t.onlyPolite(i, width)) {
		doubt = true // "I want to cancel" may mean an appointment
	}
	return intent{ReplyOptOut, doubt, kw}, true
}

// onlyPolite reports whether every word but the per-se word at i is a
// politeness or frame word.
func (t *replyTokens) onlyPolite(i, width int) bool {
	for k := range t.words {
		if k >= i && k < i+width {
			continue
		}
		if !t.is(k, wPolite|wFrame) || t.is(k, wFrameI) {
			return false
		}
	}
	return true
}

func (t *replyTokens) anyMessageWord() bool {
	for k := range t.words {
		if t.is(k, wMessage) && !t.is(k, wRemoveTarget) {
			return true
		}
	}
	return false
}

// sentenceIntent finds opt-out sentences that use no per-se word: "I don't
// want these texts", "I withdraw my consent", "remove my number", "no
// more messages", "no quiero recibir mensajes", "I never signed up".
func (t *replyTokens) sentenceIntent() (intent, bool) {
	n := len(t.words)
	for i := 0; i < n; i++ {
		if t.class[i] == 0 {
			continue // no rule starts at a word the tables do not know
		}
		switch {
		case t.eq(i, "NOT") && t.eq(i+1, "INTERESTED") && (i+2 >= n || t.words[i+2].brk):
			return intent{ReplyOptOut, true, "NOT INTERESTED"}, true
		case t.is(i, wNeg) || (t.eq(i, "NO") && t.eq(i+1, "LONGER")):
			k := i + 1
			if t.eq(i, "NO") {
				k++
			}
			// "don't want these texts", "no longer wish to receive"
			for w := k; w < n && w < k+3; w++ {
				if t.is(w, wWant) {
					for m := w + 1; m < n && m < w+7; m++ {
						if t.is(m, wMessage) && !t.is(m, wRemoveTarget) {
							return intent{ReplyOptOut, false, t.word(i) + " " + t.word(w)}, true
						}
					}
				}
			}
			// "do not consent", "no longer consent"
			if t.is(k, wConsent) || (t.eq(k, "GIVE") && t.is(k+1, wConsent)) {
				return intent{ReplyOptOut, false, t.word(i) + " CONSENT"}, true
			}
			// "never signed up", "didn't sign up for this"
			if t.is(k, wSign) || (t.is(k, wWant) && t.is(k+1, wSign)) {
				return intent{ReplyOptOut, true, t.word(i) + " SIGNED UP"}, true
			}
			// "don't text me", "don't send me these"
			if t.is(k, wMessage) && t.is(k+1, wFiller|wMessage) && !t.is(k, wRemoveTarget|wConsent) {
				return intent{ReplyOptOut, false, t.word(i) + " " + t.word(k)}, true
			}
		case t.is(i, wWithdraw):
			for m := i + 1; m < n && m < i+4; m++ {
				if t.is(m, wConsent) {
					return intent{ReplyOptOut, false, "WITHDRAW CONSENT"}, true
				}
			}
		case t.is(i, wRemoveMe):
			return intent{ReplyOptOut, false, t.word(i)}, true
		case t.is(i, wRemove) && !t.is(i-1, wNeg):
			// "remove my number", "take me off your list", "lose this number"
			for m := i + 1; m < n && m < i+5; m++ {
				if t.is(m, wRemoveTarget) {
					if t.eq(i, "TAKE") && !t.hasWord(m, m+4, "OFF") {
						break
					}
					return intent{ReplyOptOut, false, t.word(i) + " " + t.word(m)}, true
				}
				if !t.is(m, wFiller|wMessage) && !t.eq(m, "MI") && !t.eq(m, "THIS") {
					break
				}
			}
		case t.eq(i, "NO") && (t.eq(i+1, "MORE") || t.eq(i+1, "MAS")):
			// "no more", "no more texts please"; not "no more than 2"
			k := i + 2
			for k < n && !t.words[k].brk && t.is(k, wPolite) && !t.is(k, wMessage) {
				k++
			}
			if k >= n || t.words[k].brk || t.is(k, wMessage) {
				return intent{ReplyOptOut, false, "NO " + t.word(i+1)}, true
			}
		case t.eq(i, "NO") && (t.is(i+1, wEsWant|wEsSend) || t.eq(i+1, "ME") && t.is(i+2, wEsSend|wEsWant)):
			k := i + 1
			if t.eq(k, "ME") {
				k++
			}
			if t.is(k, wEsSend) {
				return intent{ReplyOptOut, false, "NO " + t.word(k)}, true
			}
			for m := k + 1; m < n && m < k+6; m++ {
				if t.is(m, wMessage) {
					return intent{ReplyOptOut, false, "NO " + t.word(k)}, true
				}
			}
		}
	}
	return intent{}, false
}

func (t *replyTokens) hasWord(from, to int, w string) bool {
	for k := from; k < to && k < len(t.words); k++ {
		if t.eq(k, w) {
			return true
		}
	}
	return false
}

// negated reports whether the word at i is negated ("don't stop
// texting", "never stop sending").
func (t *replyTokens) negated(i int) bool {
	if i > 0 && t.words[i].brk {
		return false
	}
	return t.is(i-1, wNeg) || (t.is(i-2, wNeg) && (t.eq(i-1, "EVER") || t.eq(i-1, "JUST") || t.eq(i-1, "PLEASE")))
}
