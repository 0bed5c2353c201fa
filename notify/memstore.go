package notify

import (
	"context"
	"fmt"
	"github.com/heraldsms/herald/compliance"
	"hash/maphash"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heraldsms/herald/internal/e164"
	"github.com/heraldsms/herald/provider"
)

// recentCap is how many final messages per topic the memory store keeps for
// Recent.
const recentCap = 1000

// MemoryStore is the default Store: everything in memory, safe for
// concurrent use, lost on restart. Returned Messages share their Metadata
// map with the store; treat it as read-only.
type MemoryStore struct {
	// mu guards the outbox: notifications, rows and claims. hmu guards the
	// history indexes, topics, replies and senders. A row is written only
	// under mu; once final it is changed only by ApplyStatus, which holds
	// both, so history readers copy it under hmu alone. When both are
	// held, mu is taken first.
	mu  sync.RWMutex
	hmu sync.RWMutex

	notifs   map[string]*NotificationRecord
	idem     map[string]string       // account \x00 key -> notification id
	custom   map[string]*Message     // rows whose ID is not NotificationID/Index, by id
	outbox   map[string]*outboxQueue // notification id -> rows
	claimed  map[string]*claim       // rows with a ClaimOwner, by id
	byProv   provIndex               // provider, provider id
	recent   map[pair]*ring          // account, topic
	tallies  map[pair]*tallySeries   // account, topic
	convs    convIndex               // sender, recipient
	topics   map[string]Topic        // account \x00 name
	replies  map[string]*ReplyRecord
	replyLog map[string][]*ReplyRecord // account -> in arrival order
	senders  map[string]string
	sticky   map[string]string
	seq      int64

	consent *compliance.MemoryConsentStore   // memstore_shared.go
	freq    *compliance.MemoryFrequencyStore // memstore_shared.go
}

type outboxQueue struct {
	rows     []*Message            // in Index order
	cursor   int                   // rows before cursor are not Pending (claimed, deferred or final)
	deferred map[*Message]struct{} // unclaimed rows with OutcomeDeferred
}

// NewMemoryStore returns an empty in-memory Store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{
		notifs:   make(map[string]*NotificationRecord),
		idem:     make(map[string]string),
		custom:   make(map[string]*Message),
		outbox:   make(map[string]*outboxQueue),
		claimed:  make(map[string]*claim),
		byProv:   provIndex{seed: maphash.MakeSeed(), m: make(map[uint64]*Message), clash: make(map[pair]*Message)},
		recent:   make(map[pair]*ring),
		tallies:  make(map[pair]*tallySeries),
		convs:    convIndex{m: make(map[convKey]*conv), other: make(map[pair]*conv)},
		topics:   make(map[string]Topic),
		replies:  make(map[string]*ReplyRecord),
		replyLog: make(map[string][]*ReplyRecord),
		senders:  make(map[string]string),
		sticky:   make(map[string]string),
		consent:  compliance.NewMemoryConsentStore(),
		freq:     compliance.NewMemoryFrequencyStore(sendRetention),
	}
}

var _ Store = (*MemoryStore)(nil)

func key2(a, b string) string { return a + "\x00" + b }

// pair is a two-part map key (provider and provider id, sender and
// recipient). Unlike a key2 string it shares the Message's strings, so
// filing a message in an index allocates no key.
type pair struct{ a, b string }

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

// CreateNotification implements OutboxStore.
func (s *MemoryStore) CreateNotification(_ context.Context, rec NotificationRecord) (NotificationRecord, bool, error) {
	if rec.ID == "" {
		return NotificationRecord{}, false, fmt.Errorf("notify: notification record without ID")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec.IdempotencyKey != "" {
		if id, ok := s.idem[key2(rec.Account, rec.IdempotencyKey)]; ok {
			return *s.notifs[id], false, nil
		}
	}
	if _, dup := s.notifs[rec.ID]; dup {
		return NotificationRecord{}, false, fmt.Errorf("notify: notification %s already exists", rec.ID)
	}
	if rec.IdempotencyKey != "" {
		s.idem[key2(rec.Account, rec.IdempotencyKey)] = rec.ID
	}
	r := rec
	s.notifs[rec.ID] = &r
	s.outbox[rec.ID] = &outboxQueue{deferred: make(map[*Message]struct{})}
	return rec, true, nil
}

// Notification implements OutboxStore.
func (s *MemoryStore) Notification(_ context.Context, id string) (NotificationRecord, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.notifs[id]
	if !ok {
		return NotificationRecord{}, fmt.Errorf("notification %s: %w", id, ErrNotFound)
	}
	return *r, nil
}

// UpdateNotification implements OutboxStore.
func (s *MemoryStore) UpdateNotification(_ context.Context, rec NotificationRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.notifs[rec.ID]
	if !ok {
		return fmt.Errorf("notification %s: %w", rec.ID, ErrNotFound)
	}
	r.State, r.PauseReason, r.Total = rec.State, rec.PauseReason, rec.Total
	r.UpdatedAt = rec.UpdatedAt
	return nil
}

// Unfinished implements OutboxStore.
func (s *MemoryStore) Unfinished(_ context.Context) ([]NotificationRecord, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []NotificationRecord
	for _, r := range s.notifs {
		if r.State == NotificationPending {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

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
	// in one string: messages are never removed, so nothing is kept alive
	// longer, and a batch costs two allocations instead of two per row.
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
		dup := q.at(p.Index) != nil
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
		if p.Outcome.Final() {
			s.hmu.Lock()
			s.recordFinal(p)
			s.hmu.Unlock()
		}
	}
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

// at returns the row with Index idx, or nil. Rows are kept in Index order
// and a notification's indexes usually start at 0 without gaps, so the row
// is usually at position idx.
func (q *outboxQueue) at(idx int) *Message {
	if idx >= 0 && idx < len(q.rows) && q.rows[idx].Index == idx {
		return q.rows[idx]
	}
	i := sort.Search(len(q.rows), func(i int) bool { return q.rows[i].Index >= idx })
	if i < len(q.rows) && q.rows[i].Index == idx {
		return q.rows[i]
	}
	return nil
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

// Claim implements OutboxStore.
func (s *MemoryStore) Claim(_ context.Context, notificationID, owner string, limit int, now, until time.Time) ([]Message, error) {
	// Rows are claimed under the write lock and copied out under the read
	// lock, so MarkSending by the workers goes on while they are copied.
	taken, err := s.take(notificationID, owner, limit, now, until)
	if len(taken) == 0 {
		return nil, err
	}
	slices.SortFunc(taken, func(a, b *Message) int { return a.Index - b.Index })
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Message, 0, len(taken))
	for _, m := range taken {
		// Recover may have ended a claim in between (a lease shorter than
		// this call); such a row is no longer this owner's to return.
		if m.ClaimOwner == owner && m.ClaimUntil.Equal(until) {
			out = append(out, copyMessage(m))
		}
	}
	return out, nil
}

// take claims up to limit rows for owner and returns them.
func (s *MemoryStore) take(notificationID, owner string, limit int, now, until time.Time) ([]*Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.outbox[notificationID]
	if !ok {
		return nil, fmt.Errorf("notification %s: %w", notificationID, ErrNotFound)
	}
	var out []*Message
	if n := len(q.rows) - q.cursor + len(q.deferred); n > 0 && limit > 0 {
		out = make([]*Message, 0, min(limit, n))
	}
	var states []claim // claims are allocated together, never moved
	take := func(m *Message) {
		if len(states) == cap(states) {
			states = make([]claim, 0, max(1, min(limit-len(out), len(q.rows)-q.cursor+len(q.deferred)+1)))
		}
		delete(q.deferred, m)
		m.ClaimOwner, m.ClaimUntil, m.Sending = owner, until, false
		states = append(states, claim{m: m})
		s.claimed[m.ID] = &states[len(states)-1]
		out = append(out, m)
	}
	// Due deferrals first: they have waited longest.
	for m := range q.deferred {
		if len(out) >= limit {
			break
		}
		if !m.NotBefore.After(now) {
			take(m)
		}
	}
	for q.cursor < len(q.rows) && len(out) < limit {
		m := q.rows[q.cursor]
		q.cursor++
		switch {
		case m.Outcome == OutcomePending && m.ClaimOwner == "":
			take(m)
		case m.Outcome == OutcomeDeferred && m.ClaimOwner == "":
			if m.NotBefore.After(now) {
				q.deferred[m] = struct{}{}
			} else {
				take(m)
			}
		}
	}
	return out, nil
}

// claim is the state of a claimed row that MarkSending changes. It is kept
// beside the row, in atomics, so MarkSending needs only the read lock and
// does not queue behind the outbox's writers; it is folded into the row
// when the claim ends (Complete, Release, Recover) and shown in copies of
// the row meanwhile.
type claim struct {
	m        *Message
	sending  atomic.Bool
	attempts atomic.Int32 // MarkSending calls since the claim
}

// settle folds c into its row, which stays claimed.
func (c *claim) settle() {
	c.m.Attempts += int(c.attempts.Swap(0))
	c.m.Sending = c.m.Sending || c.sending.Load()
}

// overlay shows c's state in a copy of its row.
func (c *claim) overlay(m *Message) {
	m.Attempts += int(c.attempts.Load())
	m.Sending = m.Sending || c.sending.Load()
}

// copyRow copies row m, with its claim's state when it is claimed. The
// caller holds mu (read or write).
func (s *MemoryStore) copyRow(m *Message) Message {
	c := copyMessage(m)
	if m.ClaimOwner != "" {
		if cl := s.claimed[m.ID]; cl != nil {
			cl.overlay(&c)
		}
	}
	return c
}

// held returns the claim of row id by owner. Claimed rows are few, so the
// lookup goes to the small claimed map before the whole store.
func (s *MemoryStore) held(id, owner string) (*claim, error) {
	c, ok := s.claimed[id]
	if !ok {
		if _, ok := s.row(id); !ok {
			return nil, fmt.Errorf("message %s: %w", id, ErrNotFound)
		}
		return nil, fmt.Errorf("message %s: %w", id, ErrClaimLost)
	}
	if c.m.ClaimOwner != owner || owner == "" {
		return nil, fmt.Errorf("message %s: %w", id, ErrClaimLost)
	}
	return c, nil
}

// MarkSending implements OutboxStore.
func (s *MemoryStore) MarkSending(_ context.Context, id, owner string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.held(id, owner)
	if err != nil {
		return err
	}
	c.sending.Store(true)
	c.attempts.Add(1)
	return nil
}

// Complete implements OutboxStore.
func (s *MemoryStore) Complete(_ context.Context, done Message, owner string) error {
	s.mu.Lock()
	c, err := s.held(done.ID, owner)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	c.settle()
	m := c.m
	attempts := m.Attempts
	delete(s.claimed, m.ID)
	*m = done
	m.Statuses = slices.Clone(done.Statuses)
	m.Attempts = max(attempts, done.Attempts)
	m.ClaimOwner, m.ClaimUntil, m.Sending = "", time.Time{}, false
	switch {
	case m.Outcome == OutcomePending:
		s.rewind(m)
	case m.Outcome == OutcomeDeferred:
		s.requeue(m)
	}
	final := m.Outcome.Final()
	s.mu.Unlock()
	if final {
		// The row is final: no one else writes it until it is in the
		// indexes, and filing it there does not hold up the outbox.
		s.hmu.Lock()
		s.recordFinal(m)
		s.hmu.Unlock()
	}
	return nil
}

// rewind makes an unclaimed Pending row claimable again.
func (s *MemoryStore) rewind(m *Message) {
	if m.Outcome == OutcomeDeferred {
		s.requeue(m)
		return
	}
	q, ok := s.outbox[m.NotificationID]
	if !ok {
		return
	}
	if i := sort.Search(len(q.rows), func(i int) bool { return q.rows[i].Index >= m.Index }); i < q.cursor {
		q.cursor = i
	}
}

// requeue files an unclaimed deferred row for a later Claim.
func (s *MemoryStore) requeue(m *Message) {
	if q, ok := s.outbox[m.NotificationID]; ok {
		q.deferred[m] = struct{}{}
	}
}

// Release implements OutboxStore.
func (s *MemoryStore) Release(_ context.Context, ids []string, owner string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		c, err := s.held(id, owner)
		if err != nil {
			return err
		}
		c.settle()
		m := c.m
		m.ClaimOwner, m.ClaimUntil, m.Sending = "", time.Time{}, false
		delete(s.claimed, id)
		s.rewind(m)
	}
	return nil
}

// Recover implements OutboxStore.
func (s *MemoryStore) Recover(_ context.Context, now time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, c := range s.claimed {
		m := c.m
		if m.ClaimUntil.After(now) {
			continue
		}
		n++
		delete(s.claimed, id)
		c.settle()
		if m.Sending {
			m.Outcome, m.Reason = OutcomeUnknown, "interrupted"
			m.Detail = "the service stopped while this message was with the provider; it may have been sent and is not resent"
			m.UpdatedAt = now
			m.ClaimOwner, m.ClaimUntil, m.Sending = "", time.Time{}, false
			s.hmu.Lock()
			s.recordFinal(m)
			s.hmu.Unlock()
			continue
		}
		m.ClaimOwner, m.ClaimUntil = "", time.Time{}
		s.rewind(m)
	}
	return n, nil
}

// Messages implements OutboxStore.
func (s *MemoryStore) Messages(_ context.Context, notificationID string, from, limit int) ([]Message, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	q, ok := s.outbox[notificationID]
	if !ok {
		return nil, fmt.Errorf("notification %s: %w", notificationID, ErrNotFound)
	}
	i := sort.Search(len(q.rows), func(i int) bool { return q.rows[i].Index >= from })
	if i >= len(q.rows) || limit <= 0 {
		return nil, nil
	}
	out := make([]Message, 0, min(limit, len(q.rows)-i))
	for ; i < len(q.rows) && len(out) < limit; i++ {
		out = append(out, s.copyRow(q.rows[i]))
	}
	return out, nil
}

// readRows calls f for up to limit rows of a notification, in Index order
// from Index from, under the read lock and without copying them; f must not
// keep or change m, nor call the store. It returns the Index after the last
// row read, and 0 rows read when there are no more.
func (s *MemoryStore) readRows(notificationID string, from, limit int, f func(m *Message)) (next, n int, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	q, ok := s.outbox[notificationID]
	if !ok {
		return 0, 0, fmt.Errorf("notification %s: %w", notificationID, ErrNotFound)
	}
	i := sort.Search(len(q.rows), func(i int) bool { return q.rows[i].Index >= from })
	for ; i < len(q.rows) && n < limit; i++ {
		f(q.rows[i])
		next = q.rows[i].Index + 1
		n++
	}
	return next, n, nil
}

// Counts implements OutboxStore.
func (s *MemoryStore) Counts(_ context.Context, notificationID string) (map[Outcome]int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	q, ok := s.outbox[notificationID]
	if !ok {
		return nil, fmt.Errorf("notification %s: %w", notificationID, ErrNotFound)
	}
	c := make(map[Outcome]int)
	for _, m := range q.rows {
		c[m.Outcome]++
	}
	return c, nil
}

// recordFinal files a message that reached a final outcome in the recent
// history, the reply routing index and the tallies. The caller holds hmu.
func (s *MemoryStore) recordFinal(m *Message) {
	tk := pair{m.Account, m.Topic}
	at := m.UpdatedAt
	var t Tally
	switch m.Outcome {
	case OutcomeSent:
		t.Sent = 1
		if m.ProviderID != "" {
			s.byProv.put(m)
		}
	case OutcomeFailed:
		t.Failed = 1
	case OutcomeDenied:
		t.Denied = 1
	case OutcomeUnknown:
		t.Unknown = 1
	default:
		// invalid, duplicate, canceled: history only, no tally.
	}
	// A message that went (or may have gone) out is what a reply answers.
	if (m.Outcome == OutcomeSent || m.Outcome == OutcomeUnknown) && m.From != "" && m.To != "" {
		s.convs.get(m.From, m.To, true).add(m)
	}
	if t != (Tally{}) {
		s.series(tk).add(at, t)
	}
	r := s.recent[tk]
	if r == nil {
		r = &ring{}
		s.recent[tk] = r
	}
	r.push(m)
}

func (s *MemoryStore) series(tk pair) *tallySeries {
	ts := s.tallies[tk]
	if ts == nil {
		ts = &tallySeries{buckets: make(map[int64]*Tally)}
		s.tallies[tk] = ts
	}
	return ts
}

// Message implements HistoryStore.
func (s *MemoryStore) Message(_ context.Context, id string) (Message, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.row(id)
	if !ok {
		return Message{}, fmt.Errorf("message %s: %w", id, ErrNotFound)
	}
	return s.copyRow(m), nil
}

// MessageByProviderID implements HistoryStore.
func (s *MemoryStore) MessageByProviderID(_ context.Context, providerName, providerID string) (Message, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	m := s.byProv.get(providerName, providerID)
	if m == nil {
		return Message{}, fmt.Errorf("provider message %s %s: %w", providerName, providerID, ErrNotFound)
	}
	return copyMessage(m), nil
}

// ApplyStatus implements HistoryStore.
func (s *MemoryStore) ApplyStatus(_ context.Context, u provider.StatusUpdate) (Message, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hmu.Lock()
	defer s.hmu.Unlock()
	m := s.byProv.get(u.Provider, u.ID)
	if m == nil {
		return Message{}, false, fmt.Errorf("provider message %s %s: %w", u.Provider, u.ID, ErrNotFound)
	}
	for _, c := range m.Statuses {
		if c.Status == u.Status && c.Code == u.Code {
			return copyMessage(m), false, nil // a duplicate receipt
		}
	}
	m.Statuses = append(m.Statuses, StatusChange{Status: u.Status, Code: u.Code, At: u.At})
	next := m.Status.Advance(u.Status)
	if next == m.Status {
		return copyMessage(m), false, nil
	}
	m.Status = next
	if !u.At.IsZero() && u.At.After(m.UpdatedAt) {
		m.UpdatedAt = u.At
	}
	var t Tally
	switch next {
	case provider.StatusDelivered:
		t.Delivered = 1
	case provider.StatusUndelivered, provider.StatusFailed:
		t.Failed = 1
	}
	if t != (Tally{}) {
		at := u.At
		if at.IsZero() {
			at = m.UpdatedAt
		}
		s.series(pair{m.Account, m.Topic}).add(at, t)
	}
	return copyMessage(m), true, nil
}

// Recent implements HistoryStore.
func (s *MemoryStore) Recent(_ context.Context, account, topic string, limit int) ([]Message, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	r := s.recent[pair{account, topic}]
	if r == nil {
		return nil, nil
	}
	return r.newest(limit), nil
}

// Tally implements HistoryStore.
func (s *MemoryStore) Tally(_ context.Context, account, topic string, from, to time.Time) (Tally, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	ts := s.tallies[pair{account, topic}]
	if ts == nil {
		return Tally{}, nil
	}
	return ts.sum(from, to), nil
}

// Thread implements HistoryStore.
func (s *MemoryStore) Thread(_ context.Context, account, sender, recipient string, limit int) ([]Message, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	c := s.convs.get(sender, recipient, false)
	if c == nil {
		return []Message{}, nil
	}
	return c.thread(account, limit), nil
}

// LastMessage implements HistoryStore.
func (s *MemoryStore) LastMessage(_ context.Context, sender, recipient string) (Message, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	c := s.convs.get(sender, recipient, false)
	if c == nil {
		return Message{}, fmt.Errorf("message from %s to %s: %w", provider.MaskNumber(sender), provider.MaskNumber(recipient), ErrNotFound)
	}
	return copyMessage(c.last), nil
}

// PutTopic implements TopicStore.
func (s *MemoryStore) PutTopic(_ context.Context, t Topic) error {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	s.topics[key2(t.Account, t.Name)] = t
	return nil
}

// Topic implements TopicStore.
func (s *MemoryStore) Topic(_ context.Context, account, name string) (Topic, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	t, ok := s.topics[key2(account, name)]
	if !ok {
		return Topic{}, fmt.Errorf("topic %q: %w", name, ErrNotFound)
	}
	return t, nil
}

// Topics implements TopicStore.
func (s *MemoryStore) Topics(_ context.Context, account string) ([]Topic, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	var out []Topic
	for _, t := range s.topics {
		if t.Account == account {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// AddReply implements ReplyStore.
func (s *MemoryStore) AddReply(_ context.Context, r ReplyRecord) (ReplyRecord, error) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if r.ID == "" {
		s.seq++
		r.ID = "r" + strconv.FormatInt(s.seq, 10)
	}
	if _, dup := s.replies[r.ID]; dup {
		return ReplyRecord{}, fmt.Errorf("notify: reply %s already exists", r.ID)
	}
	p := &r
	s.replies[r.ID] = p
	s.replyLog[r.Account] = append(s.replyLog[r.Account], p)
	return r, nil
}

// Replies implements ReplyStore.
func (s *MemoryStore) Replies(_ context.Context, account string, state ReplyState) ([]ReplyRecord, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	log := s.replyLog[account]
	var out []ReplyRecord
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].State == state {
			out = append(out, *log[i])
		}
	}
	return out, nil
}

// ResolveReply implements ReplyStore.
func (s *MemoryStore) ResolveReply(_ context.Context, account, id string) error {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	r, ok := s.replies[id]
	if !ok || r.Account != account {
		return fmt.Errorf("reply %s: %w", id, ErrNotFound)
	}
	r.State = ReplyResolved
	return nil
}

// ClaimSender implements ReplyStore.
func (s *MemoryStore) ClaimSender(_ context.Context, number, account string) error {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if owner, ok := s.senders[number]; ok && owner != account {
		return fmt.Errorf("sender %s: %w", provider.MaskNumber(number), ErrSenderOwned)
	}
	s.senders[number] = account
	return nil
}

// SenderAccount implements ReplyStore.
func (s *MemoryStore) SenderAccount(_ context.Context, number string) (string, error) {
	s.hmu.RLock()
	defer s.hmu.RUnlock()
	a, ok := s.senders[number]
	if !ok {
		return "", fmt.Errorf("sender %s: %w", provider.MaskNumber(number), ErrNotFound)
	}
	return a, nil
}

// StickySender implements ReplyStore.
func (s *MemoryStore) StickySender(_ context.Context, account, pool, recipient, candidate string) (string, error) {
	k := account + "\x00" + pool + "\x00" + recipient
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if n, ok := s.sticky[k]; ok {
		return n, nil
	}
	s.sticky[k] = candidate
	return candidate, nil
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
