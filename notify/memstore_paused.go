package notify

import (
	"context"
	"sort"
)

// Paused implements NotificationStore.
func (s *MemoryStore) Paused(_ context.Context, account string) ([]NotificationRecord, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []NotificationRecord
	for _, r := range s.notifs {
		if r.State == NotificationPaused && r.Account == account {
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
