package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/heraldsms/herald/notify"
)

// cancelDetail is the detail of a row canceled before it was sent.
const cancelDetail = "the notification was canceled before this recipient was sent"

// CancelRows implements notify.OutboxStore: every pending or deferred row
// of the notification that nobody holds becomes OutcomeCanceled.
func (s *Store) CancelRows(ctx context.Context, notificationID string, at time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.exists(ctx, tx, notificationID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.d.q(`UPDATE herald_messages SET outcome = ?, reason = 'canceled', detail = ?, updated_at = ?
			WHERE notification_id = ? AND outcome IN (?, ?) AND claim_owner = ''`),
			int(notify.OutcomeCanceled), cancelDetail, nanos(at), notificationID, int(notify.OutcomePending), int(notify.OutcomeDeferred))
		if err != nil {
			return fmt.Errorf("sqlstore: cancel rows of %s: %w", notificationID, err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
