package readme_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/sqlstore"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/throttle"
)

// hours are the clocks every snippet is run at: night, morning and
// afternoon somewhere in the US.
var hours = []int{3, 12, 20}

func at(hour int) time.Time { return time.Date(2025, 6, 4, hour, 0, 0, 0, time.UTC) }

// readme is the repository's README.md.
func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mustShow fails unless the README holds text exactly.
func mustShow(t *testing.T, doc, text string) {
	t.Helper()
	if !strings.Contains(doc, text) {
		t.Errorf("README.md no longer shows:\n%s", text)
	}
}

// The tour's first snippet pins the clock; the code below is the snippet.
const tourSnippet = `afternoon := func() time.Time { return time.Date(2025, 6, 4, 20, 0, 0, 0, time.UTC) }
svc, err := notify.New(fake.New(), notify.WithClock(afternoon))
rep, err := svc.Send(ctx, notify.Notification{
	From: "+14155550001",
	To:   []string{"(415) 555-2671", "+12125550143"},
	Body: "Your order shipped. Reply STOP to opt out",
})
fmt.Println(rep.Counts[notify.OutcomeSent], rep.Results[0].To) // 2 +14155552671`

// tour runs the tour's first snippet with the given clock.
func tour(t *testing.T, clock func() time.Time) string {
	ctx := t.Context()
	svc, err := notify.New(fake.New(), notify.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Shutdown(context.Background())
	rep, err := svc.Send(ctx, notify.Notification{
		From: "+14155550001",
		To:   []string{"(415) 555-2671", "+12125550143"},
		Body: "Your order shipped. Reply STOP to opt out",
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintln(rep.Counts[notify.OutcomeSent], rep.Results[0].To)
}

func TestTourSnippetPrintsTwo(t *testing.T) {
	mustShow(t, readme(t), tourSnippet)
	afternoon := func() time.Time { return time.Date(2025, 6, 4, 20, 0, 0, 0, time.UTC) }
	if got := tour(t, afternoon); got != "2 +14155552671\n" {
		t.Errorf("tour snippet printed %q, want %q", got, "2 +14155552671\n")
	}
}

// Why the tour pins its clock: at other hours quiet hours defer numbers,
// and the snippet would print something else.
func TestTourSnippetNeedsItsClock(t *testing.T) {
	got := map[int]string{}
	for _, h := range hours {
		got[h] = tour(t, func() time.Time { return at(h) })
	}
	// 12:00 UTC is 05:00 in San Francisco: that number is deferred.
	if got[12] == "2 +14155552671\n" {
		t.Errorf("at 12:00 UTC the snippet printed %q: quiet hours no longer defer, so the README's comment is wrong", got[12])
	}
	if got[20] != "2 +14155552671\n" {
		t.Errorf("at 20:00 UTC the snippet printed %q", got[20])
	}
}

const complianceSnippet = `d, err := p.Check(ctx, compliance.Request{To: "+14155552671", Kind: compliance.Marketing, Body: body})
if d.Outcome == compliance.Deny && errors.Is(d.Err(), compliance.ErrNoConsent) { /* ask for opt-in first */ }`

// The compliance snippet's answer (deny: no consent) holds at any hour.
func TestComplianceSnippetAtAnyHour(t *testing.T) {
	mustShow(t, readme(t), complianceSnippet)
	p := compliance.NewPolicy()
	for _, h := range hours {
		d, err := p.Check(t.Context(), compliance.Request{To: "+14155552671", Kind: compliance.Marketing,
			Body: "Acme: 20% off today. Reply STOP to opt out", Now: at(h)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Outcome != compliance.Deny || !errors.Is(d.Err(), compliance.ErrNoConsent) {
			t.Errorf("at %02d:00 UTC: outcome %v, err %v; want deny with ErrNoConsent", h, d.Outcome, d.Err())
		}
	}
	if compliance.ClassifyReply("please stop texting me") != compliance.ReplyOptOut {
		t.Error("ClassifyReply(please stop texting me) is not an opt-out")
	}
}

// quickStart is the Quick start program, on a database in dir and the given
// clock (the README's program keeps the real one).
func quickStart(t *testing.T, dir string, clock func() time.Time) string {
	ctx := t.Context()
	var out bytes.Buffer
	db, err := sql.Open("sqlite", sqlstore.SQLiteDSN(filepath.Join(dir, "herald.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store, err := sqlstore.Open(ctx, db, sqlstore.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := notify.New(fake.New(),
		notify.WithStore(store),
		notify.WithConsentStore(store),
		notify.WithLimits(notify.Limits{Sender: throttle.Preset(throttle.TenDLCHigh).Throughput}),
		notify.WithClock(clock),
	)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Shutdown(ctx)
	n := notify.Notification{
		From:           "+14155550001",
		Recipients:     []notify.Recipient{{To: "+14155552671", Vars: map[string]string{"order": "A-100"}}},
		Body:           "Order {{order}} has shipped. Reply STOP to opt out",
		Topic:          "shipping",
		IdempotencyKey: "shipped-A-100",
	}
	plan, err := svc.Plan(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(&out, plan.Allowed, "to send,", plan.Segments, "segments, about", plan.Duration)
	rep, err := svc.Send(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		fmt.Fprintln(&out, r.To, r.Outcome, r.Reason)
	}
	return out.String()
}

// The Quick start keeps the real clock, so the README shows what it prints
// by day and by night in California; each hour must print one of them.
func TestQuickStartAtEachHour(t *testing.T) {
	doc := readme(t)
	const day = "1 to send, 1 segments, about 0s\n+14155552671 sent \n"
	const night = "0 to send, 1 segments, about 0s\n+14155552671 deferred quiet.default\n"
	mustShow(t, doc, "```\n"+strings.ReplaceAll(day, " \n", "\n")+"```")
	mustShow(t, doc, "```\n"+night+"```")
	want := map[int]string{3: day, 12: night, 20: day} // 20:00, 05:00 and 13:00 in California
	for _, h := range hours {
		if got := quickStart(t, t.TempDir(), func() time.Time { return at(h) }); got != want[h] {
			t.Errorf("at %02d:00 UTC the Quick start printed\n%s\nwant\n%s", h, got, want[h])
		}
	}
}
