// Package sqlstore keeps Herald's durable state on a host-given *sql.DB:
// notify.Store (notifications, the outbox, message history with status
// changes, tallies, topics, replies, sender ownership, sticky senders) and
// compliance.ConsentStore (the append-only consent ledger).
//
// The package imports no driver; the host picks one:
//
//   - SQLite through modernc.org/sqlite (pure Go, driver name "sqlite") is
//     the embedded default: one file in WAL mode, safe for one process with
//     many goroutines. Open it with the DSN from SQLiteDSN, which sets the
//     busy timeout, WAL and synchronous=NORMAL on every connection. Writes
//     are serialised inside the Store.
//   - PostgreSQL through github.com/jackc/pgx/v5/stdlib (driver name
//     "pgx") serves many instances sharing one outbox: Claim takes rows
//     with FOR UPDATE SKIP LOCKED, so each recipient is sent by exactly one
//     instance.
//
// Open creates or upgrades the schema with versioned migrations, safely
// from several instances at once (a PostgreSQL advisory lock; an immediate
// transaction on SQLite). Tallies are kept in one-minute bucket rows updated
// in the same transaction as the state change they count. Consent is never
// cached: an opt-out appended by one instance is seen by the next State call
// of every other instance.
package sqlstore
