package notify

import "slices"

// outboxQueue is the rows of one notification in Index order. A row the
// history window evicted is nil in rows until such rows are many, when
// compact drops their slots; their Indexes stay known (keys, or gone once
// dropped), so they cannot be enqueued again.
type outboxQueue struct {
	rows     []*Message            // in Index order; nil once evicted from the history window
	keys     []int                 // the Index of each slot of rows
	cursor   int                   // rows before cursor are not Pending (claimed, deferred or final)
	deferred map[*Message]struct{} // unclaimed rows with OutcomeDeferred
	counts   [OutcomeCanceled + 1]int

	nils    int         // nil slots in rows
	dropped int         // slots compact dropped
	gone    []indexSpan // the Indexes of the slots compact dropped, in order
}

// indexSpan is the Indexes [lo, hi).
type indexSpan struct{ lo, hi int }

// compactMin is the fewest evicted slots compact drops at once.
const compactMin = 1024

// at returns the row with Index idx, or nil. Rows are kept in Index order
// and a notification's indexes usually start at 0 without gaps, so the row
// is usually at position idx, less the slots dropped when they were at
// the front.
func (q *outboxQueue) at(idx int) *Message {
	if i := q.slot(idx); i >= 0 {
		return q.rows[i]
	}
	return nil
}

// slot returns the position of row idx in q.rows, or -1.
func (q *outboxQueue) slot(idx int) int {
	if i := idx - q.dropped; i >= 0 && i < len(q.keys) && q.keys[i] == idx {
		return i
	}
	if i := q.search(idx); i < len(q.keys) && q.keys[i] == idx {
		return i
	}
	return -1
}

// search returns the first position whose Index is >= idx.
func (q *outboxQueue) search(idx int) int {
	i, _ := slices.BinarySearch(q.keys, idx)
	return i
}

// has reports whether a row with Index idx was ever enqueued. A row
// enqueued after every other (the usual order) is answered without a
// search.
func (q *outboxQueue) has(idx int) bool {
	if (len(q.keys) == 0 || idx > q.keys[len(q.keys)-1]) && (len(q.gone) == 0 || idx >= q.gone[len(q.gone)-1].hi) {
		return false
	}
	if q.slot(idx) >= 0 {
		return true
	}
	i, _ := slices.BinarySearchFunc(q.gone, idx, func(s indexSpan, idx int) int {
		switch {
		case s.hi <= idx:
			return -1
		case s.lo > idx:
			return 1
		}
		return 0
	})
	return i < len(q.gone) && q.gone[i].lo <= idx && idx < q.gone[i].hi
}

// evicted notes that a row of the queue was evicted (its slot set to
// nil), and drops the slots of the evicted rows once they are at least
// compactMin and half the queue, so each slot is copied a bounded number of
// times.
func (q *outboxQueue) evicted() {
	q.nils++
	if q.nils >= compactMin && q.nils*2 >= len(q.rows) {
		q.compact()
	}
}

// compact drops the nil slots of rows and notes their Indexes in gone.
func (q *outboxQueue) compact() {
	n := len(q.rows) - q.nils
	// New slices, so the dropped slots are freed.
	rows := make([]*Message, 0, n+compactMin)
	keys := make([]int, 0, n+compactMin)
	var gone []indexSpan
	cursor := -1
	for i, m := range q.rows {
		if i == q.cursor {
			cursor = len(rows)
		}
		if m != nil {
			rows = append(rows, m)
			keys = append(keys, q.keys[i])
			continue
		}
		if k := len(gone) - 1; k >= 0 && gone[k].hi == q.keys[i] {
			gone[k].hi++
		} else {
			gone = append(gone, indexSpan{q.keys[i], q.keys[i] + 1})
		}
	}
	if cursor < 0 {
		cursor = len(rows)
	}
	q.rows, q.keys, q.cursor = rows, keys, cursor
	q.gone = mergeSpans(q.gone, gone)
	q.dropped += q.nils
	q.nils = 0
}

// mergeSpans merges two sorted lists of disjoint spans into one, joining
// spans that touch.
func mergeSpans(a, b []indexSpan) []indexSpan {
	if len(b) == 0 {
		return a
	}
	out := make([]indexSpan, 0, len(a)+len(b))
	add := func(s indexSpan) {
		if k := len(out) - 1; k >= 0 && out[k].hi == s.lo {
			out[k].hi = s.hi
			return
		}
		out = append(out, s)
	}
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || len(a) > 0 && a[0].lo < b[0].lo {
			add(a[0])
			a = a[1:]
		} else {
			add(b[0])
			b = b[1:]
		}
	}
	return out
}
