package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/heraldsms/herald/notify"
)

// TestEnqueueRoundTrip enqueues a bulk send's rows, most of them alike
// (written with the columns they share bound once) and some not (final
// outcomes, their own body, metadata, a deferral, no ID), more than one
// statement's worth, and reads every row back as it went in.
func TestEnqueueRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.open(t, b.openDB(t, b.newDSN(t)))
		t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
		rec := notify.NotificationRecord{ID: "n", Account: "acme", Topic: "alerts", CreatedAt: t0}
		if _, _, err := s.CreateNotification(ctx, rec); err != nil {
			t.Fatal(err)
		}
		const total = 150
		rows := make([]notify.Message, total)
		for i := range rows {
			to := fmt.Sprintf("+1415555%04d", i)
			m := notify.Message{ID: fmt.Sprintf("n/%d", i), NotificationID: "n", Index: i, Account: "acme", Topic: "alerts",
				Given: fmt.Sprintf("(415) 555-%04d", i), To: to, From: "+14155550100", Body: "Your order shipped", Segments: 1, Encoding: "GSM-7",
				CreatedAt: t0, UpdatedAt: t0}
			switch {
			case i%17 == 3:
				m.Given, m.To, m.Outcome, m.Reason, m.Detail = "555", "", notify.OutcomeInvalid, "invalid_number", "not a phone number"
			case i%17 == 5:
				m.Outcome, m.Reason = notify.OutcomeDenied, "opted_out"
			case i%17 == 7:
				m.Body, m.Segments, m.Encoding = fmt.Sprintf("Hi %d, your order shipped 📦", i), 1, "UCS-2"
			case i%17 == 9:
				m.Metadata = map[string]string{"order": fmt.Sprint(i)}
			case i%17 == 11:
				m.Outcome, m.NotBefore = notify.OutcomeDeferred, t0.Add(time.Hour)
			case i%17 == 13:
				m.ID = "" // the Store names it
			}
			rows[i] = m
		}
		in := make([]notify.Message, total)
		copy(in, rows)
		if err := s.Enqueue(ctx, in); err != nil {
			t.Fatal(err)
		}
		got, err := s.Messages(ctx, "n", 0, total+1)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			if rows[i].ID == "" {
				rows[i].ID = fmt.Sprintf("n/%d", i)
			}
		}
		if diff := cmp.Diff(rows, got); diff != "" {
			t.Errorf("rows read back (-enqueued +read):\n%s", diff)
		}
		recent, err := s.Recent(ctx, "acme", "alerts", 0)
		if err != nil {
			t.Fatal(err)
		}
		finals := 0
		for i := range rows {
			if rows[i].Outcome.Final() {
				finals++
			}
		}
		if len(recent) != finals {
			t.Errorf("history holds %d rows, want the %d final ones", len(recent), finals)
		}
		for i := 1; i < len(recent); i++ {
			if recent[i-1].Index < recent[i].Index {
				t.Errorf("history not newest first in input order: index %d before %d", recent[i-1].Index, recent[i].Index)
			}
		}
	})
}
