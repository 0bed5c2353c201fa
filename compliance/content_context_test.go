package compliance

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestContentRestrictedByContext(t *testing.T) {
	p := NewContentPolicy()
	const body = "Wine tasting Friday: 20% off every bottle."
	tests := []struct {
		name string
		c    ContentContext
		want Severity
	}{
		{"service: warning", ContentContext{}, SeverityWarning},
		{"service, strict: block", ContentContext{Strict: true}, SeverityBlock},
		{"marketing, undeclared: block", ContentContext{Kind: Marketing}, SeverityBlock},
		{"marketing, declared by rule ID: info", ContentContext{Kind: Marketing, Declared: []string{RuleAlcohol}}, SeverityInfo},
		{"marketing, declared by category: info", ContentContext{Kind: Marketing, Declared: []string{"Alcohol"}}, SeverityInfo},
		{"marketing, another category declared: block", ContentContext{Kind: Marketing, Declared: []string{RuleTobacco}}, SeverityBlock},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Severity
			for _, v := range p.Check(body, tt.c) {
				if v.Rule == RuleAlcohol {
					got = append(got, v.Severity)
				}
			}
			if len(got) == 0 {
				t.Fatal("no alcohol finding")
			}
			for _, s := range got {
				if s != tt.want {
					t.Errorf("severity %v, want %v", s, tt.want)
				}
			}
		})
	}
}

func TestContentWordsInContext(t *testing.T) {
	p := NewContentPolicy()
	mkt := ContentContext{Kind: Marketing}
	tests := []struct {
		body string
		rule string // "" for no category finding
	}{
		{"Spring weed control special, $49 per visit.", ""},
		{"Weed and feed 2 for $30.", ""},
		{"Free delivery to Weed, CA this week.", ""},
		{"Glue guns and heat guns 30% off.", ""},
		{"Root beer floats $2 all week!", ""},
		{"RV sites with full hookup from $35/night.", ""},
		{"Your card ending in XXX-1234 was charged.", ""},
		{"Our driver will escort you to the lounge.", ""},
		{"Poker face on! Trivia night Thursday.", ""},
		{"Get weed delivered tonight.", RuleCannabis},
		{"Guns and ammo sale this weekend.", RuleFirearms},
		{"Craft beer flights $10.", RuleAlcohol},
		{"XXX videos tonight.", RuleSex},
	}
	for _, tt := range tests {
		got := ""
		for _, v := range p.Check(tt.body, mkt) {
			if v.Rule != RuleBrand && v.Rule != RuleOptOutLanguage {
				got = v.Rule
				break
			}
		}
		if got != tt.rule {
			t.Errorf("Check(%q) first category finding = %q, want %q", tt.body, got, tt.rule)
		}
	}
}

func TestContentDisguised(t *testing.T) {
	p := NewContentPolicy()
	for _, body := range []string{
		"Play at our c.a.s.i.n.o tonight",
		"Best c a s i n o bonuses",
		"Cheap v-a-p-e-s delivered",
		"Get your W E E D today",
		"New \u0441asino bonus", // Cyrillic es
		"Buy c4sino credits",
		"Best ca$ino in town",
		"Ｃａｓｉｎｏ night",
		"h0t s1ngles near you",
	} {
		found := false
		for _, v := range p.Check(body, ContentContext{}) {
			if v.Rule == RuleFilterEvasion && v.Severity == SeverityBlock && strings.Contains(v.Text, "reads") {
				found = true
			}
		}
		if !found {
			t.Errorf("Check(%q): no disguised-word finding", body)
		}
	}
	for _, body := range []string{
		"Gate A, B or C is open",
		"Your 2nd dose is at 4pm",
		"U S A flags on sale",
		"Our family 👨\u200d👩\u200d👧 photo book shipped",
		"Order #A1B2C3 is ready",
	} {
		if v := p.Check(body, ContentContext{}); len(v) != 0 {
			t.Errorf("Check(%q) = %+v, want nothing", body, v)
		}
	}
}

func TestContentPhishing(t *testing.T) {
	p := NewContentPolicy()
	own := ContentContext{SenderDomains: []string{"acme.com"}}
	tests := []struct {
		name string
		body string
		c    ContentContext
		want Severity // SeverityInfo for no finding
	}{
		{"prompt, own domain", "Your payment failed. Update your card at https://acme.com/billing", own, SeverityInfo},
		{"prompt, own subdomain", "Log in at https://app.acme.com to see your statement.", own, SeverityInfo},
		{"prompt, other domain", "Your payment failed. Update your card at https://acme-billing.help/pay", own, SeverityBlock},
		{"prompt, domain that only starts with the sender's", "Log in: http://acme.com.restore.net/login", own, SeverityBlock},
		{"prompt, IP address", "Verify your account: https://203.0.113.5/login", ContentContext{}, SeverityBlock},
		{"prompt, punycode host", "Sign in at https://xn--acme-9qa.com", ContentContext{}, SeverityBlock},
		{"prompt, no domain declared: warning", "Pay now at https://acme-pay.example/x", ContentContext{}, SeverityWarning},
		{"no prompt, other domain", "Track with UPS: https://www.ups.com/track?n=1Z", own, SeverityInfo},
		{"prompt, no link", "Your account is locked. Call 555-0111.", own, SeverityInfo},
		{"prompt, IP address and port, no other link", "Verify your account http://10.0.0.1:8080/x", own, SeverityBlock},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SeverityInfo
			for _, v := range p.Check(tt.body, tt.c) {
				if v.Rule == RulePhishing {
					got = v.Severity
					if !strings.Contains(v.Text, "prompt") {
						t.Errorf("text %q does not explain the finding", v.Text)
					}
				}
			}
			if got != tt.want {
				t.Errorf("phishing severity %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPolicyContentContext: through a Policy, a restricted category warns
// on a service text (allowed, visible in Decision.Warnings), denies with
// WithStrictContent, denies undeclared marketing and allows marketing that
// declares it (WithDeclaredCategories or Request.Categories); phishing
// uses WithSenderDomains.
func TestPolicyContentContext(t *testing.T) {
	ctx := context.Background()
	const svcBody = "Your wine club box ships Friday; an adult must sign."
	const mktBody = "Acme: wine tasting Friday, 20% off. Reply STOP to opt out."
	optedIn := func(p *Policy) *Policy {
		_ = p.ConsentStore().Append(ctx, optInRecord(sfNumber, "", Marketing, noonSF.Add(-48*3600e9)))
		return p
	}
	tests := []struct {
		name string
		p    *Policy
		r    Request
		want Outcome
	}{
		{"service warns", NewPolicy(), Request{To: sfNumber, Body: svcBody, Now: noonSF}, Allow},
		{"service strict denies", NewPolicy(WithStrictContent(true)), Request{To: sfNumber, Body: svcBody, Now: noonSF}, Deny},
		{"marketing undeclared denies", optedIn(NewPolicy(WithBrand("Acme"))), Request{To: sfNumber, Kind: Marketing, Body: mktBody, Now: noonSF}, Deny},
		{"marketing declared by policy", optedIn(NewPolicy(WithBrand("Acme"), WithDeclaredCategories(RuleAlcohol))), Request{To: sfNumber, Kind: Marketing, Body: mktBody, Now: noonSF}, Allow},
		{"marketing declared by request", optedIn(NewPolicy(WithBrand("Acme"))), Request{To: sfNumber, Kind: Marketing, Body: mktBody, Categories: []string{RuleAlcohol}, Now: noonSF}, Allow},
		{"phishing to another domain", NewPolicy(WithSenderDomains("acme.com")), Request{To: sfNumber, Body: "Payment failed. Pay now at https://acme-pay.help/x", Now: noonSF}, Deny},
		{"payment link to own domain", NewPolicy(WithSenderDomains("acme.com")), Request{To: sfNumber, Body: "Payment failed. Pay now at https://pay.acme.com/x", Now: noonSF}, Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustCheck(t, tt.p, tt.r)
			if d.Outcome != tt.want {
				t.Fatalf("outcome %v, want %v (%+v)", d.Outcome, tt.want, d.Reasons)
			}
			if tt.want == Deny && !errors.Is(d.Err(), ErrContentPolicy) {
				t.Errorf("deny without ErrContentPolicy: %v", d.Err())
			}
		})
	}
	d := mustCheck(t, NewPolicy(), Request{To: sfNumber, Body: svcBody, Now: noonSF})
	w := d.Warnings()
	if len(w) != 1 || w[0].Rule != RuleAlcohol || w[0].Violation == nil || w[0].Violation.Severity != SeverityWarning {
		t.Errorf("Warnings() = %+v, want the alcohol warning", w)
	}
}
