package compliance

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStateCapsPerSubject: Florida, Oklahoma and Maryland allow three
// marketing texts per 24 hours about the same subject (topic).
func TestStateCapsPerSubject(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct{ number, zone, rule string }{
		{"+13055551234", "America/New_York", "cap.US-FL"},
		{"+14055551234", "America/Chicago", "cap.US-OK"},
		{"+14105551234", "America/New_York", "cap.US-MD"},
	} {
		t.Run(tt.rule, func(t *testing.T) {
			z := mustZone(t, tt.zone)
			now := time.Date(2025, 6, 10, 12, 0, 0, 0, z)
			p := NewPolicy()
			_ = p.ConsentStore().Append(ctx, optInRecord(tt.number, "", Marketing, now.Add(-48*time.Hour)))
			first := now.Add(-3 * time.Hour)
			for i := range 3 {
				_ = p.RecordSend(ctx, Request{To: tt.number, Kind: Marketing, Topic: "sale", Body: "s" + strconv.Itoa(i), Now: first.Add(time.Duration(i) * time.Hour)})
			}
			d := mustCheck(t, p, Request{To: tt.number, Kind: Marketing, Topic: "sale", Body: goodMarketing, Now: now})
			if d.Outcome != Defer || !errors.Is(d.Err(), ErrFrequencyCap) || d.Reasons[0].Rule != tt.rule {
				t.Fatalf("fourth message on the subject: %v %v %v", d.Outcome, d.Err(), rules(d))
			}
			until := first.Add(24 * time.Hour)
			if !d.NotBefore.Equal(until) || !strings.Contains(d.Reasons[0].Text, until.UTC().Format(time.RFC3339)) {
				t.Errorf("deferred until %v (%q), want %v named in the reason", d.NotBefore, d.Reasons[0].Text, until)
			}
			if d := mustCheck(t, p, Request{To: tt.number, Kind: Marketing, Topic: "news", Body: goodMarketing, Now: now}); d.Outcome != Allow {
				t.Fatalf("another subject: %v", d.Err())
			}
		})
	}
}
