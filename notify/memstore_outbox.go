package notify

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Enqueue implements OutboxStore.
//
// The MemoryStore keeps msgs itself (OutboxStore.Enqueue hands them over).
func (s *MemoryStore) Enqueue(_ context.Context, msgs []Message) error {
	return s.enqueue(msgs, true)
}

// enqueue is Enqueue; own says the caller hands msgs over and never
// touches them again, so the store keeps them instead of a copy.
func (s *MemoryStore) enqueue(msgs []Message, own bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The rows of a batch are stored in one block, and the IDs built here
	// in one string: a batch costs two allocations instead of two per row.
	// A block is freed once the history window has let go of all its rows
	// (they are evicted roughly in the order they were enqueued).
	block := msgs
	if !own {
		block = make([]Message, len(msgs))
		copy(block, msgs)
	}
	ids := newIDs(block)
	for i := range block {
		p := &block[i]
		q, ok := s.outbox[p.NotificationID]
		if !ok {
			return fmt.Errorf("notification %s: %w", p.NotificationID, ErrNotFound)
		}
		given := p.ID != ""
		if !given {
			p.ID = ids.next(p.NotificationID, p.Index)
		}
		dup := q.has(p.Index) // also a row the history window let go
		if !dup && len(s.custom) > 0 {
			_, dup = s.custom[p.ID]
		}
		if !dup && given {
			_, dup = s.row(p.ID) // a given ID may be another notification's row
		}
		if dup {
			return fmt.Errorf("notify: message %s already enqueued", p.ID)
		}
		if given && !isRowID(p.ID, p.NotificationID, p.Index) {
			s.custom[p.ID] = p
		}
		q.rows = append(q.rows, p)
		q.keys = append(q.keys, p.Index)
		q.counts[p.Outcome]++
		if p.Outcome.Final() {
			s.hmu.Lock()
			s.recordFinal(p)
			s.hmu.Unlock()
		}
	}
	s.hmu.Lock()
	s.evictLocked()
	s.hmu.Unlock()
	return nil
}

// rowIDs builds the default IDs (NotificationID + "/" + Index) of a batch
// of rows as substrings of one string.
type rowIDs struct {
	all string
	off int
}

// newIDs returns the default IDs of the rows of msgs without one, in order.
func newIDs(msgs []Message) *rowIDs {
	var b strings.Builder
	var num [20]byte
	for i := range msgs {
		if m := &msgs[i]; m.ID == "" {
			if b.Cap() == 0 {
				b.Grow(len(msgs) * (len(m.NotificationID) + 8))
			}
			b.WriteString(m.NotificationID)
			b.WriteByte('/')
			b.Write(strconv.AppendInt(num[:0], int64(m.Index), 10))
		}
	}
	return &rowIDs{all: b.String()}
}

// next returns the ID of the next row without one, which must be the row
// of notification id at index.
func (r *rowIDs) next(id string, index int) string {
	n := len(id) + 1 + digits(index)
	s := r.all[r.off : r.off+n]
	r.off += n
	return s
}

// digits is the length of strconv.Itoa(i).
func digits(i int) int {
	n := 1
	if i < 0 {
		n++
		i = -i
	}
	for i >= 10 {
		i /= 10
		n++
	}
	return n
}

// row finds a message by ID. Rows with the default ID (NotificationID +
// "/" + Index) are found through their notification's outbox, so the store
// keeps no map over every message; other IDs are in custom.
func (s *MemoryStore) row(id string) (*Message, bool) {
	if i := strings.LastIndexByte(id, '/'); i > 0 {
		if q, ok := s.outbox[id[:i]]; ok {
			if idx, err := strconv.Atoi(id[i+1:]); err == nil {
				if m := q.at(idx); m != nil && m.ID == id {
					return m, true
				}
			}
		}
	}
	m, ok := s.custom[id]
	return m, ok
}

// isRowID reports whether id is the default ID of row index of
// notification nid.
func isRowID(id, nid string, index int) bool {
	if len(id) != len(nid)+1+digits(index) || id[:len(nid)] != nid || id[len(nid)] != '/' {
		return false
	}
	var num [20]byte
	return string(strconv.AppendInt(num[:0], int64(index), 10)) == id[len(nid)+1:]
}

// Messages implements OutboxStore.
func (s *MemoryStore) Messages(_ context.Context, notificationID string, from, limit int) ([]Message, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	q, ok := s.outbox[notificationID]
	if !ok {
		return nil, fmt.Errorf("notification %s: %w", notificationID, ErrNotFound)
	}
	i := q.search(from)
	if i >= len(q.rows) || limit <= 0 {
		return nil, nil
	}
	out := make([]Message, 0, min(limit, len(q.rows)-i))
	for ; i < len(q.rows) && len(out) < limit; i++ {
		if m := q.rows[i]; m != nil {
			out = append(out, s.copyRow(m))
		}
	}
	return out, nil
}

// Counts implements OutboxStore. The counts cover every row, also those
// the history window evicted.
func (s *MemoryStore) Counts(_ context.Context, notificationID string) (map[Outcome]int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	q, ok := s.outbox[notificationID]
	if !ok {
		return nil, fmt.Errorf("notification %s: %w", notificationID, ErrNotFound)
	}
	c := make(map[Outcome]int)
	for o, n := range q.counts {
		if n > 0 {
			c[Outcome(o)] = n
		}
	}
	return c, nil
}
