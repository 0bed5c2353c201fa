package notify

import (
	"context"
	"fmt"
	"hash/maphash"
	"sort"
	"sync"
	"time"

	"github.com/heraldsms/herald/compliance"
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
	claimed  map[string]*claim       // claimed rows by id (claimOf)
	byProv   provIndex               // provider, provider id
	recent   map[pair]*ring          // account, topic
	tallies  map[pair]*tallySeries   // account, topic
	convs    convIndex               // sender, recipient
	topics   map[string]Topic        // account \x00 name
	replies  map[string]*ReplyRecord
	replyLog map[string][]*ReplyRecord // account -> in arrival order
	lastIn   map[string]time.Time      // account, from, to -> last reply
	senders  map[string]string
	sticky   map[string]string
	seq      int64

	consent *compliance.MemoryConsentStore // memstore_shared.go
	freq    *sendLog                       // memstore_freq.go

	window memWindow // the final messages kept (memstore_window.go)

	lmu   sync.Mutex // guards lines
	lines map[string]provider.CachedLineInfo

	inbound inboundIDs // memstore_shared.go
}

// NewMemoryStore returns an empty in-memory Store. It keeps the most
// recent DefaultHistoryLimit final messages (WithHistoryLimit changes it).
func NewMemoryStore(opts ...MemoryOption) *MemoryStore {
	s := &MemoryStore{
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
		lastIn:   make(map[string]time.Time),
		senders:  make(map[string]string),
		sticky:   make(map[string]string),
		consent:  compliance.NewMemoryConsentStore(),
		freq:     newSendLog(sendRetention),
		window:   memWindow{limit: DefaultHistoryLimit},
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

var _ Store = (*MemoryStore)(nil)

func key2(a, b string) string { return a + "\x00" + b }

// pair is a two-part map key (provider and provider id, sender and
// recipient). Unlike a key2 string it shares the Message's strings, so
// filing a message in an index allocates no key.
type pair struct{ a, b string }

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
	return s.notificationsWhere(func(r *NotificationRecord) bool { return r.State == NotificationPending }), nil
}

// notificationsWhere returns copies of the records keep selects, oldest
// first (ties by id).
func (s *MemoryStore) notificationsWhere(keep func(*NotificationRecord) bool) []NotificationRecord {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []NotificationRecord
	for _, r := range s.notifs {
		if keep(r) {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}
