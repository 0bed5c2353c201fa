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
// call; on PostgreSQL concurrent calls are read together (see the package
// doc, Batching), each with a query that starts after the call did.
func (s *Store) State(ctx context.Context, number, scope string, kind compliance.Kind, at time.Time) (compliance.ConsentState, error) {
	var (
		h   []compliance.Record
		err error
	)
	if s.wsem != nil {
		h, err = s.history(ctx, number, `SELECT `+consentCols+` FROM herald_consent WHERE number = ? AND at_ns <= ? ORDER BY at_ns, seq`, number, at.UnixNano())
	} else {
		it := &stateItem{number: number, at: at.UnixNano()}
		err = s.states.do(ctx, it)
		h = it.out
	}
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
		r, err := scanConsent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// scanConsent reads one record selected with consentCols, after the
// values of lead (selected before them).
func scanConsent(rows *sql.Rows, lead ...any) (compliance.Record, error) {
	var (
		r                   compliance.Record
		kind, action, level int
		at                  int64
		source              string
	)
	dest := append(lead, &r.ID, &r.Number, &r.Scope, &kind, &action, &at, &level, &source, &r.Disclosure, &r.DisclosureVersion,
		&r.Text, &r.Channel, &r.Actor, &r.IP, &r.UserAgent, &r.URL)
	if err := rows.Scan(dest...); err != nil {
		return compliance.Record{}, err
	}
	r.Kind, r.Action, r.Level, r.Source = compliance.Kind(kind), compliance.Action(action), compliance.Level(level), compliance.Source(source)
	r.At = time.Unix(0, at).UTC()
	return r, nil
}

// stateItem is one State call: the number, the time, and the ledger
// records of the number up to that time.
type stateItem struct {
	number string
	at     int64
	out    []compliance.Record
}

// statesPG reads the ledger of several numbers, each up to its own time.
const statesPG = `SELECT v.i, ` + consentColsC + ` FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS v(number, at_ns, i)
	JOIN herald_consent AS c ON c.number = v.number AND c.at_ns <= v.at_ns
	ORDER BY v.i, c.at_ns, c.seq`

const consentColsC = `c.record_id, c.number, c.scope, c.kind, c.action, c.at_ns, c.level, c.source, c.disclosure,
	c.disclosure_version, c.reply_text, c.channel, c.actor, c.ip, c.user_agent, c.url`

// flushStates answers a batch of State calls (PostgreSQL) with one
// statement that starts after every call of the batch did, so each answer
// is as fresh as a query of its own. When it fails, each call reads on
// its own.
func (s *Store) flushStates(batch []*batchCall[*stateItem]) {
	ctx := context.Background()
	if err := s.statesBatch(ctx, batch); err == nil {
		return
	}
	for _, c := range batch {
		c.item.out, c.err = s.history(ctx, c.item.number,
			`SELECT `+consentCols+` FROM herald_consent WHERE number = ? AND at_ns <= ? ORDER BY at_ns, seq`, c.item.number, c.item.at)
	}
}

// statesBatch reads the batch's ledgers with statesPG.
func (s *Store) statesBatch(ctx context.Context, batch []*batchCall[*stateItem]) error {
	numbers, ats := make([]string, len(batch)), make([]int64, len(batch))
	for i, c := range batch {
		numbers[i], ats[i] = c.item.number, c.item.at
		c.item.out = []compliance.Record{}
	}
	rows, err := s.stmts[statesPG].QueryContext(ctx, numbers, ats)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		r, err := scanConsent(rows, &i)
		if err != nil {
			return err
		}
		if i < 1 || int(i) > len(batch) {
			return fmt.Errorf("sqlstore: consent of batch row %d of %d", i, len(batch))
		}
		it := batch[i-1].item
		it.out = append(it.out, r)
	}
	return rows.Err()
}
