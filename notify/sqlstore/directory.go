package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

const topicCols = `account, name, title, disabled, created_at, updated_at`

func scanTopic(r scanner) (notify.Topic, error) {
	var (
		t                notify.Topic
		disabled         int
		created, updated int64
	)
	if err := r.Scan(&t.Account, &t.Name, &t.Title, &disabled, &created, &updated); err != nil {
		return t, err
	}
	t.Disabled, t.CreatedAt, t.UpdatedAt = disabled != 0, fromNanos(created), fromNanos(updated)
	return t, nil
}

// PutTopic implements notify.TopicStore.
func (s *Store) PutTopic(ctx context.Context, t notify.Topic) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO herald_topics (`+topicCols+`) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (account, name) DO UPDATE SET title = excluded.title, disabled = excluded.disabled,
			created_at = excluded.created_at, updated_at = excluded.updated_at`),
			t.Account, t.Name, t.Title, boolInt(t.Disabled), nanos(t.CreatedAt), nanos(t.UpdatedAt))
		if err != nil {
			return fmt.Errorf("sqlstore: put topic %q: %w", t.Name, err)
		}
		return nil
	})
}

// Topic implements notify.TopicStore.
func (s *Store) Topic(ctx context.Context, account, name string) (notify.Topic, error) {
	t, err := scanTopic(s.readRow(ctx, s.d.q(`SELECT `+topicCols+` FROM herald_topics WHERE account = ? AND name = ?`), account, name))
	if errors.Is(err, sql.ErrNoRows) {
		return notify.Topic{}, fmt.Errorf("topic %q: %w", name, notify.ErrNotFound)
	}
	if err != nil {
		return notify.Topic{}, fmt.Errorf("sqlstore: topic %q: %w", name, err)
	}
	return t, nil
}

// Topics implements notify.TopicStore.
func (s *Store) Topics(ctx context.Context, account string) ([]notify.Topic, error) {
	rows, err := s.read(ctx, s.d.q(`SELECT `+topicCols+` FROM herald_topics WHERE account = ? ORDER BY name`), account)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: topics of %q: %w", account, err)
	}
	defer rows.Close()
	var out []notify.Topic
	for rows.Next() {
		t, err := scanTopic(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

const replyCols = `id, account, topic, notification_id, message_id, from_num, to_num, body, received, state, metadata`

// AddReply implements notify.ReplyStore. An empty ID is assigned a random
// one.
func (s *Store) AddReply(ctx context.Context, r notify.ReplyRecord) (notify.ReplyRecord, error) {
	if r.ID == "" {
		var b [8]byte
		_, _ = rand.Read(b[:]) // never fails
		r.ID = "r" + hex.EncodeToString(b[:])
	}
	md, err := encodeMap(r.Metadata)
	if err != nil {
		return notify.ReplyRecord{}, fmt.Errorf("sqlstore: reply %s metadata: %w", r.ID, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO herald_replies (`+replyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`),
			r.ID, r.Account, r.Topic, r.NotificationID, r.MessageID, r.From, r.To, r.Body, nanos(r.Received), int(r.State), md)
		if err != nil {
			return fmt.Errorf("sqlstore: add reply %s: %w", r.ID, err)
		}
		if ok, err := changedOne(res); err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("sqlstore: reply %s already exists", r.ID)
		}
		return nil
	})
	if err != nil {
		return notify.ReplyRecord{}, err
	}
	return r, nil
}

// Replies implements notify.ReplyStore.
func (s *Store) Replies(ctx context.Context, account string, state notify.ReplyState) ([]notify.ReplyRecord, error) {
	rows, err := s.read(ctx, s.d.q(`SELECT `+replyCols+` FROM herald_replies WHERE account = ? AND state = ? ORDER BY seq DESC`), account, int(state))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: replies of %q: %w", account, err)
	}
	defer rows.Close()
	var out []notify.ReplyRecord
	for rows.Next() {
		var (
			r        notify.ReplyRecord
			received int64
			st       int
			md       string
		)
		if err := rows.Scan(&r.ID, &r.Account, &r.Topic, &r.NotificationID, &r.MessageID, &r.From, &r.To, &r.Body, &received, &st, &md); err != nil {
			return nil, err
		}
		r.Received, r.State = fromNanos(received), notify.ReplyState(st)
		if r.Metadata, err = decodeMap(md); err != nil {
			return nil, fmt.Errorf("sqlstore: reply %s metadata: %w", r.ID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ResolveReply implements notify.ReplyStore.
func (s *Store) ResolveReply(ctx context.Context, account, id string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.q(`UPDATE herald_replies SET state = ? WHERE account = ? AND id = ?`), int(notify.ReplyResolved), account, id)
		if err != nil {
			return fmt.Errorf("sqlstore: resolve reply %s: %w", id, err)
		}
		if ok, err := changedOne(res); err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("reply %s: %w", id, notify.ErrNotFound)
		}
		return nil
	})
}

// ClaimSender implements notify.ReplyStore.
func (s *Store) ClaimSender(ctx context.Context, number, account string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO herald_senders (number, account) VALUES (?, ?) ON CONFLICT DO NOTHING`), number, account); err != nil {
			return fmt.Errorf("sqlstore: claim sender %s: %w", provider.MaskNumber(number), err)
		}
		var owner string
		if err := tx.QueryRowContext(ctx, s.d.q(`SELECT account FROM herald_senders WHERE number = ?`), number).Scan(&owner); err != nil {
			return fmt.Errorf("sqlstore: claim sender %s: %w", provider.MaskNumber(number), err)
		}
		if owner != account {
			return fmt.Errorf("sender %s: %w", provider.MaskNumber(number), notify.ErrSenderOwned)
		}
		return nil
	})
}

// SenderAccount implements notify.ReplyStore.
func (s *Store) SenderAccount(ctx context.Context, number string) (string, error) {
	var a string
	err := s.readRow(ctx, s.d.q(`SELECT account FROM herald_senders WHERE number = ?`), number).Scan(&a)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("sender %s: %w", provider.MaskNumber(number), notify.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("sqlstore: sender %s: %w", provider.MaskNumber(number), err)
	}
	return a, nil
}

// StickySender implements notify.ReplyStore. The first candidate recorded
// for a recipient wins, across instances.
func (s *Store) StickySender(ctx context.Context, account, pool, recipient, candidate string) (string, error) {
	var got string
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO herald_sticky (account, pool, recipient, number) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`),
			account, pool, recipient, candidate); err != nil {
			return fmt.Errorf("sqlstore: sticky sender for %s: %w", provider.MaskNumber(recipient), err)
		}
		return tx.QueryRowContext(ctx, s.d.q(`SELECT number FROM herald_sticky WHERE account = ? AND pool = ? AND recipient = ?`),
			account, pool, recipient).Scan(&got)
	})
	if err != nil {
		return "", err
	}
	return got, nil
}

// LastInbound implements notify.InboundTimes: when from last texted to in
// account (a stored reply), or the zero time.
func (s *Store) LastInbound(ctx context.Context, account, from, to string) (time.Time, error) {
	var at int64
	err := s.readRow(ctx, s.d.q(`SELECT COALESCE(MAX(received), 0) FROM herald_replies WHERE from_num = ? AND to_num = ? AND account = ?`), from, to, account).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlstore: last reply of %s: %w", provider.MaskNumber(from), err)
	}
	return fromNanos(at), nil
}
