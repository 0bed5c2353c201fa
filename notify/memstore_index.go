package notify

import (
	"hash/maphash"
	"slices"
	"time"

	"github.com/heraldsms/herald/internal/e164"
)

// provIndex finds final messages by provider and provider ID. It is keyed
// by a hash of the two (a key the map rehashes without reading strings as
// it grows to millions); a pair whose hash another pair already has goes to
// clash.
type provIndex struct {
	seed  maphash.Seed
	m     map[uint64]*Message
	clash map[pair]*Message
}

func (x *provIndex) get(provider, id string) *Message {
	if m := x.m[maphash.Comparable(x.seed, pair{provider, id})]; m != nil && m.Provider == provider && m.ProviderID == id {
		return m
	}
	return x.clash[pair{provider, id}]
}

func (x *provIndex) put(m *Message) {
	k := pair{m.Provider, m.ProviderID}
	h := maphash.Comparable(x.seed, k)
	if old := x.m[h]; old == nil || old.Provider == k.a && old.ProviderID == k.b {
		x.m[h] = m
		return
	}
	x.clash[k] = m
}

// convKey is a sender and a recipient in E.164, as integers.
type convKey struct{ from, to uint64 }

// convIndex finds the conversation of a sender and a recipient: by their
// numbers as integers when both are E.164 (no strings to read as the map
// grows), by the strings otherwise (an alphanumeric sender, a short code).
type convIndex struct {
	m     map[convKey]*conv
	other map[pair]*conv
}

// get returns the conversation of from and to; with create, a new one
// when there is none.
func (x *convIndex) get(from, to string, create bool) *conv {
	f, okf := e164.Key(from)
	t, okt := e164.Key(to)
	if okf && okt {
		return convIn(x.m, convKey{f, t}, create)
	}
	return convIn(x.other, pair{from, to}, create)
}

// convIn returns m[k]; with create, a new conversation when there is none.
func convIn[K comparable](m map[K]*conv, k K, create bool) *conv {
	c := m[k]
	if c == nil && create {
		c = &conv{}
		m[k] = c
	}
	return c
}

// conv is what one sender sent one recipient: the latest message, which a
// reply answers, and the thread of each account that used the sender,
// oldest first. A sender almost always has one account, whose thread is
// kept inline (first, then rest); others, after a number changed hands,
// are in more.
type conv struct {
	last    *Message
	account string
	first   *Message
	rest    []*Message
	more    map[string][]*Message
}

// add files m, the newest message of the pair.
func (c *conv) add(m *Message) {
	c.last = m
	switch {
	case c.first == nil:
		c.account, c.first = m.Account, m
	case m.Account == c.account:
		c.rest = append(c.rest, m)
	default:
		if c.more == nil {
			c.more = make(map[string][]*Message)
		}
		c.more[m.Account] = append(c.more[m.Account], m)
	}
}

// thread returns the newest limit (all when limit <= 0) messages of
// account's thread, oldest first, as copies.
func (c *conv) thread(account string, limit int) []Message {
	var t []*Message
	switch {
	case c.first != nil && account == c.account:
		t = make([]*Message, 0, 1+len(c.rest))
		t = append(append(t, c.first), c.rest...)
	default:
		t = c.more[account]
	}
	if limit > 0 && len(t) > limit {
		t = t[len(t)-limit:]
	}
	out := make([]Message, 0, len(t))
	for _, m := range t {
		out = append(out, copyMessage(m))
	}
	return out
}

// copyMessage returns a copy of m that does not share its Statuses slice.
func copyMessage(m *Message) Message {
	c := *m
	c.Statuses = slices.Clone(m.Statuses)
	return c
}

// ring keeps the last recentCap messages of a topic.
type ring struct {
	buf  [recentCap]*Message
	next int
	n    int
}

func (r *ring) push(m *Message) {
	r.buf[r.next] = m
	r.next = (r.next + 1) % recentCap
	if r.n < recentCap {
		r.n++
	}
}

func (r *ring) newest(limit int) []Message {
	if limit <= 0 || limit > r.n {
		limit = r.n
	}
	out := make([]Message, 0, limit)
	for i := 1; i <= limit; i++ {
		out = append(out, copyMessage(r.buf[(r.next-i+recentCap)%recentCap]))
	}
	return out
}

// tallySeries keeps a topic's counts in one-minute buckets, rolled up into
// one-hour buckets so a long interval sums a few hundred hours instead of
// tens of thousands of minutes.
type tallySeries struct {
	buckets map[int64]*Tally
	minutes []int64 // sorted keys of buckets
	hours   map[int64]*Tally
	hourIDs []int64 // sorted keys of hours

	// The buckets last added to: a bulk send adds to the same minute
	// again and again.
	lastMin      int64
	lastB, lastH *Tally
}

func (ts *tallySeries) add(at time.Time, t Tally) {
	min := at.Unix() / 60
	if ts.lastB != nil && ts.lastMin == min {
		*ts.lastB = ts.lastB.Add(t)
		*ts.lastH = ts.lastH.Add(t)
		return
	}
	b := ts.buckets[min]
	if b == nil {
		b = &Tally{}
		ts.buckets[min] = b
		i, _ := slices.BinarySearch(ts.minutes, min)
		ts.minutes = slices.Insert(ts.minutes, i, min)
	}
	*b = b.Add(t)
	if ts.hours == nil {
		ts.hours = make(map[int64]*Tally)
	}
	hour := min / 60
	h := ts.hours[hour]
	if h == nil {
		h = &Tally{}
		ts.hours[hour] = h
		i, _ := slices.BinarySearch(ts.hourIDs, hour)
		ts.hourIDs = slices.Insert(ts.hourIDs, i, hour)
	}
	*h = h.Add(t)
	ts.lastMin, ts.lastB, ts.lastH = min, b, h
}

func (ts *tallySeries) sum(from, to time.Time) Tally {
	fm, tm := from.Unix()/60, to.Unix()/60
	fh, th := (fm+59)/60, tm/60 // the whole hours inside [fm, tm)
	if fm < 0 || fh >= th {
		return ts.sumMinutes(fm, tm)
	}
	t := ts.sumMinutes(fm, fh*60).Add(ts.sumMinutes(th*60, tm))
	lo, _ := slices.BinarySearch(ts.hourIDs, fh)
	hi, _ := slices.BinarySearch(ts.hourIDs, th)
	for _, h := range ts.hourIDs[lo:hi] {
		t = t.Add(*ts.hours[h])
	}
	return t
}

// sumMinutes sums the minute buckets in [from, to).
func (ts *tallySeries) sumMinutes(from, to int64) Tally {
	lo, _ := slices.BinarySearch(ts.minutes, from)
	hi, _ := slices.BinarySearch(ts.minutes, to)
	var t Tally
	if lo >= hi {
		return t
	}
	for _, m := range ts.minutes[lo:hi] {
		t = t.Add(*ts.buckets[m])
	}
	return t
}
