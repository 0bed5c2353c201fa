// Command pgqueue measures, in one run on one PostgreSQL server, how fast
// Herald sends through notify/sqlstore and how fast River
// (github.com/riverqueue/river) inserts and works trivial jobs, so the two
// queues can be compared on the same machine:
//
//	go run ./bench/pgqueue -dsn "$HERALD_POSTGRES_DSN" -n 20000 -rounds 3
//
// Herald runs one Service, then three Services (each with its own *sql.DB
// and sqlstore.Store, as separate processes would have) sending their own
// notifications, then three Services sharing one notification (one Sends,
// the others join it from the store). River runs one client, then three
// clients, on N jobs inserted with InsertMany. Last come two Herald
// scenarios bound by the carrier rather than by CPU (-latency per message,
// -latency-workers sends at once per instance, -latency-n recipients): one
// instance, then three joining one notification, which shows what more
// instances add when each has cores to spare. Every scenario works in a
// schema of its own, dropped afterwards. The table gives the min–max over
// the rounds; the scenarios are interleaved round by round so a noisy
// neighbour on the machine spreads over all of them.
//
// With -stmts, and when the server preloads pg_stat_statements, the
// program also prints the statements each scenario ran most often, per
// item, which shows where the round trips go. -only runs the scenarios
// whose name matches a regular expression (-only 'Herald, 1|River v'), and
// -cpuprofile writes a CPU profile of this process over the whole run
// (Herald's Services and River's clients; the server's work is not in it).
package main
