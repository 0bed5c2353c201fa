package compliance_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heraldsms/herald/compliance"
)

func ExampleClassifyReply() {
	for _, text := range []string{"STOP", " stop! ", "Opt-Out", "please stop texting me", "START", "help?", "See you at 5"} {
		fmt.Printf("%-24q %v\n", text, compliance.ClassifyReply(text))
	}
	// Output:
	// "STOP"                   opt-out
	// " stop! "                opt-out
	// "Opt-Out"                opt-out
	// "please stop texting me" opt-out
	// "START"                  opt-in
	// "help?"                  help
	// "See you at 5"           other
}

func ExampleKeywords_Classify() {
	// A per-sender set: YES opts in, and a German word for stop.
	k := compliance.NewKeywords(compliance.WithYesOptIn(), compliance.WithKeyword(compliance.ReplyOptOut, "Halt"))
	for _, text := range []string{"yes", "HALT", "Stop it!", "no more messages please"} {
		m := k.Classify(text)
		fmt.Printf("%q: %v exact=%v keyword=%q\n", text, m.Reply, m.Exact, m.Keyword)
	}
	// Output:
	// "yes": opt-in exact=true keyword="YES"
	// "HALT": opt-out exact=true keyword="HALT"
	// "Stop it!": opt-out exact=false keyword="STOP"
	// "no more messages please": opt-out exact=false keyword="NO MORE MESSAGES"
}

func ExamplePolicy_Check() {
	ctx := context.Background()
	ny, _ := time.LoadLocation("America/New_York")
	now := time.Date(2025, 6, 10, 20, 30, 0, 0, ny) // Tuesday 20:30 in Miami

	p := compliance.NewPolicy(compliance.WithBrand("Acme"))
	// A marketing opt-in captured on a web form, with its evidence.
	_ = p.ConsentStore().Append(ctx, compliance.Record{
		Number: "+13055551234", Scope: "acme", Kind: compliance.Marketing, Action: compliance.ActionOptIn,
		At: now.Add(-24 * time.Hour), Level: compliance.LevelExpressWritten, Source: compliance.SourceWebForm,
		Disclosure: "I agree to receive marketing texts from Acme. Msg & data rates may apply.", IP: "192.0.2.7",
	})
	req := compliance.Request{To: "+13055551234", Scope: "acme", Kind: compliance.Marketing,
		Body: "Acme: 20% off today. Reply STOP to opt out.", Now: now}

	d, _ := p.Check(ctx, req)
	// Florida allows marketing texts 08:00 to 20:00 only.
	fmt.Println(d.Outcome, d.NotBefore.In(ny).Format("Mon 15:04"), errors.Is(d.Err(), compliance.ErrQuietHours))
	fmt.Println(d.Reasons[0].Rule)

	// The recipient replies STOP: every later decision denies.
	_, _ = p.RecordReply(ctx, "+13055551234", "acme", "STOP", now.Add(time.Minute))
	req.Now = now.Add(12 * time.Hour)
	d, _ = p.Check(ctx, req)
	fmt.Println(d.Outcome, errors.Is(d.Err(), compliance.ErrOptedOut))
	fmt.Println(d.Err())
	// Output:
	// defer Wed 08:00 true
	// quiet.US-FL
	// deny true
	// +1305****234 opted out of acme at 2025-06-11T00:31:00Z (keyword "STOP")
}

func ExamplePolicy_NextAllowed() {
	p := compliance.NewPolicy()
	// 06:00 in San Francisco: service texts wait for 08:00 local.
	now := time.Date(2025, 3, 10, 13, 0, 0, 0, time.UTC)
	next, _ := p.NextAllowed("+14155552671", compliance.Service, now)
	fmt.Println(next.UTC())
	// Output:
	// 2025-03-10 15:00:00 +0000 UTC
}

func ExampleQuietHours_Next() {
	ny, _ := time.LoadLocation("America/New_York")
	la, _ := time.LoadLocation("America/Los_Angeles")
	q := compliance.QuietHours{Jurisdictions: compliance.DefaultJurisdictions()}
	// A number whose zones disagree is sent to only when both allow it.
	loc := compliance.Location{Region: "US", Zones: []*time.Location{ny, la}}
	next, rule, _ := q.Next(loc, "", compliance.Service, time.Date(2025, 6, 10, 9, 0, 0, 0, ny))
	fmt.Println(next.In(ny).Format("15:04 MST"), "=", next.In(la).Format("15:04 MST"), rule)
	// Output:
	// 11:00 EDT = 08:00 PDT quiet.default
}

func ExampleContentPolicy_Check() {
	p := compliance.NewContentPolicy(compliance.WithWaived(compliance.RuleAlcohol))
	body := "Wine tasting Friday! Details: https://bit.ly/3xYz"
	for _, v := range p.Check(body, compliance.ContentContext{Kind: compliance.Marketing, Brand: "Acme"}) {
		fmt.Printf("%s %s %q\n", v.Rule, v.Severity, body[v.Span.Start:v.Span.End])
	}
	// Output:
	// content.shortener block "bit.ly"
	// content.brand block ""
	// content.opt-out-language block ""
}

func ExampleMemoryConsentStore() {
	ctx := context.Background()
	s := compliance.NewMemoryConsentStore()
	t0 := time.Date(2025, 4, 11, 15, 0, 0, 0, time.UTC)
	_ = s.Append(ctx, compliance.Record{Number: "+14155552671", Kind: compliance.Marketing, Action: compliance.ActionOptIn, At: t0, Source: compliance.SourceWebForm})
	_ = s.Append(ctx, compliance.Record{Number: "+14155552671", Action: compliance.ActionOptOut, At: t0.Add(72 * time.Hour), Source: compliance.SourceKeyword, Text: "Stop please"})

	// The audit trail.
	h, _ := s.History(ctx, "+14155552671")
	for _, r := range h {
		fmt.Println(r.At.Format(time.DateOnly), r.Action, r.Source, r.Kind)
	}
	// The state at two points in time.
	for _, at := range []time.Time{t0.Add(time.Hour), t0.Add(100 * time.Hour)} {
		st, _ := s.State(ctx, "+14155552671", "", compliance.Marketing, at)
		fmt.Println(at.Format(time.DateOnly), st.Status)
	}
	// Output:
	// 2025-04-11 opt-in web_form marketing
	// 2025-04-14 opt-out keyword service
	// 2025-04-11 opted-in
	// 2025-04-15 opted-out
}

func ExampleClassify() {
	for _, text := range []string{"Thanks! STOP", "ＳＴＯＰ", "Can you stop by at 5?", "I want to cancel", "no más mensajes"} {
		c := compliance.Classify(text)
		fmt.Printf("%-24q %v ambiguous=%v\n", text, c.Reply, c.Ambiguous)
	}
	// Output:
	// "Thanks! STOP"           opt-out ambiguous=false
	// "ＳＴＯＰ"                   opt-out ambiguous=false
	// "Can you stop by at 5?"  other ambiguous=false
	// "I want to cancel"       opt-out ambiguous=true
	// "no más mensajes"        opt-out ambiguous=false
}

func ExampleContentContext() {
	p := compliance.NewContentPolicy()
	body := "Your wine club box ships Friday. Pay the balance at https://acme-pay.example/x"
	for _, c := range []compliance.ContentContext{
		{Kind: compliance.Service},
		{Kind: compliance.Service, SenderDomains: []string{"acme.com"}},
		{Kind: compliance.Service, Strict: true, Declared: []string{compliance.RuleAlcohol}},
	} {
		for _, v := range p.Check(body, c) {
			fmt.Println(v.Rule, v.Severity)
		}
		fmt.Println("--")
	}
	// Output:
	// content.alcohol warning
	// content.phishing warning
	// --
	// content.alcohol warning
	// content.phishing block
	// --
	// content.alcohol info
	// content.phishing warning
	// --
}
