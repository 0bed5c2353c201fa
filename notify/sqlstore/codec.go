package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

// nanos stores t as Unix nanoseconds; the zero time is 0.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNanos is the inverse of nanos; times come back in UTC.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// minute is the tally bucket of t (as the memory store counts them).
func minute(t time.Time) int64 { return t.Unix() / 60 }

func encodeMap(m map[string]string) (string, error) {
	if len(m) == 0 {
		return "", nil
	}
	b, err := json.Marshal(m)
	return string(b), err
}

func decodeMap(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	var m map[string]string
	err := json.Unmarshal([]byte(s), &m)
	return m, err
}

// statusJSON is the stored form of one StatusChange.
type statusJSON struct {
	S provider.Status `json:"s"`
	C string          `json:"c,omitempty"`
	T int64           `json:"t"`
	B string          `json:"b,omitempty"` // By: who settled it
	N string          `json:"n,omitempty"` // Note
}

func encodeStatuses(cs []notify.StatusChange) (string, error) {
	if len(cs) == 0 {
		return "", nil
	}
	out := make([]statusJSON, len(cs))
	for i, c := range cs {
		out[i] = statusJSON{S: c.Status, C: c.Code, T: nanos(c.At), B: c.By, N: c.Note}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodeStatuses(s string) ([]notify.StatusChange, error) {
	if s == "" {
		return nil, nil
	}
	var in []statusJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]notify.StatusChange, len(in))
	for i, c := range in {
		out[i] = notify.StatusChange{Status: c.S, Code: c.C, At: fromNanos(c.T), By: c.B, Note: c.N}
	}
	return out, nil
}

// messageCols lists herald_messages' columns in the order messageArgs and
// scanMessage use (history_seq is managed separately).
const messageCols = `id, notification_id, idx, account, topic, given, to_num, from_num, body, segments, encoding,
	outcome, reason, detail, not_before, provider, provider_id, status, statuses, attempts, price, metadata,
	created_at, updated_at, claim_owner, claim_until, sending`

// messageColumns is the number of columns in messageCols plus history_seq.
const messageColumns = 28

// messageArgs returns m's column values in messageCols order, with id for
// m.ID.
func messageArgs(m *notify.Message, id string) ([]any, error) {
	st, md, err := encodeExtras(m)
	if err != nil {
		return nil, err
	}
	return []any{
		id, m.NotificationID, m.Index, m.Account, m.Topic, m.Given, m.To, m.From, m.Body, m.Segments, m.Encoding,
		int(m.Outcome), m.Reason, m.Detail, nanos(m.NotBefore), m.Provider, m.ProviderID, int(m.Status), st, m.Attempts, m.Price, md,
		nanos(m.CreatedAt), nanos(m.UpdatedAt), "", 0, 0, // unclaimed
	}, nil
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// claimed is a row with its lease: who holds it, and whether it was
// marked as with the provider. notify.Message carries no claim field; the
// store keeps them in its own columns.
type claimed struct {
	notify.Message
	owner   string
	sending bool
}

// scanMessage reads one row selected with messageCols.
func scanMessage(r scanner) (notify.Message, error) {
	c, err := scanClaimed(r)
	return c.Message, err
}

// scanClaimed reads one row selected with messageCols, with its lease.
func scanClaimed(r scanner) (claimed, error) {
	var (
		c                                       claimed
		m                                       = &c.Message
		outcome, status, sending                int
		notBefore, created, updated, claimUntil int64
		statuses, metadata                      string
	)
	err := r.Scan(&m.ID, &m.NotificationID, &m.Index, &m.Account, &m.Topic, &m.Given, &m.To, &m.From, &m.Body, &m.Segments, &m.Encoding,
		&outcome, &m.Reason, &m.Detail, &notBefore, &m.Provider, &m.ProviderID, &status, &statuses, &m.Attempts, &m.Price, &metadata,
		&created, &updated, &c.owner, &claimUntil, &sending)
	if err != nil {
		return claimed{}, err
	}
	c.sending = sending != 0
	m.Outcome, m.Status = notify.Outcome(outcome), provider.Status(status)
	m.NotBefore, m.CreatedAt, m.UpdatedAt = fromNanos(notBefore), fromNanos(created), fromNanos(updated)
	if m.Statuses, err = decodeStatuses(statuses); err != nil {
		return claimed{}, fmt.Errorf("sqlstore: message %s statuses: %w", m.ID, err)
	}
	if m.Metadata, err = decodeMap(metadata); err != nil {
		return claimed{}, fmt.Errorf("sqlstore: message %s metadata: %w", m.ID, err)
	}
	return c, nil
}

// scanClaimedRows reads every row of rows, with their leases, and closes
// it.
func scanClaimedRows(rows *sql.Rows) ([]claimed, error) {
	defer rows.Close()
	var out []claimed
	for rows.Next() {
		c, err := scanClaimed(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// scanMessages reads every row of rows and closes it.
func scanMessages(rows *sql.Rows) ([]notify.Message, error) {
	defer rows.Close()
	var out []notify.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
