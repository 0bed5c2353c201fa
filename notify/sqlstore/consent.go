package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/heraldsms/herald/compliance"
)

const consentCols = `record_id, number, scope, kind, action, at_ns, level, source, disclosure, disclosure_version,
	reply_text, channel, actor, ip, user_agent, url`

// Append implements compliance.ConsentStore: the record is written before
// Append returns, and no instance caches consent, so every State call that
// starts afterwards, on any instance, sees it.
func (s *Store) Append(ctx context.Context, r compliance.Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO herald_consent (`+consentCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			r.ID, r.Number, r.Scope, int(r.Kind), int(r.Action), r.At.UnixNano(), int(r.Level), string(r.Source), r.Disclosure, r.DisclosureVersion,
			r.Text, r.Channel, r.Actor, r.IP, r.UserAgent, r.URL)
		if err != nil {
			return fmt.Errorf("sqlstore: append consent for %s: %w", compliance.MaskNumber(r.Number), err)
		}
		return nil
	})
}

// History implements compliance.ConsentStore.
func (s *Store) History(ctx context.Context, number string) ([]compliance.Record, error) {
	return s.history(ctx, number, `SELECT `+consentCols+` FROM herald_consent WHERE number = ? ORDER BY at_ns, seq`, number)
}

// State implements compliance.ConsentStore. It reads the ledger on every
// call.
func (s *Store) State(ctx context.Context, number, scope string, kind compliance.Kind, at time.Time) (compliance.ConsentState, error) {
	h, err := s.history(ctx, number, `SELECT `+consentCols+` FROM herald_consent WHERE number = ? AND at_ns <= ? ORDER BY at_ns, seq`, number, at.UnixNano())
	if err != nil {
		return compliance.ConsentState{}, err
	}
	return compliance.DeriveState(h, scope, kind, at), nil
}

func (s *Store) history(ctx context.Context, number, query string, args ...any) ([]compliance.Record, error) {
	rows, err := s.read(ctx, s.d.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: consent history of %s: %w", compliance.MaskNumber(number), err)
	}
	defer rows.Close()
	out := []compliance.Record{}
	for rows.Next() {
		var (
			r                   compliance.Record
			kind, action, level int
			at                  int64
			source              string
		)
		if err := rows.Scan(&r.ID, &r.Number, &r.Scope, &kind, &action, &at, &level, &source, &r.Disclosure, &r.DisclosureVersion,
			&r.Text, &r.Channel, &r.Actor, &r.IP, &r.UserAgent, &r.URL); err != nil {
			return nil, err
		}
		r.Kind, r.Action, r.Level, r.Source = compliance.Kind(kind), compliance.Action(action), compliance.Level(level), compliance.Source(source)
		r.At = time.Unix(0, at).UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
