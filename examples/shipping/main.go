// Command shipping is Herald's main example: a shipping system texting
// delivery updates to a few thousand customers.
//
//	go run ./examples/shipping
//
// With no flags it reads the bundled list (testdata/recipients.csv, written
// by ./gen), which holds invalid numbers, duplicates, landlines, customers
// who opted out and customers in a time zone where it is night right now.
// It sends through provider/fake with realistic latency, delivery receipts
// and a few carrier failures, paced at a 10DLC high-trust campaign's 75
// segments per second, keeps its state in an embedded SQLite file, shows a
// progress bar, and ends with a report: outcomes by reason, the numbers
// refused and why, segments and encoding, estimated cost, the topic's
// tally, and planned versus actual duration.
//
// Flags:
//
//	-csv path     recipients CSV with a "phone" column; every column is a
//	              {{placeholder}} of the body, and the default body needs the
//	              columns name and order_id (a list without them is refused
//	              before anything is sent; pass -body to use your own text)
//	              (default: the bundled list)
//	-body text    message template (default: an out-for-delivery notice)
//	-rate n       segments per second; 0 sends unthrottled (default 75)
//	-dry-run      run every check with Service.Plan and send nothing; it
//	              writes nothing either (an existing -db is read from a copy)
//	-db path      SQLite file to keep state in (default: a new temporary file);
//	              running again on the same file sends nothing twice
//
// The numbers not sent (refused, or unknown after a provider timeout) are
// masked on the terminal; the report writes them unmasked, with the reason
// and the row's columns, to a CSV next to the database (shipping.db gives
// shipping-not-sent.csv) and prints its path. The exit status is 1 when
// nothing could be sent (or, for a dry run, nothing would be).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"golang.org/x/term"
)

func main() {
	cfg := defaultConfig()
	flag.StringVar(&cfg.CSV, "csv", "", csvUsage())
	flag.StringVar(&cfg.Body, "body", cfg.Body, "message template; CSV columns are {{placeholders}}")
	flag.Float64Var(&cfg.Rate, "rate", cfg.Rate, "throughput in segments per second (0: unthrottled)")
	flag.BoolVar(&cfg.DryRun, "dry-run", false, "check everything with Service.Plan and send nothing")
	flag.StringVar(&cfg.DB, "db", "", "SQLite file for the state (default: a new temporary file)")
	flag.Parse()
	cfg.Bar = term.IsTerminal(int(os.Stdout.Fd()))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "shipping:", err)
		stop()
		os.Exit(1)
	}
}

// defaultConfig is the configuration of a run with no flags.
func defaultConfig() config {
	return config{
		Body:         defaultBody,
		Rate:         75, // throttle.Preset(throttle.TenDLCHigh): 4,500 TPM
		Latency:      120 * time.Millisecond,
		ReceiptDelay: 800 * time.Millisecond,
		ReceiptWait:  15 * time.Second,
		Every:        250 * time.Millisecond,
		Now:          time.Now,
	}
}
