package provider

import (
	"errors"
	"io"
	"net/http"
	"sync"
)

// DefaultMaxWebhookBytes is the body size webhook handlers accept unless
// configured otherwise (64 KiB; provider callbacks are a few hundred bytes).
const DefaultMaxWebhookBytes = 64 << 10

// ErrInvalidSignature is returned by webhook signature verifiers when a
// signature is missing, malformed or does not match.
var ErrInvalidSignature = errors.New("provider: invalid webhook signature")

// ErrStaleWebhook is returned by verifiers that check a timestamp when it is
// outside the allowed tolerance (a replay or a badly skewed clock).
var ErrStaleWebhook = errors.New("provider: webhook timestamp outside tolerance")

// ErrBodyTooLarge is returned by ReadWebhookBody for a body over the limit.
var ErrBodyTooLarge = errors.New("provider: webhook body too large")

// ReadWebhookBody reads r's body, refusing more than limit bytes (limit <= 0
// means DefaultMaxWebhookBytes). Over the limit it returns ErrBodyTooLarge
// and the handler should answer 413.
func ReadWebhookBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxWebhookBytes
	}
	if r.ContentLength > limit {
		return nil, ErrBodyTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, ErrBodyTooLarge
		}
		return nil, err
	}
	return body, nil
}

// ReadWebhookPost is the preamble every webhook handler shares: it accepts
// only POST and reads the body with ReadWebhookBody. When it returns false it
// has already answered the request (405, 413 or 400) and the handler must
// return without processing anything.
func ReadWebhookPost(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	body, err := ReadWebhookBody(w, r, limit)
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "cannot read body", http.StatusBadRequest)
		}
		return nil, false
	}
	return body, true
}

// SeenSet remembers the most recent keys (event ids, idempotency tokens) so
// webhook handlers can drop replays and provider retries of events they have
// already processed. It is safe for concurrent use; the zero value is not
// usable, create one with NewSeenSet.
type SeenSet struct {
	mu   sync.Mutex
	keys map[string]struct{}
	ring []string
	next int
}

// NewSeenSet returns a set that remembers up to capacity keys (at least 1),
// forgetting the oldest first.
func NewSeenSet(capacity int) *SeenSet {
	capacity = max(capacity, 1)
	return &SeenSet{keys: make(map[string]struct{}, capacity), ring: make([]string, capacity)}
}

// Add records key and reports whether it was new. An empty key is always
// new and never recorded.
func (s *SeenSet) Add(key string) bool {
	if key == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.keys[key]; ok {
		return false
	}
	if old := s.ring[s.next]; old != "" {
		delete(s.keys, old)
	}
	s.ring[s.next] = key
	s.next = (s.next + 1) % len(s.ring)
	s.keys[key] = struct{}{}
	return true
}

// Remove forgets key, so a retry of an event whose processing failed is
// processed again.
func (s *SeenSet) Remove(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.keys[key]; !ok {
		return
	}
	delete(s.keys, key)
	for i, k := range s.ring {
		if k == key {
			s.ring[i] = ""
		}
	}
}
