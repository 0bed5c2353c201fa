package notify

import (
	"context"
	"fmt"
)

// Paused lists account's paused notifications, oldest first. Each record's
// PauseReason says why it stopped (the reputation guard's threshold, a
// sender the carrier refused, or the reason given to Pause); Resume
// continues one. Pending notifications are not listed.
func (s *Service) Paused(ctx context.Context, account string) ([]NotificationRecord, error) {
	recs, err := s.store.Paused(ctx, account)
	if err != nil {
		return nil, fmt.Errorf("notify: paused notifications of %q: %w", account, err)
	}
	return recs, nil
}
