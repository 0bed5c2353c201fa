package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/sqlstore"
)

// Open a Store on an SQLite file and keep consent in it.
func Example() {
	dir, _ := os.MkdirTemp("", "herald")
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", sqlstore.SQLiteDSN(filepath.Join(dir, "herald.db")))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, db, sqlstore.SQLite)
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	_ = store.Append(ctx, compliance.Record{Number: "+14155552671", Action: compliance.ActionOptOut, At: at, Source: compliance.SourceKeyword, Text: "STOP"})
	st, _ := store.State(ctx, "+14155552671", "", compliance.Service, at.Add(time.Minute))
	fmt.Println(st.Status)

	// A Service keeps its outbox, history and topics in the same store:
	// notify.New(p, notify.WithStore(store)).
	var _ notify.Store = store
	// Output: opted-out
}
