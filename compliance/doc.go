// Package compliance decides whether Herald may send a text: the consent
// ledger, STOP/START/HELP reply keywords, quiet hours in the recipient's
// time zones, frequency caps and the content policy, combined by a Policy
// into one explainable Decision.
//
// The rules come from Herald's compliance facts (US first, with sources) and are
// encoded as data tables (jurisdictions.go, keyword_tables.go,
// content_rules.go) that a host can extend or override. Herald is not legal
// advice; every default errs toward not sending.
//
// A typical host builds one Policy and asks it about every recipient:
//
//	p := compliance.NewPolicy(compliance.WithConsentStore(store))
//	d, err := p.Check(ctx, compliance.Request{To: "+14155552671", Kind: compliance.Marketing, Body: body, Now: now})
//	switch d.Outcome {
//	case compliance.Allow: // send, then p.RecordSend(ctx, req)
//	case compliance.Defer: // try again at d.NotBefore
//	case compliance.Deny:  // d.Err() says why; errors.Is(d.Err(), compliance.ErrOptedOut)
//	}
package compliance
