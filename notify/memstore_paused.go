package notify

import "context"

// Paused implements NotificationStore.
func (s *MemoryStore) Paused(_ context.Context, account string) ([]NotificationRecord, error) {
	return s.notificationsWhere(func(r *NotificationRecord) bool {
		return r.State == NotificationPaused && r.Account == account
	}), nil
}
