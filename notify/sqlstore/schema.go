package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// advisoryLockKey is the PostgreSQL advisory lock taken while migrating
// ("herald" in ASCII).
const advisoryLockKey = 0x686572616c64

// migration is one schema version: statements run in one transaction.
type migration struct {
	version int
	stmts   func(d dialect) []string
}

// migrations lists every schema version in order. Append; never edit a
// released one.
var migrations = []migration{
	{1, schemaV1},
	{2, schemaV2},
	{3, schemaV3},
	{4, schemaV4},
	{5, schemaV5},
	{6, schemaV6},
	{7, schemaV7},
	{8, schemaV8},
	{9, schemaV9},
}

// schemaV1 is the first schema. Times are Unix nanoseconds (0 is the zero
// time); booleans are 0/1 integers.
func schemaV1(d dialect) []string {
	stmts := []string{
		`CREATE TABLE herald_notifications (
			id TEXT PRIMARY KEY,
			account TEXT NOT NULL,
			topic TEXT NOT NULL,
			idem_key TEXT NOT NULL,
			request TEXT NOT NULL,
			state INTEGER NOT NULL,
			pause_reason TEXT NOT NULL,
			total BIGINT NOT NULL,
			created_at BIGINT NOT NULL,
			updated_at BIGINT NOT NULL
		)`,
		`CREATE UNIQUE INDEX herald_notifications_idem ON herald_notifications (account, idem_key) WHERE idem_key <> ''`,
		`CREATE INDEX herald_notifications_pending ON herald_notifications (created_at, id) WHERE state = 0`,
		`CREATE TABLE herald_messages (
			id TEXT PRIMARY KEY,
			notification_id TEXT NOT NULL,
			idx BIGINT NOT NULL,
			account TEXT NOT NULL,
			topic TEXT NOT NULL,
			given TEXT NOT NULL,
			to_num TEXT NOT NULL,
			from_num TEXT NOT NULL,
			body TEXT NOT NULL,
			segments INTEGER NOT NULL,
			encoding TEXT NOT NULL,
			outcome INTEGER NOT NULL,
			reason TEXT NOT NULL,
			detail TEXT NOT NULL,
			not_before BIGINT NOT NULL,
			provider TEXT NOT NULL,
			provider_id TEXT NOT NULL,
			status INTEGER NOT NULL,
			statuses TEXT NOT NULL,
			attempts INTEGER NOT NULL,
			price TEXT NOT NULL,
			metadata TEXT NOT NULL,
			created_at BIGINT NOT NULL,
			updated_at BIGINT NOT NULL,
			claim_owner TEXT NOT NULL,
			claim_until BIGINT NOT NULL,
			sending INTEGER NOT NULL,
			history_seq BIGINT
		)`,
		`CREATE UNIQUE INDEX herald_messages_order ON herald_messages (notification_id, idx)`,
		// Claimable rows: pending, or deferred (due or not).
		`CREATE INDEX herald_messages_queue ON herald_messages (notification_id, idx) WHERE outcome IN (0, 2) AND claim_owner = ''`,
		`CREATE INDEX herald_messages_leases ON herald_messages (claim_until) WHERE claim_owner <> ''`,
		`CREATE INDEX herald_messages_provider ON herald_messages (provider, provider_id) WHERE provider_id <> ''`,
		`CREATE INDEX herald_messages_recent ON herald_messages (account, topic, history_seq) WHERE history_seq IS NOT NULL`,
		`CREATE INDEX herald_messages_thread ON herald_messages (from_num, to_num, history_seq) WHERE history_seq IS NOT NULL AND outcome IN (1, 7)`,
		`CREATE TABLE herald_tallies (
			account TEXT NOT NULL,
			topic TEXT NOT NULL,
			minute BIGINT NOT NULL,
			shard INTEGER NOT NULL,
			sent BIGINT NOT NULL,
			delivered BIGINT NOT NULL,
			failed BIGINT NOT NULL,
			denied BIGINT NOT NULL,
			unknown BIGINT NOT NULL,
			PRIMARY KEY (account, topic, minute, shard)
		)`,
		`CREATE TABLE herald_topics (
			account TEXT NOT NULL,
			name TEXT NOT NULL,
			title TEXT NOT NULL,
			disabled INTEGER NOT NULL,
			created_at BIGINT NOT NULL,
			updated_at BIGINT NOT NULL,
			PRIMARY KEY (account, name)
		)`,
		`CREATE TABLE herald_replies (
			seq ` + d.identity + `,
			id TEXT NOT NULL UNIQUE,
			account TEXT NOT NULL,
			topic TEXT NOT NULL,
			notification_id TEXT NOT NULL,
			message_id TEXT NOT NULL,
			from_num TEXT NOT NULL,
			to_num TEXT NOT NULL,
			body TEXT NOT NULL,
			received BIGINT NOT NULL,
			state INTEGER NOT NULL,
			metadata TEXT NOT NULL
		)`,
		`CREATE INDEX herald_replies_account ON herald_replies (account, state, seq)`,
		`CREATE TABLE herald_senders (
			number TEXT PRIMARY KEY,
			account TEXT NOT NULL
		)`,
		`CREATE TABLE herald_sticky (
			account TEXT NOT NULL,
			pool TEXT NOT NULL,
			recipient TEXT NOT NULL,
			number TEXT NOT NULL,
			PRIMARY KEY (account, pool, recipient)
		)`,
		`CREATE TABLE herald_consent (
			seq ` + d.identity + `,
			number TEXT NOT NULL,
			record_id TEXT NOT NULL,
			scope TEXT NOT NULL,
			kind INTEGER NOT NULL,
			action INTEGER NOT NULL,
			at_ns BIGINT NOT NULL,
			level INTEGER NOT NULL,
			source TEXT NOT NULL,
			disclosure TEXT NOT NULL,
			disclosure_version TEXT NOT NULL,
			reply_text TEXT NOT NULL,
			channel TEXT NOT NULL,
			actor TEXT NOT NULL,
			ip TEXT NOT NULL,
			user_agent TEXT NOT NULL,
			url TEXT NOT NULL
		)`,
		`CREATE INDEX herald_consent_number ON herald_consent (number, at_ns, seq)`,
	}
	if d.kind == SQLite {
		stmts = append(stmts,
			`CREATE TABLE herald_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)`,
			`INSERT INTO herald_counters (name, value) VALUES ('history', 0)`,
		)
	} else {
		stmts = append(stmts, `CREATE SEQUENCE herald_history_seq`)
	}
	return stmts
}

// schemaV2 adds the sends that frequency caps and the duplicate guard count
// (compliance.FrequencyStore): looked up by number and time, swept by time.
func schemaV2(d dialect) []string {
	return []string{
		`CREATE TABLE herald_sends (
			seq ` + d.identity + `,
			number TEXT NOT NULL,
			topic TEXT NOT NULL,
			kind INTEGER NOT NULL,
			body_hash BIGINT NOT NULL,
			at_ns BIGINT NOT NULL
		)`,
		`CREATE INDEX herald_sends_number ON herald_sends (number, at_ns)`,
		`CREATE INDEX herald_sends_at ON herald_sends (at_ns)`,
	}
}

// schemaV3 adds the providers' IDs of inbound messages seen, for
// de-duplicating webhook retries; unpinned IDs are swept by time.
func schemaV3(dialect) []string {
	return []string{
		`CREATE TABLE herald_inbound (
			provider TEXT NOT NULL,
			provider_id TEXT NOT NULL,
			at_ns BIGINT NOT NULL,
			pinned INTEGER NOT NULL,
			PRIMARY KEY (provider, provider_id)
		)`,
		`CREATE INDEX herald_inbound_expiry ON herald_inbound (at_ns) WHERE pinned = 0`,
	}
}

// migrate brings the schema to the latest version. Several instances may
// run it at once: PostgreSQL serialises them with an advisory lock, SQLite
// with an immediate (write-locking) transaction.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	defer conn.Close()
	if s.d.kind == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", advisoryLockKey); err != nil {
			return fmt.Errorf("sqlstore: migrate: advisory lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", advisoryLockKey) //nolint:errcheck // the session ends with the connection anyway
		return s.migrateLocked(ctx, conn, "BEGIN")
	}
	return s.migrateLocked(ctx, conn, "BEGIN IMMEDIATE")
}

func (s *Store) migrateLocked(ctx context.Context, conn *sql.Conn, begin string) (err error) {
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	defer func() {
		end := "COMMIT"
		if err != nil {
			end = "ROLLBACK"
		}
		if _, e := conn.ExecContext(context.WithoutCancel(ctx), end); e != nil && err == nil {
			err = fmt.Errorf("sqlstore: migrate: %w", e)
		}
	}()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS herald_schema (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	var current int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM herald_schema`).Scan(&current); err != nil {
		return fmt.Errorf("sqlstore: migrate: reading version: %w", err)
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		for _, st := range m.stmts(s.d) {
			if _, err := conn.ExecContext(ctx, st); err != nil {
				return fmt.Errorf("sqlstore: migration %d: %s: %w", m.version, firstLine(st), err)
			}
		}
		if _, err := conn.ExecContext(ctx, s.d.q(`INSERT INTO herald_schema (version, applied_at) VALUES (?, ?)`), m.version, time.Now().UnixNano()); err != nil {
			return fmt.Errorf("sqlstore: migration %d: %w", m.version, err)
		}
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// SchemaVersion is the schema version this package migrates to.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// schemaV4 adds the line-type lookups' answers, cached per number.
func schemaV4(dialect) []string {
	return []string{
		`CREATE TABLE herald_line_info (
			number TEXT PRIMARY KEY,
			valid INTEGER NOT NULL,
			line_type INTEGER NOT NULL,
			carrier TEXT NOT NULL,
			at_ns BIGINT NOT NULL
		)`,
	}
}

// schemaV5 indexes replies by who texted which number, for the reply
// window of strict consent (LastInbound).
func schemaV5(dialect) []string {
	return []string{
		`CREATE INDEX herald_replies_pair ON herald_replies (from_num, to_num, account, received)`,
	}
}

// schemaV6 indexes paused notifications by account, for Paused.
func schemaV6(dialect) []string {
	return []string{
		`CREATE INDEX herald_notifications_paused ON herald_notifications (account, created_at, id) WHERE state = 1`,
	}
}

// schemaV7 leaves room on PostgreSQL's outbox pages (fillfactor 80, for
// pages written from now on), so that an update touching no indexed column
// (MarkSending's) is a heap-only tuple update, with no new index entries.
func schemaV7(d dialect) []string {
	if d.kind != Postgres {
		return nil
	}
	return []string{`ALTER TABLE herald_messages SET (fillfactor = 80)`}
}

// schemaV8 makes a claim touch no index: the claim columns leave the
// outbox's indexes (the queue index keeps every pending or deferred row,
// claimed or not, and the index of leases by expiry goes), so on
// PostgreSQL a claim is a heap-only update. Recover finds expired claims
// through herald_leases instead: one row per Claim, naming the
// notification, the claim's expiry and the range of row indexes it took.
// Claims made before the migration get their lease rows here.
func schemaV8(d dialect) []string {
	stmts := []string{
		`CREATE TABLE herald_leases (
			seq ` + d.identity + `,
			notification_id TEXT NOT NULL,
			until_ns BIGINT NOT NULL,
			lo BIGINT NOT NULL,
			hi BIGINT NOT NULL
		)`,
		`CREATE INDEX herald_leases_until ON herald_leases (until_ns)`,
		`INSERT INTO herald_leases (notification_id, until_ns, lo, hi)
			SELECT notification_id, claim_until, MIN(idx), MAX(idx) FROM herald_messages
			WHERE claim_owner <> '' GROUP BY notification_id, claim_until`,
		`DROP INDEX herald_messages_leases`,
		`DROP INDEX herald_messages_queue`,
		`CREATE INDEX herald_messages_open ON herald_messages (notification_id, idx) WHERE outcome IN (0, 2)`,
	}
	if d.kind == Postgres {
		stmts = append(stmts, `ALTER TABLE herald_messages SET (fillfactor = 50)`)
	}
	return stmts
}

// schemaV9 drops the key of PostgreSQL's sends (an identity column and its
// index, written for every send and read by nothing but the sweep, which
// names rows by ctid instead). SQLite's key is the rowid, which costs
// nothing more, and stays.
func schemaV9(d dialect) []string {
	if d.kind != Postgres {
		return nil
	}
	return []string{`ALTER TABLE herald_sends DROP COLUMN seq`}
}
