package sqlstore

import (
	"context"
	"fmt"

	"github.com/heraldsms/herald/notify"
)

// Paused implements notify.NotificationStore.
func (s *Store) Paused(ctx context.Context, account string) ([]notify.NotificationRecord, error) {
	rows, err := s.read(ctx, s.d.q(`SELECT `+notificationCols+` FROM herald_notifications
		WHERE account = ? AND state = 1 ORDER BY created_at, id`), account) // 1: NotificationPaused, as the partial index says
	if err != nil {
		return nil, fmt.Errorf("sqlstore: paused notifications of %q: %w", account, err)
	}
	return scanNotifications(rows)
}
