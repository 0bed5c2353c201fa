package sqlstore_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/sqlstore"
)

// errLostAck is what a faulty connection reports after committing: the
// connection broke before the database's answer arrived.
var errLostAck = errors.New("faulty: connection reset after COMMIT was sent")

// errInjected is what a faulty connection reports for a statement it was
// told to fail before running it.
var errInjected = errors.New("faulty: connection reset before the statement was sent")

// faults arms failures of a faultyConnector's connections and counts what
// they run.
type faults struct {
	// commitThenFail makes the next Commit commit and then report
	// errLostAck.
	commitThenFail atomic.Bool

	mu    sync.Mutex
	rules []*stmtFault
	ran   []string // every statement run, in order
	// commits counts the commits that went through.
	commits int
}

// stmtFault fails the next n statements whose text contains match: before
// they run (errInjected), or, when afterRun, after they ran (errLostAck:
// outside a transaction the statement's change is committed, but the
// caller does not know it).
type stmtFault struct {
	match    string
	afterRun bool
	n        int
}

// failStmts arms a stmtFault.
func (f *faults) failStmts(match string, afterRun bool, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = append(f.rules, &stmtFault{match, afterRun, n})
}

// fault returns the error the statement query gets before it runs (ran
// false) or after (ran true), if any; before, it also counts query.
func (f *faults) fault(query string, ran bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !ran {
		f.ran = append(f.ran, query)
	}
	for _, r := range f.rules {
		if r.n > 0 && r.afterRun == ran && strings.Contains(query, r.match) {
			r.n--
			if ran {
				return errLostAck
			}
			return errInjected
		}
	}
	return nil
}

// runs returns how many statements containing match ran, and resets the
// count of all statements.
func (f *faults) runs(match string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, q := range f.ran {
		if strings.Contains(q, match) {
			n++
		}
	}
	f.ran = nil
	return n
}

// takeCommits returns how many commits went through since the last call.
func (f *faults) takeCommits() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.commits
	f.commits = 0
	return n
}

// faultyConnector opens connections of a real driver and wraps them so
// that their commits can be made to fail.
type faultyConnector struct {
	drv driver.Driver
	dsn string
	f   *faults
}

func (c faultyConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return faultyConn{conn, c.f}, nil
}

func (c faultyConnector) Driver() driver.Driver { return c.drv }

// faultyConn passes everything to the real connection; its transactions
// are faultyTx.
type faultyConn struct {
	driver.Conn
	f *faults
}

func (c faultyConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return faultyTx{tx, c.f}, nil
}

func (c faultyConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return faultyStmt{st, query, c.f}, nil
}

func (c faultyConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return faultyExec(c.f, query, func() (driver.Result, error) {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	})
}

func (c faultyConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return faultyQuery(c.f, query, func() (driver.Rows, error) {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	})
}

// faultyStmt is a prepared statement whose runs f can make fail.
type faultyStmt struct {
	driver.Stmt
	query string
	f     *faults
}

func (s faultyStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return faultyExec(s.f, s.query, func() (driver.Result, error) {
		return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
	})
}

func (s faultyStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return faultyQuery(s.f, s.query, func() (driver.Rows, error) {
		return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	})
}

// faultyExec runs exec unless f fails query before, and fails it after
// when f says so.
func faultyExec(f *faults, query string, exec func() (driver.Result, error)) (driver.Result, error) {
	if err := f.fault(query, false); err != nil {
		return nil, err
	}
	res, err := exec()
	if err != nil {
		return nil, err
	}
	if err := f.fault(query, true); err != nil {
		return nil, err
	}
	return res, nil
}

// faultyQuery is faultyExec for a query: failing after it ran, it reads
// and closes the rows first, as a connection that broke after the
// database answered.
func faultyQuery(f *faults, query string, run func() (driver.Rows, error)) (driver.Rows, error) {
	if err := f.fault(query, false); err != nil {
		return nil, err
	}
	rows, err := run()
	if err != nil {
		return nil, err
	}
	if err := f.fault(query, true); err != nil {
		dest := make([]driver.Value, len(rows.Columns()))
		for rows.Next(dest) == nil {
		}
		rows.Close()
		return nil, err
	}
	return rows, nil
}

func (c faultyConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type faultyTx struct {
	driver.Tx
	f *faults
}

func (t faultyTx) Commit() error {
	if err := t.Tx.Commit(); err != nil {
		return err
	}
	t.f.mu.Lock()
	t.f.commits++
	t.f.mu.Unlock()
	if t.f.commitThenFail.CompareAndSwap(true, false) {
		return errLostAck
	}
	return nil
}

// openFaulty opens a new database of b through connections whose commits
// f can make fail.
func (b backend) openFaulty(t *testing.T, f *faults) *sql.DB {
	t.Helper()
	dsn := b.newDSN(t)
	db := sql.OpenDB(faultyConnector{drv: b.openDB(t, dsn).Driver(), dsn: dsn, f: f})
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMarkSendingFailureIsNotSending checks that a MarkSending that
// reports an error (here: the commit went through but its answer was lost
// with the connection) leaves the row not marked as with the provider: the
// caller, told it failed, does not call the provider, so when its lease
// ends the row goes back to pending instead of becoming unknown.
func TestMarkSendingFailureIsNotSending(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		f := &faults{}
		s := b.open(t, b.openFaulty(t, f))
		t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
		rec := notify.NotificationRecord{ID: "n", Account: "acme", Topic: "alerts", CreatedAt: t0}
		if _, _, err := s.CreateNotification(ctx, rec); err != nil {
			t.Fatal(err)
		}
		row := notify.Message{ID: "n/0", NotificationID: "n", Account: "acme", Topic: "alerts", Given: "+14155550101", To: "+14155550101",
			From: "+14155550100", Body: "Your order shipped", Segments: 1, Encoding: "GSM-7", CreatedAt: t0, UpdatedAt: t0}
		if err := s.Enqueue(ctx, []notify.Message{row}); err != nil {
			t.Fatal(err)
		}
		until := t0.Add(time.Minute)
		if got, err := s.Claim(ctx, "n", "A", 1, t0, until); err != nil || len(got) != 1 {
			t.Fatalf("Claim: %d rows, %v", len(got), err)
		}
		// Every attempt loses its answer: on SQLite the commit's, on
		// PostgreSQL the batch statement's (committed on its own) and then
		// the retry's commit.
		f.commitThenFail.Store(true)
		if b.dialect == sqlstore.Postgres {
			f.failStmts("sending = 1", true, 1)
		}
		if err := s.MarkSending(ctx, row.ID, "A"); err == nil {
			t.Fatal("MarkSending succeeded through a lost commit answer; want its error")
		}
		// The recovered row would be unknown if the mark had stayed.
		if _, err := s.Recover(ctx, until.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		m, err := s.Message(ctx, row.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Outcome != notify.OutcomePending {
			t.Errorf("recovered row: outcome %v, want pending (the provider was never called)", m.Outcome)
		}
	})
}
