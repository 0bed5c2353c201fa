package notify

import (
	"hash/maphash"

	"github.com/heraldsms/herald/internal/e164"
)

// DefaultHistoryLimit is how many final messages a MemoryStore keeps by
// default: enough for the delivery receipts and replies of recent sends,
// bounded so a long-running Service (or a SendStream of millions) does not
// keep every message it ever sent.
const DefaultHistoryLimit = 20_000

// MemoryOption configures a MemoryStore.
type MemoryOption func(*MemoryStore)

// WithHistoryLimit sets how many final messages (sent, failed, denied, ...)
// the MemoryStore keeps; older ones are forgotten, first finished first
// forgotten. A forgotten message is gone from Message, Messages, Recent
// beyond its last 1,000, Thread and the reply and receipt routing (a late
// receipt for it is dropped), but still counted in Counts and the topic
// tallies. Rows not yet final are always kept. n < 1 keeps the default.
// A host that needs the whole history uses a durable store
// (notify/sqlstore).
func WithHistoryLimit(n int) MemoryOption {
	return func(s *MemoryStore) {
		if n >= 1 {
			s.window.limit = n
		}
	}
}

// memWindow is the queue of final messages in the order they became final.
type memWindow struct {
	limit int
	queue []*Message
	head  int
}

// kept is how many final messages the window holds.
func (w *memWindow) kept() int { return len(w.queue) - w.head }

// slack is how far the window may run over its limit before it is
// trimmed, so trimming (which takes both locks) happens in batches.
func (w *memWindow) slack() int { return max(w.limit/16, 64) }

// overWindow reports whether the window needs trimming. The caller holds
// hmu.
func (s *MemoryStore) overWindow() bool {
	return s.window.kept() > s.window.limit+s.window.slack()
}

// evictLocked trims the window to its limit when it ran over. The caller
// holds mu and hmu (write).
func (s *MemoryStore) evictLocked() {
	w := &s.window
	if !s.overWindow() {
		return
	}
	for w.kept() > w.limit {
		m := w.queue[w.head]
		w.queue[w.head] = nil
		w.head++
		s.forget(m)
	}
	if w.head > len(w.queue)/2 {
		n := copy(w.queue, w.queue[w.head:])
		clear(w.queue[n:])
		w.queue = w.queue[:n]
		w.head = 0
	}
}

// forget drops m from the outbox and every index but the per-topic recent
// ring (bounded on its own). The caller holds mu and hmu.
func (s *MemoryStore) forget(m *Message) {
	if q := s.outbox[m.NotificationID]; q != nil {
		if i := q.slot(m.Index); i >= 0 && q.rows[i] == m {
			q.rows[i] = nil
			q.evicted()
		}
	}
	if len(s.custom) > 0 && s.custom[m.ID] == m {
		delete(s.custom, m.ID)
	}
	if m.ProviderID != "" {
		s.byProv.remove(m)
	}
	if m.From != "" && m.To != "" {
		if c := s.convs.get(m.From, m.To, false); c != nil && c.remove(m) {
			s.convs.drop(m.From, m.To)
		}
	}
}

// remove drops m from the index if it is filed there.
func (x *provIndex) remove(m *Message) {
	k := pair{m.Provider, m.ProviderID}
	h := maphash.Comparable(x.seed, k)
	if x.m[h] == m {
		delete(x.m, h)
		return
	}
	if x.clash[k] == m {
		delete(x.clash, k)
	}
}

// drop deletes the conversation of from and to.
func (x *convIndex) drop(from, to string) {
	f, okf := e164.Key(from)
	t, okt := e164.Key(to)
	if okf && okt {
		delete(x.m, convKey{f, t})
		return
	}
	delete(x.other, pair{from, to})
}

// remove takes m out of the conversation and reports whether it is empty.
func (c *conv) remove(m *Message) bool {
	switch {
	case c.first == m:
		if len(c.rest) > 0 {
			c.first = c.rest[0]
			c.rest[0] = nil
			c.rest = c.rest[1:]
		} else {
			c.first, c.rest = nil, nil
		}
	case m.Account == c.account:
		c.rest = removeMessage(c.rest, m)
	default:
		if t := removeMessage(c.more[m.Account], m); len(t) > 0 {
			c.more[m.Account] = t
		} else {
			delete(c.more, m.Account)
		}
	}
	empty := c.first == nil && len(c.rest) == 0 && len(c.more) == 0
	if c.last == m && !empty {
		c.last = c.first
		if len(c.rest) > 0 {
			c.last = c.rest[len(c.rest)-1]
		}
	}
	return empty
}

// removeMessage removes m from t (usually its first element).
func removeMessage(t []*Message, m *Message) []*Message {
	for i, x := range t {
		if x == m {
			copy(t[i:], t[i+1:])
			t[len(t)-1] = nil
			return t[:len(t)-1]
		}
	}
	return t
}
