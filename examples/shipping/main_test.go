package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/heraldsms/herald/notify"
)

// testConfig is a shortened run: unthrottled, no provider latency, quick
// receipts, state in the test's temporary directory.
func testConfig(t *testing.T) config {
	cfg := defaultConfig()
	cfg.Rate = 0
	cfg.Latency = 0
	cfg.ReceiptDelay = 20 * time.Millisecond
	// The run waits only until every receipt is in; a loaded CI machine
	// running the suite under -race needs longer than the demo's 15 s.
	cfg.ReceiptWait = 2 * time.Minute
	cfg.Every = 50 * time.Millisecond
	cfg.DB = filepath.Join(t.TempDir(), "shipping.db")
	return cfg
}

// The bundled data's composition, as ./gen wrote it.
var wantCounts = map[notify.Outcome]int{
	notify.OutcomeSent:      1776, // 10 of them come back undelivered
	notify.OutcomeDeferred:  100,  // numbers in the night zone
	notify.OutcomeDenied:    35,   // opted out before the send
	notify.OutcomeInvalid:   40,   // 25 malformed numbers and 15 landlines
	notify.OutcomeDuplicate: 40,
	notify.OutcomeFailed:    6, // refused by the carrier
	notify.OutcomeUnknown:   3, // ambiguous timeouts, never resent
}

// clockAt is a clock that reads hour:00 UTC on a fixed day when it is made
// and then runs at real speed, as the run's clock (quiet hours and the
// bundled list's zones are judged on it).
func clockAt(hour int) func() time.Time {
	start := time.Date(2025, 6, 4, hour, 0, 0, 0, time.UTC)
	origin := time.Now()
	return func() time.Time { return start.Add(time.Since(origin)) }
}

func TestBundledRunMatchesComposition(t *testing.T) {
	var out bytes.Buffer
	cfg := testConfig(t)
	cfg.Now = clockAt(20)
	sum, err := run(t.Context(), cfg, &out)
	if err != nil {
		t.Fatal(err)
	}
	checkNotSentCSV(t, cfg, sum, out.String())
	if diff := cmp.Diff(wantCounts, sum.Report.Counts); diff != "" {
		t.Errorf("outcome counts (-want +got):\n%s", diff)
	}
	reasons := map[string]int{}
	for _, r := range sum.Report.Results {
		if r.Outcome != notify.OutcomeSent {
			reasons[r.Reason]++
		}
	}
	wantReasons := map[string]int{"quiet.default": 100, "consent.opted-out": 35, "invalid_number": 25,
		"landline": 15, "duplicate": 40, "carrier_invalid_number:21211": 6, "timeout": 3}
	if diff := cmp.Diff(wantReasons, reasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	wantTally := notify.Tally{Sent: 1776, Delivered: 1766, Failed: 16, Denied: 35, Unknown: 3}
	if diff := cmp.Diff(wantTally, sum.Tally); diff != "" {
		t.Errorf("topic tally (-want +got):\n%s", diff)
	}
	if sum.Report.Segments != 1776 || sum.Report.Encoding != "GSM-7" {
		t.Errorf("segments = %d %s, want 1776 GSM-7", sum.Report.Segments, sum.Report.Encoding)
	}
	if sum.Report.EstimatedCost <= 0 {
		t.Errorf("estimated cost = %v, want > 0", sum.Report.EstimatedCost)
	}
	p := sum.Plan
	gotPlan := []int{p.Recipients, p.Valid, p.Invalid, p.Duplicates, p.Allowed, p.Deferred, p.Denied}
	// Plan makes no paid line-type lookup, so the 15 landlines count as
	// valid and allowed there; Send finds them after compliance allows.
	if diff := cmp.Diff([]int{2000, 1935, 25, 40, 1800, 100, 35}, gotPlan); diff != "" {
		t.Errorf("plan counts (recipients, valid, invalid, duplicates, allowed, deferred, denied) (-want +got):\n%s", diff)
	}
	text := out.String()
	for _, want := range []string{
		"  sent         1776\n", "  deferred      100\n", "  denied         35\n", "  invalid        40\n",
		"  duplicate      40\n", "  failed          6\n", "  unknown         3\n",
		"sent 1776, delivered 1766, failed 16, denied 35, unknown 3",
		"1776 segments sent in GSM-7", "estimated cost ", " USD\n", "planned ", "landline (15)", "consent.opted-out (35)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

func TestRunAgainSendsNothingTwice(t *testing.T) {
	cfg := testConfig(t)
	cfg.CSV = writeCSV(t, "phone,name\n+14155552671,Ann\n+12125550143,Cy\nnope,Bob\n")
	cfg.Body = "Hi {{name}}, your parcel is on its way. Reply STOP to opt out"
	first, err := run(t.Context(), cfg, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	again, err := run(t.Context(), cfg, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Repeated || again.Attempts != 0 {
		t.Errorf("second run: repeated=%v attempts=%d, want true 0", again.Repeated, again.Attempts)
	}
	if diff := cmp.Diff(first.Report.Counts, again.Report.Counts); diff != "" {
		t.Errorf("second report counts (-first +second):\n%s", diff)
	}
	if !strings.Contains(out.String(), "nothing was sent again") {
		t.Errorf("second report does not say nothing was sent again:\n%s", out.String())
	}
}

func TestDryRunSendsNothing(t *testing.T) {
	cfg := testConfig(t)
	cfg.DryRun = true
	cfg.Rate = 75
	var out bytes.Buffer
	sum, err := run(t.Context(), cfg, &out)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Report != nil || sum.Attempts != 0 {
		t.Errorf("dry run sent: report %v, attempts %d", sum.Report, sum.Attempts)
	}
	if sum.Plan.Throughput != 75 || sum.Plan.Duration <= 0 {
		t.Errorf("plan throughput %v duration %v, want 75/s and a duration", sum.Plan.Throughput, sum.Plan.Duration)
	}
	for _, want := range []string{"Dry run (Service.Plan)", "not-sent.csv", "allowed now       1800", "deferred           100", "duplicates          40"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out.String())
		}
	}
}

func writeCSV(t *testing.T, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOwnCSV(t *testing.T) {
	cfg := testConfig(t)
	cfg.CSV = writeCSV(t, "phone,name\n+14155552671,Ann\n(415) 555-2671,Ann again\nnope,Bob\n")
	cfg.Body = "Hi {{name}}, your parcel is on its way. Reply STOP to opt out"
	sum, err := run(context.Background(), cfg, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	got := sum.Plan
	if got.Valid != 1 || got.Duplicates != 1 || got.Invalid != 1 {
		t.Errorf("plan valid/duplicates/invalid = %d/%d/%d, want 1/1/1", got.Valid, got.Duplicates, got.Invalid)
	}
}

// An operator's own list without the default template's columns is refused
// before anything is sent, with the columns it lacks named.
func TestOwnCSVMissingTemplateColumns(t *testing.T) {
	cfg := testConfig(t)
	cfg.CSV = writeCSV(t, "phone,first\n+14155552671,Ann\n")
	var out bytes.Buffer
	_, err := run(t.Context(), cfg, &out)
	if err == nil {
		t.Fatalf("run with a list lacking the template's columns succeeded:\n%s", out.String())
	}
	for _, want := range []string{"name", "order_id", "-body"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if _, err := os.Stat(cfg.DB); !os.IsNotExist(err) {
		t.Errorf("a refused list left a database behind (stat: %v)", err)
	}
}

// The usage text names the columns the default template needs.
func TestUsageNamesTemplateColumns(t *testing.T) {
	u := csvUsage()
	for _, want := range []string{"phone", "name", "order_id"} {
		if !strings.Contains(u, want) {
			t.Errorf("-csv usage %q does not name column %q", u, want)
		}
	}
}

// A list where nothing can be sent ends in an error (a non-zero exit), and
// the report has no broken lines.
func TestNothingSentIsAnError(t *testing.T) {
	cfg := testConfig(t)
	cfg.CSV = writeCSV(t, "phone,name\nnope,Bob\n123,Al\n")
	cfg.Body = "Hi {{name}}, your parcel is on its way. Reply STOP to opt out"
	var out bytes.Buffer
	sum, err := run(t.Context(), cfg, &out)
	if !errors.Is(err, errNothingSent) {
		t.Fatalf("err = %v, want errNothingSent:\n%s", err, out.String())
	}
	text := out.String()
	for _, bad := range []string{"segments sent in \n", "segments sent in  ", "actual -", "estimated cost 0.00 \n"} {
		if strings.Contains(text, bad) {
			t.Errorf("report holds the broken line %q:\n%s", bad, text)
		}
	}
	if !strings.Contains(text, "no segments sent") {
		t.Errorf("report does not say no segments were sent:\n%s", text)
	}
	// Run again on the same database: still nothing, and no duration line
	// pretending this run sent.
	out.Reset()
	if _, err := run(t.Context(), cfg, &out); !errors.Is(err, errNothingSent) {
		t.Errorf("second run: err = %v, want errNothingSent", err)
	}
	if strings.Contains(out.String(), "actual") {
		t.Errorf("re-run that sent nothing prints a duration:\n%s", out.String())
	}
	_ = sum
}

// checkNotSentCSV checks that the bundled run wrote the refused and
// unknown rows, unmasked, to a CSV next to the database, and printed its
// path.
func checkNotSentCSV(t *testing.T, cfg config, sum *summary, out string) {
	t.Helper()
	path := strings.TrimSuffix(cfg.DB, filepath.Ext(cfg.DB)) + "-not-sent.csv"
	if sum.NotSent != path || !strings.Contains(out, path) {
		t.Fatalf("not-sent file %q, want %q printed in the report:\n%s", sum.NotSent, path, out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"row", "given", "phone", "outcome", "reason", "detail", "order_id", "name"}, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	// 35 denied, 40 invalid, 40 duplicates, 6 failed, 3 unknown; deferred rows still go out.
	if got := len(rows) - 1; got != 35+40+40+6+3 {
		t.Errorf("%d rows, want %d", got, 35+40+40+6+3)
	}
	byOutcome := map[string]int{}
	for _, r := range rows[1:] {
		byOutcome[r[3]]++
		if strings.Contains(r[1]+r[2], "*") {
			t.Errorf("row %v holds a masked number", r)
		}
	}
	if byOutcome["unknown"] != 3 || byOutcome["deferred"] != 0 {
		t.Errorf("outcomes in the file %v, want 3 unknown and no deferred", byOutcome)
	}
}

// A dry run leaves nothing behind: no database at -db, no temporary
// directory, and an existing database is left as it was.
func TestDryRunLeavesNothing(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	cfg := testConfig(t)
	cfg.DryRun = true
	if _, err := run(t.Context(), cfg, new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cfg.DB); !os.IsNotExist(err) {
		t.Errorf("dry run created %s (stat: %v)", cfg.DB, err)
	}
	cfg.DB = ""
	cfg.CSV = writeCSV(t, "phone,name\n+14155552671,Ann\n")
	cfg.Body = "Hi {{name}}, your parcel is on its way. Reply STOP to opt out"
	if _, err := run(t.Context(), cfg, new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("dry run left %v in the temporary directory", left)
	}

	// A dry run over a database an earlier run filled changes nothing in it.
	cfg = testConfig(t)
	cfg.CSV = writeCSV(t, "phone,name\n+14155552671,Ann\n")
	cfg.Body = "Hi {{name}}, your parcel is on its way. Reply STOP to opt out"
	if _, err := run(t.Context(), cfg, new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DryRun = true
	cfg.Body = "Hi {{name}}, a new text. Reply STOP to opt out"
	if _, err := run(t.Context(), cfg, new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("dry run changed the existing database")
	}
}

// The bundled list's composition holds at any hour of the day: a dry run
// (the same decisions, nothing sent) at three hours finds the same counts
// the full run above finds at 20:00.
func TestBundledCompositionAtAnyHour(t *testing.T) {
	for _, hour := range []int{3, 12, 20} {
		cfg := testConfig(t)
		cfg.DryRun = true
		cfg.Now = clockAt(hour)
		sum, err := run(t.Context(), cfg, new(bytes.Buffer))
		if err != nil {
			t.Fatal(err)
		}
		p := sum.Plan
		got := []int{p.Recipients, p.Valid, p.Invalid, p.Duplicates, p.Allowed, p.Deferred, p.Denied}
		if diff := cmp.Diff([]int{2000, 1935, 25, 40, 1800, 100, 35}, got); diff != "" {
			t.Errorf("at %02d:00 UTC, plan counts (recipients, valid, invalid, duplicates, allowed, deferred, denied) (-want +got):\n%s", hour, diff)
		}
	}
}
