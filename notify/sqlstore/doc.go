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
// A claim writes one lease row (herald_leases: the notification, the
// expiry, the range of row indexes taken) beside the rows it takes, and no
// index of the outbox names the claim columns, so on PostgreSQL a claim,
// like a MarkSending, is a heap-only update (the outbox's fillfactor, 50,
// leaves each page room for a new version of its rows). Recover reads the
// leases that ended and looks for held rows only in their ranges; a lease
// row goes once its claim holds no row.
//
// Open creates or upgrades the schema with versioned migrations, safely
// from several instances at once (a PostgreSQL advisory lock; an immediate
// transaction on SQLite). Upgrade every instance sharing a database
// together across schema v8: an instance still running older code claims
// rows without writing their lease, so if it then dies, Recover never
// finds the rows it held; stop the old instances before starting the new
// ones. Migrations v8 and v9 build an index on herald_messages, which
// holds writes to the table while they run. Tallies are kept in one-minute
// bucket rows updated in the same transaction as the state change they
// count. Consent is never
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
// # Batching
//
// The calls made once per recipient are handled together when they arrive
// together, as a group commit: MarkSending, Complete and RecordSend, and on
// PostgreSQL also the fresh reads of State and CountSends. There is no
// timer and no goroutine of the Store's: a call that finds no batch of its
// kind in progress is written at once, alone; calls that arrive while a
// batch is written wait for it to end and then form the next batch (at most
// 128 calls). So batches grow with the load, and a lone Send of one
// recipient waits for nothing but its own statements.
//
// Each caller waits for its own answer only: its call returns once the
// batch holding it is committed (MarkSending before the provider is
// called, as the outbox requires), or with its own row's error
// (notify.ErrClaimLost, notify.ErrNotFound); one row's lost claim never
// fails the others. When a batch's statement fails, every call of it is
// retried on its own, so each gets the answer its row alone gets; a
// Complete retried after a commit whose answer was lost, which finds its
// row already holding its outcome, succeeds.
//
// On PostgreSQL a batch is one statement, committed on its own:
// MarkSending an UPDATE ... FROM unnest(...) RETURNING id; Complete one
// statement that updates the rows, gives the final ones their history
// positions (nextval inline) and adds the batch's counts to one tally row
// per account, topic and minute, in key order, so that instances
// completing at once take those rows' locks in one order; RecordSend one
// INSERT ... SELECT FROM unnest; State and CountSends one query per batch
// (per query shape), which starts after every call of the batch did, so
// each answer is as fresh as a query of its own. Claim is one statement
// per batch of rows, and Enqueue one INSERT ... SELECT FROM unnest per
// WithBatchRows rows. On SQLite the group commit that serialises writes
// writes a group's calls of one kind through one statement bound to its
// transaction, with one history counter update and one tally upsert per
// bucket; Enqueue uses statements prepared at Open.
//
// # Connections
//
// The Store works with any pool size, down to db.SetMaxOpenConns(1): no
// call holds a connection while it waits for another (statements are
// prepared at Open, before any transaction, and bound to the transaction's
// own connection afterwards; a batch takes its connection only once it is
// written). The pool stays the host's to size; the Store never opens one.
// A call holds a connection only while its statement or transaction runs,
// never across a provider call. For full speed give it several: on SQLite
// SetMaxOpenConns of 4 or more, so that reads run beside the one writer;
// on PostgreSQL 8 or more per instance, so that the five kinds of batch,
// each on one connection at a time, run beside claims, Enqueue and reads
// (more add little: the per-recipient work is batched, and every instance
// shares the server's max_connections). With fewer, calls wait their turn
// and nothing deadlocks.
// Keep as many idle as open (db.SetMaxIdleConns): database/sql keeps 2 by
// default and closes the others after each use, and opening a SQLite
// connection again (with its pragmas) costs more than most statements.
// Reads are prepared once, on first use, and reused.
package sqlstore
