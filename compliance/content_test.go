package compliance

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestContentPolicy(t *testing.T) {
	svc := ContentContext{}
	mkt := ContentContext{Kind: Marketing, Brand: "Acme"}
	first := ContentContext{First: true, Brand: "Acme"}
	const ok = "Acme: 20% off today. Reply STOP to opt out."
	type hit struct {
		Rule string
		Text string // body[Span]
	}
	tests := []struct {
		name string
		body string
		c    ContentContext
		want []hit
	}{
		{"clean service", "Your order #123 has shipped and arrives Tuesday.", svc, nil},
		{"clean marketing", ok, mkt, nil},
		{"sex", "Hot singles and XXX pics", svc, []hit{{RuleSex, "Hot singles"}, {RuleSex, "XXX"}}},
		{"sex negative: Sussex", "Your Sussex office is open.", svc, nil},
		{"hate", "join the White  Power rally", svc, []hit{{RuleHate, "White  Power"}}},
		{"alcohol", "Happy hour: $3 beers", svc, []hit{{RuleAlcohol, "Happy hour"}, {RuleAlcohol, "beers"}}},
		{"alcohol negative: ginger", "Ginger tea is back", svc, nil},
		{"firearms", "New rifles in stock", svc, []hit{{RuleFirearms, "rifles"}}},
		{"firearms negative: begun", "Your repair has begun", svc, nil},
		{"tobacco", "Vape deals", svc, []hit{{RuleTobacco, "Vape"}}},
		{"tobacco e-cig", "E-Cig sale", svc, []hit{{RuleTobacco, "E-Cig"}}},
		{"cannabis", "CBD gummies 50% off", svc, []hit{{RuleCannabis, "CBD"}}},
		{"prescription", "Pills without a prescription!", svc, []hit{{RulePrescription, "without a prescription"}}},
		{"prescription negative", "Your prescription is ready for pickup", svc, nil},
		{"finance", "Need a payday loan?", svc, []hit{{RuleFinance, "payday loan"}}},
		{"fraud", "Congrats, you have won! Claim your prize", svc, []hit{{RuleFraud, "you have won"}, {RuleFraud, "Claim your prize"}}},
		{"gambling", "Best casino bonus", svc, []hit{{RuleGambling, "casino"}}},
		{"malware", "Update: https://example.com/app/update.APK now", svc, []hit{{RuleMalware, "example.com/app/update.APK"}}},
		{"malware negative", "See https://example.com/apk-guide", svc, nil},
		{"invisible char", "fr\u200bee money", svc, []hit{{RuleFilterEvasion, "\u200b"}}},
		{"mixed script", "Free \u0440rize", svc, []hit{{RuleFilterEvasion, "\u0440rize"}}},
		{"mixed script, Latin first", "Log in to pay\u0440al.com now", svc, []hit{{RuleFilterEvasion, "pay\u0440al"}}},
		{"cyrillic alone is fine", "Привет мир", svc, nil},
		{"shortener", "Track it: https://bit.ly/abc123", svc, []hit{{RuleShortener, "bit.ly"}}},
		{"shortener bare", "see BIT.LY/x.", svc, []hit{{RuleShortener, "BIT.LY"}}},
		{"shortener tinyurl www", "go to www.tinyurl.com/y", svc, []hit{{RuleShortener, "www.tinyurl.com"}}},
		{"shortener t.co", "(t.co/xyz)", svc, []hit{{RuleShortener, "t.co"}}},
		{"own domain is fine", "Track: https://track.acme.com/abc", svc, nil},
		{"lookalike domain is fine", "https://notbit.ly.example.com/x", svc, nil},
		{"prices are not links", "Now $3.50, was $4.99. See you at 5 p.m.", svc, nil},
		{"marketing without brand", "20% off today. Reply STOP to opt out.", mkt, []hit{{RuleBrand, ""}}},
		{"marketing without opt-out", "Acme: 20% off today!", mkt, []hit{{RuleOptOutLanguage, ""}}},
		{"marketing with neither", "20% off today!", mkt, []hit{{RuleBrand, ""}, {RuleOptOutLanguage, ""}}},
		{"marketing opt-out wording", "ACME deals. Text UNSUBSCRIBE to opt-out", mkt, nil},
		{"opt out without how is not an instruction", "acme deals, opt out anytime", mkt, []hit{{RuleOptOutLanguage, ""}}},
		{"first message needs disclosures", "Your code is 1234", first, []hit{{RuleBrand, ""}, {RuleOptOutLanguage, ""}}},
		{"first message with disclosures", "Acme: your code is 1234. Reply STOP to opt out", first, nil},
		{"no brand configured skips brand", "Deals! Reply STOP to end", ContentContext{Kind: Marketing}, nil},
		{"stopwatch is not opt-out language", "Acme stopwatch sale", mkt, []hit{{RuleOptOutLanguage, ""}}},
	}
	p := NewContentPolicy()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []hit
			restricted := map[string]bool{RuleSex: true, RuleAlcohol: true, RuleFirearms: true, RuleTobacco: true, RuleCannabis: true, RuleFinance: true, RuleGambling: true, RuleDrugs: true}
			for _, v := range p.Check(tt.body, tt.c) {
				want := SeverityBlock
				if restricted[v.Rule] && tt.c.Kind == Service {
					want = SeverityWarning // a restricted category in a service text is only a warning
				}
				if v.Text == "" || v.Category == "" || v.Severity != want {
					t.Errorf("incomplete violation %+v, want severity %v", v, want)
				}
				got = append(got, hit{v.Rule, tt.body[v.Span.Start:v.Span.End]})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check(%q) (-want +got):\n%s", tt.body, diff)
			}
		})
	}
}

func TestOptOutInstruction(t *testing.T) {
	mkt := ContentContext{Kind: Marketing}
	p := NewContentPolicy()
	tests := []struct {
		body string
		ok   bool // carries an opt-out instruction
	}{
		{"Deals! Reply STOP to opt out.", true},
		{"Deals! Reply STOP to unsubscribe", true},
		{"Deals! Text STOP to 12345 to end", true},
		{"Deals! Txt STOP 2 quit", true},
		{"Deals! STOP to end", true},
		{"Deals! Stop to opt-out", true},
		{"Deals! Send UNSUBSCRIBE to stop", true},
		{"Deals! Reply 'END' to cancel.", true},
		{"Deals! Reply with STOP anytime.", true},
		{"Deals! Reply Stop2End", true},
		{"Ofertas. Responde BAJA para cancelar", true},
		{"Ofertas. Envía PARAR", true},
		{"Never stop saving!", false},
		{"Don't stop now, the sale ends soon", false},
		{"Nonstop deals all weekend", false},
		{"Stop by our store for deals", false},
		{"Unsubscribe anytime", false},
		{"Opt out whenever you like", false},
		{"Reply YES for deals", false},
		{"Text us to stop by", false},
		{"End of season sale", false},
	}
	for _, tt := range tests {
		got := true
		for _, v := range p.Check(tt.body, mkt) {
			if v.Rule == RuleOptOutLanguage {
				got = false
			}
		}
		if got != tt.ok {
			t.Errorf("Check(%q): opt-out instruction found = %v, want %v", tt.body, got, tt.ok)
		}
	}
}

func TestContentPolicyOptions(t *testing.T) {
	p := NewContentPolicy(
		WithWaived(RuleAlcohol, RuleShortener),
		WithContentRule(ContentRule{ID: "host.competitor", Category: "competitor", Severity: SeverityWarning, Words: []string{"Globex"}, Domains: []string{"globex.example"}}),
		WithContentRule(ContentRule{ID: RuleGambling, Category: "gambling", Severity: SeverityWarning, Words: []string{"raffle"}}),
	)
	got := p.Check("Wine night, raffle and bit.ly/x — better than Globex (globex.example/deal)", ContentContext{})
	var rules []string
	for _, v := range got {
		rules = append(rules, v.Rule+":"+v.Severity.String())
	}
	// Words by position (Globex twice: in the text and in the link), then links.
	want := []string{RuleGambling + ":warning", "host.competitor:warning", "host.competitor:warning", "host.competitor:warning"}
	if diff := cmp.Diff(want, rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	for _, id := range p.Rules() {
		if id == RuleAlcohol || id == RuleShortener {
			t.Errorf("waived rule %s still active", id)
		}
	}
	empty := NewContentPolicy(WithoutDefaultContentRules())
	if v := empty.Check("casino XXX bit.ly/x", ContentContext{Kind: Marketing, Brand: "Acme"}); v != nil {
		t.Errorf("empty policy found %v", v)
	}
	custom := NewContentPolicy(WithoutDefaultContentRules(), WithContentRule(ContentRule{ID: "host.caps", Severity: SeverityInfo,
		Match: func(body string, _ ContentContext) []Violation {
			if strings.ToUpper(body) == body {
				return []Violation{{Span: Span{0, len(body)}, Text: "all caps"}}
			}
			return nil
		}}))
	if v := custom.Check("HELLO", ContentContext{}); len(v) != 1 || v[0].Rule != "host.caps" {
		t.Errorf("custom Match rule: %+v", v)
	}
}

// TestContentCheckAllocs: a clean body, one with a link and a compliant
// marketing text are checked without allocating.
func TestContentCheckAllocs(t *testing.T) {
	p := NewContentPolicy()
	for _, tt := range []struct {
		body string
		c    ContentContext
	}{
		{"Order 4417 arrives Tuesday.", ContentContext{}},
		{"Track it at https://track.acme.com/4417 (arrives Tuesday).", ContentContext{SenderDomains: []string{"acme.com"}}},
		{"Acme: your order #12345 has shipped and will arrive Tuesday. Track at https://track.acme.com/12345. Reply STOP to opt out.", ContentContext{Kind: Marketing, Brand: "Acme"}},
	} {
		if v := p.Check(tt.body, tt.c); v != nil {
			t.Fatalf("Check(%q) = %+v, want clean", tt.body, v)
		}
		if n := testing.AllocsPerRun(100, func() { p.Check(tt.body, tt.c) }); n != 0 {
			t.Errorf("Check(%q) allocates %v times", tt.body, n)
		}
	}
}

// TestContentBuiltinReplaced: a rule replacing a default rule of the same
// ID runs its own Match instead of the default matcher.
func TestContentBuiltinReplaced(t *testing.T) {
	p := NewContentPolicy(WithContentRule(ContentRule{ID: RuleMalware, Category: "installer", Severity: SeverityWarning,
		Match: func(body string, _ ContentContext) []Violation {
			if i := strings.Index(body, "setup"); i >= 0 {
				return []Violation{{Span: Span{i, i + 5}, Text: "setup"}}
			}
			return nil
		}}))
	got := p.Check("Get https://example.com/app.apk or run setup", ContentContext{})
	if len(got) != 1 || got[0].Rule != RuleMalware || got[0].Text != "setup" || got[0].Severity != SeverityWarning {
		t.Errorf("violations %+v, want only the replacement's finding", got)
	}
}

func FuzzContentCheck(f *testing.F) {
	for _, s := range []string{"Acme: Reply STOP", "bit.ly/x", "https://a.b/c.apk", "fr\u200bee", "\u0440rize", "x@bit.ly", "((((", "a.b:80/x.exe?y"} {
		f.Add(s, true)
	}
	p := NewContentPolicy()
	f.Fuzz(func(t *testing.T, body string, marketing bool) {
		c := ContentContext{Brand: "Acme"}
		if marketing {
			c.Kind = Marketing
		}
		for _, v := range p.Check(body, c) {
			if v.Span.Start < 0 || v.Span.End > len(body) || v.Span.Start > v.Span.End {
				t.Fatalf("Check(%q): span %v out of range", body, v.Span)
			}
			if v.Rule == "" || v.Text == "" {
				t.Fatalf("Check(%q): incomplete violation %+v", body, v)
			}
		}
	})
}

// BenchmarkContentCheckShort checks personalised short service texts, as
// a bulk send does (each body once, no cache).
func BenchmarkContentCheckShort(b *testing.B) {
	p := NewContentPolicy()
	bodies := make([]string, 4096)
	for i := range bodies {
		bodies[i] = "Order " + strconv.Itoa(4000+i) + " arrives Tuesday."
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p.Check(bodies[i%len(bodies)], ContentContext{})
		i++
	}
}

func BenchmarkContentCheck(b *testing.B) {
	p := NewContentPolicy()
	body := "Acme: your order #12345 has shipped and will arrive Tuesday. Track at https://track.acme.com/12345. Reply STOP to opt out."
	b.ReportAllocs()
	for b.Loop() {
		p.Check(body, ContentContext{Kind: Marketing, Brand: "Acme"})
	}
}
