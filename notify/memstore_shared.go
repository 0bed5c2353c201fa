package notify

import (
	"context"
	"sync"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
)

// The MemoryStore also keeps the state the compliance policy shares with
// every Service using the same store: the consent ledger and the sends
// behind frequency caps and the duplicate guard. Two Services over one
// MemoryStore honour each other's opt-outs and caps, as Services over one
// database do with notify/sqlstore.
var (
	_ compliance.ConsentStore   = (*MemoryStore)(nil)
	_ compliance.FrequencyStore = (*MemoryStore)(nil)
)

// sendRetention is how long the MemoryStore remembers a send for caps and
// the duplicate guard: longer than any cap window the policy applies.
const sendRetention = 8 * 24 * time.Hour

// Append implements compliance.ConsentStore.
func (s *MemoryStore) Append(ctx context.Context, r compliance.Record) error {
	return s.consent.Append(ctx, r)
}

// History implements compliance.ConsentStore.
func (s *MemoryStore) History(ctx context.Context, number string) ([]compliance.Record, error) {
	return s.consent.History(ctx, number)
}

// State implements compliance.ConsentStore.
func (s *MemoryStore) State(ctx context.Context, number, scope string, kind compliance.Kind, at time.Time) (compliance.ConsentState, error) {
	return s.consent.State(ctx, number, scope, kind, at)
}

// RecordSend implements compliance.FrequencyStore.
func (s *MemoryStore) RecordSend(ctx context.Context, r compliance.SendRecord) error {
	return s.freq.RecordSend(ctx, r)
}

// CountSends implements compliance.FrequencyStore.
func (s *MemoryStore) CountSends(ctx context.Context, q compliance.SendQuery) (compliance.SendTally, error) {
	return s.freq.CountSends(ctx, q)
}

var _ provider.LineInfoCache = (*MemoryStore)(nil)

// LoadLineInfo implements provider.LineInfoCache: the line-type answers
// lookups gave, shared by the Services using this store.
func (s *MemoryStore) LoadLineInfo(_ context.Context, number string) (provider.CachedLineInfo, bool, error) {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	v, ok := s.lines[number]
	return v, ok, nil
}

// StoreLineInfo implements provider.LineInfoCache.
func (s *MemoryStore) StoreLineInfo(_ context.Context, number string, v provider.CachedLineInfo) error {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	if s.lines == nil {
		s.lines = make(map[string]provider.CachedLineInfo)
	}
	s.lines[number] = v
	return nil
}

var _ InboundLog = (*MemoryStore)(nil)

// inboundRetention is how long the MemoryStore keeps an inbound ID that
// did not change consent: longer than any provider's webhook retries.
const inboundRetention = 7 * 24 * time.Hour

// inboundIDs is the MemoryStore's InboundLog.
type inboundIDs struct {
	mu     sync.Mutex
	at     map[pair]time.Time // zero time: pinned
	oldest time.Time
}

// RecordInbound implements InboundLog.
func (s *MemoryStore) RecordInbound(_ context.Context, providerName, providerID string, at time.Time) (bool, error) {
	l := &s.inbound
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.at == nil {
		l.at = make(map[pair]time.Time)
	}
	k := pair{providerName, providerID}
	if _, ok := l.at[k]; ok {
		return false, nil
	}
	l.at[k] = at
	if l.oldest.IsZero() || at.Before(l.oldest) {
		l.oldest = at
	}
	if cut := at.Add(-inboundRetention); l.oldest.Before(cut) {
		l.oldest = time.Time{}
		for k, t := range l.at {
			switch {
			case t.IsZero():
			case t.Before(cut):
				delete(l.at, k)
			case l.oldest.IsZero() || t.Before(l.oldest):
				l.oldest = t
			}
		}
	}
	return true, nil
}

// PinInbound implements InboundLog.
func (s *MemoryStore) PinInbound(_ context.Context, providerName, providerID string) error {
	l := &s.inbound
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.at == nil {
		l.at = make(map[pair]time.Time)
	}
	l.at[pair{providerName, providerID}] = time.Time{}
	return nil
}

// ForgetInbound implements InboundLog.
func (s *MemoryStore) ForgetInbound(_ context.Context, providerName, providerID string) error {
	l := &s.inbound
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.at, pair{providerName, providerID})
	return nil
}
