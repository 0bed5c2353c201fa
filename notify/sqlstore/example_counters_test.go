package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify/sqlstore"
)

// The Store is a compliance.FrequencyStore: a Policy counting sends in it
// shares its caps and duplicate guard with every instance on the database.
func ExampleStore_CountSends() {
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
	_ = compliance.NewPolicy(compliance.WithFrequencyStore(store))

	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		_ = store.RecordSend(ctx, compliance.SendRecord{To: "+14155552671", Topic: "promos", Kind: compliance.Marketing, At: at.Add(time.Duration(i) * time.Hour)})
	}
	tally, _ := store.CountSends(ctx, compliance.SendQuery{To: "+14155552671", Since: at.Add(-24 * time.Hour), Topic: "promos", MatchTopic: true})
	fmt.Println(tally.Count, tally.Oldest.Format(time.Kitchen))
	// Output: 3 9:00AM
}

// RecordInbound tells a retried webhook from a new message, across
// instances and restarts; PinInbound keeps the ID of a consent change for
// good.
func ExampleStore_RecordInbound() {
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
	for range 2 {
		first, _ := store.RecordInbound(ctx, "twilio", "SM123", at)
		fmt.Println(first)
	}
	_ = store.PinInbound(ctx, "twilio", "SM123") // it was a STOP
	// Output:
	// true
	// false
}
