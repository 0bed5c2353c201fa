package segment

// Split cuts text into the parts it is sent in, so that
// strings.Join(parts, "") == text and len(parts) == Analyze(text,
// opts...).Segments. Parts never separate an escape from its character or a
// surrogate pair and, unless WithCodePointBoundaries is given, never cut a
// grapheme cluster (a cluster longer than a part is cut between code points;
// no part is ever empty). The empty text has no parts (nil).
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
