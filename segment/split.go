package segment

// Split cuts text into the parts it is sent in, so that
// strings.Join(parts, "") == text and len(parts) == Analyze(text,
// opts...).Segments. The empty text has no parts (nil); no part is ever
// empty.
//
// Where parts are cut:
//   - Always between code points: an extension character and its escape, or
//     the two UTF-16 units of an emoji, are never separated. (An invalid
//     UTF-8 byte counts as one code point, U+FFFD; Validate refuses such
//     text.)
//   - By default also between grapheme clusters: a part ends before a
//     user-perceived character (a letter and its combining marks, a ZWJ
//     emoji sequence, a flag, a skin tone) that does not fit whole, and that
//     character starts the next part. A CR and its LF may fall in different
//     parts, as in Twilio's calculator.
//   - A grapheme cluster longer than a whole part cannot be kept whole: it is
//     cut at the last code point that fits, and the rest is measured as if
//     it began a new cluster.
//
// WithCodePointBoundaries keeps only the first rule. Split and Analyze take
// time linear in the length of the text, whatever it holds.
//
// With a transforming option (WithSmartEncoding, a fold, WithNFC) the parts
// are those of the transformed text that Normalize returns. Otherwise Split
// allocates only the returned slice.
func Split(text string, opts ...Option) []string {
	cfg := newConfig(opts)
	a, sent := analyzeConfig(text, &cfg)
	if a.Segments == 0 {
		return nil
	}
	parts := make([]string, 0, a.Segments)
	if a.Segments == 1 {
		return append(parts, sent)
	}
	m := measure{enc: a.Encoding, t: tableSet{lock: a.LockingShift, single: a.SingleShift}}
	st := newCutStats()
	for start := 0; start < len(sent); {
		end, _ := nextCut(sent, start, m, a.PerSegment, cfg.codePoints, &st)
		parts = append(parts, sent[start:end])
		start = end
	}
	return parts
}
