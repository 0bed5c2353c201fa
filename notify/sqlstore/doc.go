// Package sqlstore keeps Herald's durable state on a host-given *sql.DB:
// notify.Store (notifications, the outbox, message history with status
// changes, tallies, topics, replies, sender ownership, sticky senders),
// compliance.ConsentStore (the append-only consent ledger),
// compliance.FrequencyStore (the sends that frequency caps and the
// duplicate guard count) and inbound de-duplication (RecordInbound,
// PinInbound), so that instances sharing a database share all of it and a
// restart forgets none of it.
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
//
// # Retention
//
// Sends are kept for WithSendRetention (7 days by default, as the in-memory
// compliance store; keep it at least the longest cap window and the
// duplicate window) and inbound message IDs for WithInboundRetention (7
// days by default; keep it at least the providers' webhook retry window),
// except pinned IDs (PinInbound), kept for good. Expired rows are deleted
// in bounded batches as new ones are recorded.
//
// # Connections
//
// The Store works with any pool size, down to db.SetMaxOpenConns(1): no
// call holds a connection while it waits for another (statements are
// prepared at Open, before any transaction, and bound to the transaction's
// own connection afterwards). The pool stays the host's to size; the Store
// never opens one. A call holds a connection only while its statement or
// transaction runs, never across a provider call. For full speed give it
// several: SetMaxOpenConns of 4 or more, so that on SQLite reads run beside
// the one writer and on PostgreSQL concurrent sends do not queue for a
// connection (within the server's max_connections, shared by every
// instance). With fewer, calls wait their turn and nothing deadlocks.
// Keep as many idle as open (db.SetMaxIdleConns): database/sql keeps 2 by
// default and closes the others after each use, and opening a SQLite
// connection again (with its pragmas) costs more than most statements.
// Reads are prepared once, on first use, and reused.
package sqlstore
