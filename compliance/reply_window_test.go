package compliance

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRequireOptInReplyWindow(t *testing.T) {
	ctx := context.Background()
	inbound := noonSF.Add(-2 * time.Hour)
	tests := []struct {
		name        string
		opts        []PolicyOption
		kind        Kind
		lastInbound time.Time
		now         time.Time
		want        Outcome
	}{
		{"no inbound", nil, Service, time.Time{}, noonSF, Deny},
		{"just inside the default 24h", nil, Service, inbound, inbound.Add(24*time.Hour - time.Nanosecond), Allow},
		{"at the default 24h", nil, Service, inbound, inbound.Add(24 * time.Hour), Deny},
		{"right after the inbound", nil, Service, inbound, inbound, Allow},
		{"inbound a little after now (clock skew)", nil, Service, noonSF.Add(time.Second), noonSF, Allow},
		{"custom 1h window, inside", []PolicyOption{WithReplyWindow(time.Hour)}, Service, inbound, inbound.Add(59 * time.Minute), Allow},
		{"custom 1h window, outside", []PolicyOption{WithReplyWindow(time.Hour)}, Service, inbound, inbound.Add(time.Hour), Deny},
		{"window off", []PolicyOption{WithReplyWindow(0)}, Service, inbound, inbound.Add(time.Minute), Deny},
		{"marketing still needs an opt-in", nil, Marketing, inbound, inbound.Add(time.Minute), Deny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPolicy(append([]PolicyOption{WithRequireOptIn(true)}, tt.opts...)...)
			r := Request{To: sfNumber, Kind: tt.kind, Body: "Acme: your table is ready. Reply STOP to opt out.", LastInbound: tt.lastInbound, Now: tt.now}
			// Quiet hours are not what this test is about: keep now at a
			// daytime hour by checking only the consent reasons.
			d := mustCheck(t, p, r)
			got := Allow
			for _, reason := range d.Reasons {
				if errors.Is(reason, ErrNoConsent) {
					got = Deny
				}
			}
			if got != tt.want {
				t.Errorf("consent outcome = %v, want %v (reasons %+v)", got, tt.want, d.Reasons)
			}
			if got == Allow && tt.kind == Service && !tt.lastInbound.IsZero() {
				found := false
				for _, reason := range d.Reasons {
					found = found || reason.Rule == "consent.reply-window"
				}
				if !found {
					t.Errorf("allowed reply carries no consent.reply-window reason: %+v", d.Reasons)
				}
			}
		})
	}
	// An opt-out always wins over the reply window.
	p := NewPolicy(WithRequireOptIn(true))
	if _, err := p.RecordReply(ctx, sfNumber, "", "STOP", inbound); err != nil {
		t.Fatal(err)
	}
	d := mustCheck(t, p, Request{To: sfNumber, Body: "ok", LastInbound: inbound, Now: inbound.Add(time.Minute)})
	if !errors.Is(d.Err(), ErrOptedOut) {
		t.Errorf("opted-out number inside the reply window: %v", d.Err())
	}
}
