// Package compliance decides whether Herald may send a text: the consent
// ledger, STOP/START/HELP reply keywords, quiet hours in the recipient's
// time zones, frequency caps and the content policy, combined by a Policy
// into one explainable Decision.
//
// The rules come from Herald's compliance facts (US first, with sources) and are
// encoded as data tables (jurisdictions.go, holidays.go,
// split_area_codes.go, keyword_tables.go, reply_words.go,
// content_rules.go) that a host can extend or override. Herald is not
// legal advice; every default errs toward not sending.
//
// A typical host builds one Policy and asks it about every recipient:
//
//	p := compliance.NewPolicy(compliance.WithConsentStore(store), compliance.WithSenderDomains("acme.com"))
//	d, err := p.Check(ctx, compliance.Request{To: "+14155552671", Kind: compliance.Marketing, Body: body, Now: now})
//	switch d.Outcome {
//	case compliance.Allow: // send, then p.RecordSend(ctx, req); show d.Warnings() to a person
//	case compliance.Defer: // try again at d.NotBefore
//	case compliance.Deny:  // d.Err() says why; errors.Is(d.Err(), compliance.ErrOptedOut)
//	}
//
// Every Reason of a refused or deferred Decision names its rule
// ("consent.opted-out", "quiet.US-RI", "cap.US-MD", "content.alcohol"),
// the law or table row behind it and, for a deferral, until when.
//
// # Replies
//
// ClassifyReply and Classify read an inbound reply the way the FCC's
// revocation rule (47 CFR 64.1200(a)(10)) asks: a per-se word (STOP, QUIT,
// END, REVOKE, OPT OUT, CANCEL, UNSUBSCRIBE, and Spanish BAJA, PARAR)
// used about the messages anywhere in a short reply, or a sentence saying
// the person no longer wants them, withdraws consent or wants their
// number removed, is an opt-out; "can you stop by at 5" and "don't stop
// the deliveries" are not. Case, width (full-width letters), accents and
// other compatibility forms do not matter. An uncertain reading ("I want
// to cancel") is an opt-out with Classification.Ambiguous set, so the
// sender may send one clarifying text (DefaultClarifyingText).
//
// # Quiet hours
//
// Each jurisdiction row carries its window and, where its law closes on
// holidays, its own holiday calendar with observed dates (StateHolidays,
// FederalHolidays). A number whose area code spans time zones
// (SplitAreaCodes) may be in any of them: the send waits until the window
// is open in every zone.
//
// # Content
//
// Restricted categories (SHAFT-C and other age-gated or licensed ones)
// are decided by context: a service text is warned about
// (Decision.Warnings) unless WithStrictContent; marketing is denied unless
// the sender declares the category (WithDeclaredCategories,
// Request.Categories). Disguised words, phishing prompts with links off
// the sender's domains (WithSenderDomains), public shorteners and
// executable links are denied in any context.
package compliance
