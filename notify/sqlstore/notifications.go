package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/heraldsms/herald/notify"
)

const notificationCols = `id, account, topic, idem_key, request, state, pause_reason, total, created_at, updated_at`

func scanNotification(r scanner) (notify.NotificationRecord, error) {
	var (
		rec              notify.NotificationRecord
		req              string
		state            int
		created, updated int64
	)
	if err := r.Scan(&rec.ID, &rec.Account, &rec.Topic, &rec.IdempotencyKey, &req, &state, &rec.PauseReason, &rec.Total, &created, &updated); err != nil {
		return rec, err
	}
	rec.State = notify.NotificationState(state)
	rec.CreatedAt, rec.UpdatedAt = fromNanos(created), fromNanos(updated)
	if err := json.Unmarshal([]byte(req), &rec.Notification); err != nil {
		return rec, fmt.Errorf("sqlstore: notification %s request: %w", rec.ID, err)
	}
	return rec, nil
}

// CreateNotification implements notify.OutboxStore. Two instances creating
// a notification with the same idempotency key at once get one record.
func (s *Store) CreateNotification(ctx context.Context, rec notify.NotificationRecord) (notify.NotificationRecord, bool, error) {
	if rec.ID == "" {
		return notify.NotificationRecord{}, false, errors.New("sqlstore: notification record without ID")
	}
	req, err := json.Marshal(rec.Notification)
	if err != nil {
		return notify.NotificationRecord{}, false, fmt.Errorf("sqlstore: notification %s request: %w", rec.ID, err)
	}
	var (
		existing notify.NotificationRecord
		created  bool
	)
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO herald_notifications (`+notificationCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
			rec.ID, rec.Account, rec.Topic, rec.IdempotencyKey, string(req), int(rec.State), rec.PauseReason, rec.Total, nanos(rec.CreatedAt), nanos(rec.UpdatedAt))
		if err != nil {
			return fmt.Errorf("sqlstore: create notification %s: %w", rec.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			existing, created = rec, true
			return nil
		}
		if rec.IdempotencyKey != "" {
			existing, err = scanNotification(tx.QueryRowContext(ctx, s.d.q(`SELECT `+notificationCols+` FROM herald_notifications WHERE account = ? AND idem_key = ?`), rec.Account, rec.IdempotencyKey))
			if err == nil {
				return nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("sqlstore: notification by idempotency key: %w", err)
			}
		}
		return fmt.Errorf("sqlstore: notification %s already exists", rec.ID)
	})
	if err != nil {
		return notify.NotificationRecord{}, false, err
	}
	return existing, created, nil
}

// Notification implements notify.OutboxStore.
func (s *Store) Notification(ctx context.Context, id string) (notify.NotificationRecord, error) {
	rec, err := scanNotification(s.readRow(ctx, s.d.q(`SELECT `+notificationCols+` FROM herald_notifications WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return notify.NotificationRecord{}, fmt.Errorf("notification %s: %w", id, notify.ErrNotFound)
	}
	if err != nil {
		return notify.NotificationRecord{}, fmt.Errorf("sqlstore: notification %s: %w", id, err)
	}
	return rec, nil
}

// UpdateNotification implements notify.OutboxStore.
func (s *Store) UpdateNotification(ctx context.Context, rec notify.NotificationRecord) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.q(`UPDATE herald_notifications SET state = ?, pause_reason = ?, total = ?, updated_at = ? WHERE id = ?`),
			int(rec.State), rec.PauseReason, rec.Total, nanos(rec.UpdatedAt), rec.ID)
		if err != nil {
			return fmt.Errorf("sqlstore: update notification %s: %w", rec.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("notification %s: %w", rec.ID, notify.ErrNotFound)
		}
		return nil
	})
}

// Unfinished implements notify.OutboxStore.
func (s *Store) Unfinished(ctx context.Context) ([]notify.NotificationRecord, error) {
	rows, err := s.read(ctx, s.d.q(`SELECT `+notificationCols+` FROM herald_notifications WHERE state = ? ORDER BY created_at, id`), int(notify.NotificationPending))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: unfinished notifications: %w", err)
	}
	return scanNotifications(rows)
}

// scanNotifications reads every record of rows and closes them.
func scanNotifications(rows *sql.Rows) ([]notify.NotificationRecord, error) {
	defer rows.Close()
	var out []notify.NotificationRecord
	for rows.Next() {
		rec, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// exists reports whether notification id exists, as ErrNotFound when not.
func (s *Store) exists(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, id string) error {
	var one int
	err := q.QueryRowContext(ctx, s.d.q(`SELECT 1 FROM herald_notifications WHERE id = ?`), id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("notification %s: %w", id, notify.ErrNotFound)
	}
	return err
}
