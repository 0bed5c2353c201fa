package compliance

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

const sfNumber = "+14155552671" // America/Los_Angeles, CA

var la = func() *time.Location { z, _ := time.LoadLocation("America/Los_Angeles"); return z }()

// noonSF is a Tuesday noon in San Francisco.
var noonSF = time.Date(2025, 6, 10, 12, 0, 0, 0, la)

const goodMarketing = "Acme: 20% off today. Reply STOP to opt out."

func optInRecord(number, scope string, kind Kind, at time.Time) Record {
	return Record{Number: number, Scope: scope, Kind: kind, Action: ActionOptIn, At: at, Source: SourceWebForm, Level: LevelExpressWritten}
}

func mustCheck(t *testing.T, p *Policy, r Request) Decision {
	t.Helper()
	d, err := p.Check(context.Background(), r)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	for _, reason := range d.Reasons {
		if strings.Contains(reason.Text, r.To) {
			t.Errorf("reason text %q shows the unmasked number", reason.Text)
		}
	}
	return d
}

func rules(d Decision) []string {
	var out []string
	for _, r := range d.Reasons {
		out = append(out, r.Rule)
	}
	return out
}

func TestPolicyZeroConfig(t *testing.T) {
	p := NewPolicy()
	d := mustCheck(t, p, Request{To: sfNumber, Body: "Your order shipped.", Now: noonSF})
	if d.Outcome != Allow || d.Reasons != nil || d.Err() != nil {
		t.Fatalf("service at noon: %+v", d)
	}
	d = mustCheck(t, p, Request{To: sfNumber, Body: "Your order shipped.", Now: noonSF.Add(10 * time.Hour)})
	want := time.Date(2025, 6, 11, 8, 0, 0, 0, la)
	if d.Outcome != Defer || !d.NotBefore.Equal(want) || !errors.Is(d.Err(), ErrQuietHours) {
		t.Fatalf("service at 22:00: %+v, want defer to %v", d, want)
	}
	d = mustCheck(t, p, Request{To: sfNumber, Kind: Marketing, Body: goodMarketing, Now: noonSF})
	if d.Outcome != Deny || !errors.Is(d.Err(), ErrNoConsent) {
		t.Fatalf("marketing without opt-in: %+v", d)
	}
}

func TestPolicyConsent(t *testing.T) {
	ctx := context.Background()
	t0 := noonSF.Add(-24 * time.Hour)
	tests := []struct {
		name    string
		opts    []PolicyOption
		records []Record
		req     Request
		want    Outcome
		wantErr error
	}{
		{"marketing with opt-in", nil, []Record{optInRecord(sfNumber, "acme", Marketing, t0)},
			Request{Scope: "acme", Kind: Marketing}, Allow, nil},
		{"marketing opt-in of another scope", nil, []Record{optInRecord(sfNumber, "globex", Marketing, t0)},
			Request{Scope: "acme", Kind: Marketing}, Deny, ErrNoConsent},
		{"service opt-in is not marketing consent", nil, []Record{optInRecord(sfNumber, "acme", Service, t0)},
			Request{Scope: "acme", Kind: Marketing}, Deny, ErrNoConsent},
		{"service needs nothing by default", nil, nil, Request{Scope: "acme"}, Allow, nil},
		{"service with RequireOptIn", []PolicyOption{WithRequireOptIn(true)}, nil, Request{Scope: "acme"}, Deny, ErrNoConsent},
		{"service with RequireOptIn and opt-in", []PolicyOption{WithRequireOptIn(true)}, []Record{optInRecord(sfNumber, "acme", Service, t0)},
			Request{Scope: "acme"}, Allow, nil},
		{"opt-out beats service", nil, []Record{{Number: sfNumber, Action: ActionOptOut, At: t0}}, Request{Scope: "acme"}, Deny, ErrOptedOut},
		{"opt-out beats marketing opt-in", nil, []Record{optInRecord(sfNumber, "acme", Marketing, t0.Add(-time.Hour)), {Number: sfNumber, Scope: "acme", Action: ActionOptOut, At: t0}},
			Request{Scope: "acme", Kind: Marketing}, Deny, ErrOptedOut},
		{"written consent required", []PolicyOption{WithWrittenMarketingConsent(true)},
			[]Record{{Number: sfNumber, Scope: "acme", Kind: Marketing, Action: ActionOptIn, At: t0, Level: LevelExpress}},
			Request{Scope: "acme", Kind: Marketing}, Deny, ErrNoConsent},
		{"campaign opt-in satisfies", nil, []Record{optInRecord(sfNumber, "spring-sale", Marketing, t0)},
			Request{Scope: "acme", Campaign: "spring-sale", Kind: Marketing}, Allow, nil},
		{"campaign opt-out denies despite brand opt-in", nil,
			[]Record{optInRecord(sfNumber, "acme", Marketing, t0), {Number: sfNumber, Scope: "spring-sale", Action: ActionOptOut, At: t0.Add(time.Hour)}},
			Request{Scope: "acme", Campaign: "spring-sale", Kind: Marketing}, Deny, ErrOptedOut},
		{"brand opt-out denies despite campaign opt-in", nil,
			[]Record{optInRecord(sfNumber, "spring-sale", Marketing, t0.Add(time.Hour)), {Number: sfNumber, Scope: "acme", Action: ActionOptOut, At: t0}},
			Request{Scope: "acme", Campaign: "spring-sale", Kind: Marketing}, Deny, ErrOptedOut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPolicy(tt.opts...)
			for _, r := range tt.records {
				if err := p.ConsentStore().Append(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			r := tt.req
			r.To, r.Now, r.Body = sfNumber, noonSF, goodMarketing
			d := mustCheck(t, p, r)
			if d.Outcome != tt.want || !errors.Is(d.Err(), tt.wantErr) || (tt.wantErr == nil && d.Err() != nil) {
				t.Fatalf("decision %v %v, want %v %v", d.Outcome, d.Err(), tt.want, tt.wantErr)
			}
		})
	}
}

func TestPolicyOptOutHonouredAfterT(t *testing.T) {
	ctx := context.Background()
	p := NewPolicy()
	if err := p.ConsentStore().Append(ctx, optInRecord(sfNumber, "", Marketing, noonSF.Add(-time.Hour))); err != nil {
		t.Fatal(err)
	}
	T := noonSF.Add(time.Minute)
	m, err := p.RecordReply(ctx, sfNumber, "", "please stop texting me", T)
	if err != nil || m.Reply != ReplyOptOut || m.Exact {
		t.Fatalf("RecordReply = %+v, %v", m, err)
	}
	for _, tc := range []struct {
		at   time.Time
		want Outcome
	}{{T.Add(-time.Nanosecond), Allow}, {T, Deny}, {T.Add(time.Nanosecond), Deny}, {T.Add(48 * time.Hour), Deny}} {
		for _, k := range []Kind{Service, Marketing} {
			d := mustCheck(t, p, Request{To: sfNumber, Kind: k, Body: goodMarketing, Now: tc.at})
			if d.Outcome != tc.want {
				t.Errorf("%s at T%+v: %v (%v), want %v", k, tc.at.Sub(T), d.Outcome, d.Err(), tc.want)
			}
		}
	}
	h, _ := p.ConsentStore().History(ctx, sfNumber)
	if len(h) != 2 || h[1].Text != "please stop texting me" || h[1].Source != SourceKeyword {
		t.Errorf("history does not keep the reply as evidence: %+v", h)
	}
	// START re-opts in to service; a new marketing opt-in is needed for marketing.
	if _, err := p.RecordReply(ctx, sfNumber, "", "START", T.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if d := mustCheck(t, p, Request{To: sfNumber, Body: "Order shipped", Now: T.Add(2 * time.Hour)}); d.Outcome != Allow {
		t.Errorf("service after START: %v", d.Err())
	}
	if d := mustCheck(t, p, Request{To: sfNumber, Kind: Marketing, Body: goodMarketing, Now: T.Add(2 * time.Hour)}); !errors.Is(d.Err(), ErrOptedOut) {
		t.Errorf("marketing after START: %v, want ErrOptedOut", d.Err())
	}
	// Other replies record nothing.
	if m, err := p.RecordReply(ctx, sfNumber, "", "thanks!", T); err != nil || m.Reply != ReplyOther {
		t.Errorf("RecordReply(thanks) = %+v, %v", m, err)
	}
	if h, _ := p.ConsentStore().History(ctx, sfNumber); len(h) != 3 {
		t.Errorf("history has %d records, want 3", len(h))
	}
}

func TestPolicyOptOutConfirmation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		// Inside the bubble the clock starts at 2000-01-01 00:00 UTC, 16:00 in
		// San Francisco; the policy clock is time.Now.
		p := NewPolicy()
		if _, err := p.RecordReply(ctx, sfNumber, "acme", "STOP", time.Now()); err != nil {
			t.Fatal(err)
		}
		confirm := Request{To: sfNumber, Scope: "acme", Body: "Acme: you will get no more messages.", OptOutConfirmation: true}
		if d := mustCheck(t, p, Request{To: sfNumber, Scope: "acme", Body: "hello"}); !errors.Is(d.Err(), ErrOptedOut) {
			t.Fatalf("ordinary message after STOP: %v", d.Err())
		}
		mkt := confirm
		mkt.Kind = Marketing
		if d := mustCheck(t, p, mkt); !errors.Is(d.Err(), ErrOptedOut) {
			t.Fatalf("marketing confirmation: %v, want ErrOptedOut", d.Err())
		}
		time.Sleep(4 * time.Minute)
		d := mustCheck(t, p, confirm)
		if d.Outcome != Allow {
			t.Fatalf("confirmation within 5 minutes: %v", d.Err())
		}
		if err := p.RecordSend(ctx, confirm); err != nil {
			t.Fatal(err)
		}
		confirm.Body = "Acme: really, no more messages."
		if d := mustCheck(t, p, confirm); !errors.Is(d.Err(), ErrOptedOut) {
			t.Fatalf("second confirmation: %v, want ErrOptedOut", d.Err())
		}
	})
	synctest.Test(t, func(t *testing.T) {
		p := NewPolicy()
		if _, err := p.RecordReply(context.Background(), sfNumber, "", "STOP", time.Now()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5*time.Minute + time.Second)
		d := mustCheck(t, p, Request{To: sfNumber, Body: "Acme: no more messages.", OptOutConfirmation: true})
		if !errors.Is(d.Err(), ErrOptedOut) {
			t.Fatalf("confirmation after 5 minutes: %v, want ErrOptedOut", d.Err())
		}
	})
}

func TestPolicyFrequency(t *testing.T) {
	ctx := context.Background()
	t.Run("duplicate", func(t *testing.T) {
		p := NewPolicy()
		r := Request{To: sfNumber, Body: "Your order shipped.", Now: noonSF}
		if err := p.RecordSend(ctx, r); err != nil {
			t.Fatal(err)
		}
		r.Now = noonSF.Add(59 * time.Minute)
		d := mustCheck(t, p, r)
		if d.Outcome != Deny || !errors.Is(d.Err(), ErrDuplicate) || !errors.Is(d.Err(), ErrFrequencyCap) {
			t.Fatalf("duplicate within the hour: %v %v", d.Outcome, d.Err())
		}
		r.Body = "Your order was delivered."
		if d := mustCheck(t, p, r); d.Outcome != Allow {
			t.Fatalf("different body: %v", d.Err())
		}
		r.Body, r.Now = "Your order shipped.", noonSF.Add(61*time.Minute)
		if d := mustCheck(t, p, r); d.Outcome != Allow {
			t.Fatalf("same body after the window: %v", d.Err())
		}
		off := NewPolicy(WithDuplicateWindow(0))
		_ = off.RecordSend(ctx, Request{To: sfNumber, Body: "x", Now: noonSF})
		if d := mustCheck(t, off, Request{To: sfNumber, Body: "x", Now: noonSF}); d.Outcome != Allow {
			t.Fatalf("duplicate guard off: %v", d.Err())
		}
	})
	t.Run("host cap", func(t *testing.T) {
		p := NewPolicy(WithCap(Cap{Name: "cap.daily", Limit: 2, Window: 24 * time.Hour}))
		for i := range 2 {
			_ = p.RecordSend(ctx, Request{To: sfNumber, Body: "m" + strconv.Itoa(i), Now: noonSF.Add(time.Duration(i) * time.Hour)})
		}
		d := mustCheck(t, p, Request{To: sfNumber, Body: "third", Now: noonSF.Add(3 * time.Hour)})
		if d.Outcome != Defer || !errors.Is(d.Err(), ErrFrequencyCap) || !d.NotBefore.Equal(noonSF.Add(24*time.Hour)) {
			t.Fatalf("third message: %v until %v, want defer until %v", d.Err(), d.NotBefore, noonSF.Add(24*time.Hour))
		}
	})
	t.Run("Florida 3 per 24h same subject", func(t *testing.T) {
		const miami = "+13055551234"
		ny, _ := time.LoadLocation("America/New_York")
		now := time.Date(2025, 6, 10, 12, 0, 0, 0, ny)
		p := NewPolicy()
		_ = p.ConsentStore().Append(ctx, optInRecord(miami, "", Marketing, now.Add(-48*time.Hour)))
		for i := range 3 {
			_ = p.RecordSend(ctx, Request{To: miami, Kind: Marketing, Topic: "sale", Body: "s" + strconv.Itoa(i), Now: now.Add(time.Duration(i-3) * time.Hour)})
		}
		d := mustCheck(t, p, Request{To: miami, Kind: Marketing, Topic: "sale", Body: goodMarketing, Now: now})
		if d.Outcome != Defer || !errors.Is(d.Err(), ErrFrequencyCap) || d.Reasons[0].Rule != "cap.US-FL" {
			t.Fatalf("fourth sale message: %v %v %v", d.Outcome, d.Err(), rules(d))
		}
		if d := mustCheck(t, p, Request{To: miami, Kind: Marketing, Topic: "news", Body: goodMarketing, Now: now}); d.Outcome != Allow {
			t.Fatalf("other subject: %v", d.Err())
		}
		if d := mustCheck(t, p, Request{To: miami, Topic: "sale", Body: "Acme: your receipt", Now: now}); d.Outcome != Allow {
			t.Fatalf("service message: %v", d.Err())
		}
	})
}

func TestPolicyContentAndAllReasons(t *testing.T) {
	p := NewPolicy(WithBrand("Acme"), WithContentPolicy(NewContentPolicy(
		WithContentRule(ContentRule{ID: "host.caps-lock", Category: "style", Severity: SeverityWarning, Words: []string{"FREE"}}))))
	d := mustCheck(t, p, Request{To: sfNumber, Body: "Track: https://bit.ly/x", Now: noonSF})
	if d.Outcome != Deny || !errors.Is(d.Err(), ErrContentPolicy) || d.Reasons[0].Violation == nil || d.Reasons[0].Violation.Rule != RuleShortener {
		t.Fatalf("shortener: %+v", d)
	}
	d = mustCheck(t, p, Request{To: sfNumber, Body: "Free shipping on your order", Now: noonSF})
	if d.Outcome != Allow || len(d.Reasons) != 1 || d.Reasons[0].Rule != "host.caps-lock" || d.Err() != nil {
		t.Fatalf("warning: %+v", d)
	}
	// Marketing, no consent, no disclosures, a shortener, at night: every reason is reported.
	d = mustCheck(t, p, Request{To: sfNumber, Kind: Marketing, Body: "Sale! bit.ly/x", Now: noonSF.Add(11 * time.Hour)})
	want := []string{"consent.marketing-opt-in", RuleShortener, RuleBrand, RuleOptOutLanguage, "quiet.US"}
	if diff := cmp.Diff(want, rules(d)); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	for _, e := range []error{ErrNoConsent, ErrContentPolicy, ErrQuietHours} {
		if !errors.Is(d.Err(), e) {
			t.Errorf("Err() does not match %v", e)
		}
	}
	if d.Outcome != Deny || !d.NotBefore.IsZero() {
		t.Errorf("outcome %v until %v, want deny", d.Outcome, d.NotBefore)
	}
}

type failingStore struct{ ConsentStore }

func (failingStore) State(context.Context, string, string, Kind, time.Time) (ConsentState, error) {
	return ConsentState{}, errors.New("db down")
}

func TestPolicyErrors(t *testing.T) {
	p := NewPolicy()
	for _, to := range []string{"", "4155552671", "+1 415 555 2671", "+0123456789"} {
		if _, err := p.Check(context.Background(), Request{To: to}); !errors.Is(err, ErrInvalidNumber) {
			t.Errorf("Check(To=%q) error = %v, want ErrInvalidNumber", to, err)
		}
	}
	f := NewPolicy(WithConsentStore(failingStore{}))
	_, err := f.Check(context.Background(), Request{To: sfNumber, Now: noonSF})
	if err == nil || !strings.Contains(err.Error(), "db down") || strings.Contains(err.Error(), sfNumber) {
		t.Errorf("store failure: %v", err)
	}
}

func TestPolicyNextAllowed(t *testing.T) {
	p := NewPolicy(WithJurisdiction(Jurisdiction{ID: "default", Kinds: AllKinds, Fallback: true, Window: daily(hm(9, 0, 17, 0))}))
	got, err := p.NextAllowed(sfNumber, Service, noonSF.Add(6*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 6, 11, 9, 0, 0, 0, la); !got.Equal(want) {
		t.Errorf("NextAllowed = %v, want %v (host default window 09–17)", got, want)
	}
	if _, err := p.NextAllowed("bogus", Service, noonSF); !errors.Is(err, ErrInvalidNumber) {
		t.Errorf("NextAllowed(bogus) error = %v", err)
	}
	none := NewPolicy(WithJurisdictions([]Jurisdiction{{ID: "never", Kinds: AllKinds}}))
	if _, err := none.NextAllowed(sfNumber, Service, noonSF); !errors.Is(err, ErrQuietHours) {
		t.Errorf("never-open table: %v, want ErrQuietHours", err)
	}
	d := mustCheck(t, none, Request{To: sfNumber, Body: "x", Now: noonSF})
	if d.Outcome != Deny || !errors.Is(d.Err(), ErrQuietHours) {
		t.Errorf("never-open table: %v %v", d.Outcome, d.Err())
	}
}

func TestPolicyLocationCacheBounded(t *testing.T) {
	p := NewPolicy(WithCacheSize(3))
	for _, n := range []string{"+14155552671", "+13055551234", "+12145551234", "+12065551234", "+14165551234"} {
		if _, err := p.Locate(n, nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.locations.len(); n != 3 {
		t.Errorf("cache holds %d prefixes, want 3", n)
	}
}

func TestMaskNumber(t *testing.T) {
	for in, want := range map[string]string{"+14155552671": "+1415****671", "+44791112": "+4479*112", "+123": "**23", "": "", "x": "x"} {
		if got := MaskNumber(in); got != want {
			t.Errorf("MaskNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
