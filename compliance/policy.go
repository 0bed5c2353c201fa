package compliance

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/heraldsms/herald/internal/e164"
	"github.com/nyaruka/phonenumbers"
)

// Request describes one message to one recipient.
type Request struct {
	// To is the recipient in E.164 ("+14155552671"). Required: the ledger
	// and the stores are keyed by it.
	To string
	// Number is To already parsed, optional; it saves a parse when the
	// number's prefix is not cached yet.
	Number *phonenumbers.PhoneNumber
	// From is the sender number or contact point (informational).
	From string
	// Scope is the brand or sender consent is keyed to; "" is the host's
	// single default scope.
	Scope string
	// Campaign, when set, is a second consent scope: an opt-out in either
	// scope denies, an opt-in in either satisfies.
	Campaign string
	// Topic groups messages for per-topic caps ("" is the default topic).
	Topic string
	// Kind is Service unless the message is Marketing.
	Kind Kind
	// Body is the text to send.
	Body string
	// First marks the first message from this sender to this number: it
	// must carry the brand name and opt-out language.
	First bool
	// Brand overrides the policy's brand name for the content check.
	Brand string
	// Categories declares restricted content categories of this message
	// or campaign, by rule ID (RuleAlcohol) or category ("alcohol"), for
	// example an age-gated alcohol campaign; they add to the policy's
	// WithDeclaredCategories. Marketing in a declared category is allowed
	// by the content policy; undeclared it is denied.
	Categories []string
	// State is the recipient's known address state ("FL"), applied in
	// addition to the area code's state for quiet hours and caps.
	State string
	// OptOutConfirmation marks the single confirmation reply to an
	// opt-out: it is allowed despite the opt-out when it is a Service
	// message, goes within the confirmation window and is the first send
	// to the number since the opt-out. Quiet hours and caps do not apply
	// to it.
	OptOutConfirmation bool
	// Now is the decision time; zero means the policy clock.
	Now time.Time
	// LastInbound is when the recipient last texted this sender (zero
	// when never or unknown). Under WithRequireOptIn a Service message
	// without an opt-in on record is still allowed within the reply
	// window (WithReplyWindow, default 24 hours) after it: the business
	// may answer a person who texted it first. notify fills it from its
	// conversation history (the newest inbound message from To to From).
	// It never overrides an opt-out and does not apply to Marketing.
	LastInbound time.Time
}

// Policy combines consent, quiet hours, frequency caps and the content
// policy into one Decision. Build it with NewPolicy; it is safe for
// concurrent use. Check reads the consent store on every call (no cached
// consent), so an opt-out recorded at T is honoured by every decision
// made after T.
type Policy struct {
	consent             ConsentStore
	freq                FrequencyStore
	content             *ContentPolicy
	keywords            *Keywords
	quiet               QuietHours
	requireServiceOptIn bool
	requireWritten      bool
	confirmWindow       time.Duration
	replyWindow         time.Duration
	dupWindow           time.Duration
	caps                []Cap
	brand               string
	strictContent       bool
	declared            []string
	senderDomains       []string
	locate              LocateFunc
	cacheSize           int
	now                 func() time.Time

	locations *locationCache
	bodies    *contentCache
}

// NewPolicy returns a policy with in-memory stores, the default tables and
// the options applied. With no options it works: service messages are
// allowed inside 08–21 local time, marketing needs an opt-in on record.
func NewPolicy(opts ...PolicyOption) *Policy {
	p := &Policy{
		quiet:         QuietHours{Jurisdictions: DefaultJurisdictions()},
		confirmWindow: 5 * time.Minute,
		replyWindow:   DefaultReplyWindow,
		dupWindow:     time.Hour,
		locate:        LocateNumber,
		cacheSize:     4096,
		now:           time.Now,
	}
	for _, o := range opts {
		o(p)
	}
	if p.consent == nil {
		p.consent = NewMemoryConsentStore()
	}
	if p.freq == nil {
		p.freq = NewMemoryFrequencyStore(0)
	}
	if p.content == nil {
		p.content = NewContentPolicy()
	}
	if p.keywords == nil {
		p.keywords = defaultKeywords()
	}
	p.locations = newLocationCache(p.cacheSize)
	p.bodies = newContentCache(p.cacheSize)
	return p
}

// Keywords returns the reply keyword set RecordReply uses; call its
// Interpret to learn whether a reply is ambiguous
// (Classification.Ambiguous) and a clarifying text may be sent.
func (p *Policy) Keywords() *Keywords { return p.keywords }

// RequiresOptIn reports whether service messages need an opt-in on record
// too (WithRequireOptIn), so a caller knows to fill Request.LastInbound.
func (p *Policy) RequiresOptIn() bool { return p.requireServiceOptIn }

// ConsentStore returns the ledger the policy reads.
func (p *Policy) ConsentStore() ConsentStore { return p.consent }

// Check decides whether r may be sent now. The returned error is only for
// bad input (ErrInvalidNumber, a *KindError for a Kind the package does
// not define) and store failures; policy findings are in the Decision. A
// Kind the package does not define is refused: the error matches
// ErrUnknownKind and the Decision denies with the rule
// "request.unknown-kind", so a caller that only reads the Decision does
// not send either.
func (p *Policy) Check(ctx context.Context, r Request) (Decision, error) {
	if !e164.Shaped(r.To) {
		return Decision{}, fmt.Errorf("%w: %q", ErrInvalidNumber, MaskNumber(r.To))
	}
	if err := checkKind(r.Kind); err != nil {
		var d Decision
		d.add(Reason{Err: ErrUnknownKind, Rule: "request.unknown-kind", Outcome: Deny,
			Text: fmt.Sprintf("message kind %v to %s is not one the compliance rules know (Service or Marketing); refused", r.Kind, MaskNumber(r.To))})
		return d, err
	}
	now := r.Now
	if now.IsZero() {
		now = p.now()
	}
	var d Decision

	confirmation, err := p.checkConsent(ctx, &d, r, now)
	if err != nil {
		return Decision{}, err
	}

	brand := r.Brand
	if brand == "" {
		brand = p.brand
	}
	cc := ContentContext{Kind: r.Kind, First: r.First, Brand: brand, Declared: p.declared, Strict: p.strictContent, SenderDomains: p.senderDomains}
	key := contentKey{body: r.Body, brand: brand, kind: r.Kind, first: r.First}
	if len(r.Categories) > 0 {
		cc.Declared = append(append([]string(nil), p.declared...), r.Categories...)
		key.declared = strings.Join(r.Categories, "\x00")
	}
	cr := p.bodies.get(key, cc, p.content)
	for i := range cr.violations {
		v := &cr.violations[i]
		out, e := Allow, error(nil)
		if v.Severity == SeverityBlock {
			out, e = Deny, ErrContentPolicy
		}
		d.add(Reason{Err: e, Rule: v.Rule, Text: v.Text, Outcome: out, Violation: v})
	}
	if confirmation {
		return d, nil
	}

	le, err := p.locations.get(r.To, r.Number, p.locate, &p.quiet)
	if err != nil {
		return Decision{}, err
	}
	loc := &le.loc
	var rows []int16
	if r.State == "" {
		rows = le.rows[r.Kind]
	} else {
		rows = p.quiet.rows(loc, r.State, r.Kind)
	}
	if err := p.checkFrequency(ctx, &d, r, now, cr.hash, rows); err != nil {
		return Decision{}, err
	}

	next, rule, ok := p.quiet.next(loc, rows, now)
	switch {
	case !ok:
		d.add(Reason{Err: ErrQuietHours, Rule: rule, Outcome: Deny,
			Text: fmt.Sprintf("no time in the next %d days is inside every sending window of %s (zones %s)", maxScanDays, MaskNumber(r.To), zoneNames(loc.Zones))})
	case next.After(now):
		zones := ""
		if len(loc.Zones) > 1 {
			zones = "; the number may be in any of " + zoneNames(loc.Zones) + ", so the send waits until the window is open in every zone"
		}
		d.add(Reason{Err: ErrQuietHours, Rule: rule, Outcome: Defer, NotBefore: next,
			Text: fmt.Sprintf("quiet hours (%s%s) for %s until %s%s", rule, p.quiet.explain(rule, loc, now), MaskNumber(r.To), next.UTC().Format(time.RFC3339), zones)})
	}
	return d, nil
}

// checkConsent adds consent reasons; it reports whether r is an allowed
// opt-out confirmation.
func (p *Policy) checkConsent(ctx context.Context, d *Decision, r Request, now time.Time) (bool, error) {
	st, err := p.consent.State(ctx, r.To, r.Scope, r.Kind, now)
	if err != nil {
		return false, fmt.Errorf("compliance: consent of %s: %w", MaskNumber(r.To), err)
	}
	if r.Campaign != "" && r.Campaign != r.Scope {
		st2, err := p.consent.State(ctx, r.To, r.Campaign, r.Kind, now)
		if err != nil {
			return false, fmt.Errorf("compliance: consent of %s: %w", MaskNumber(r.To), err)
		}
		if st2.Status == StatusOptedOut || st.Status == StatusUnknown ||
			(st.Status == StatusOptedIn && st2.Status == StatusOptedIn && st2.Record.Level > st.Record.Level) {
			if st.Status != StatusOptedOut {
				st = st2
			}
		}
	}
	switch {
	case st.Status == StatusOptedOut:
		if r.OptOutConfirmation && r.Kind == Service && !now.Before(st.Record.At) && now.Sub(st.Record.At) <= p.confirmWindow {
			t, err := p.freq.CountSends(ctx, SendQuery{To: r.To, Since: st.Record.At.Add(-time.Nanosecond)})
			if err != nil {
				return false, fmt.Errorf("compliance: sends to %s: %w", MaskNumber(r.To), err)
			}
			if t.Count == 0 {
				return true, nil
			}
		}
		d.add(Reason{Err: ErrOptedOut, Rule: "consent.opted-out", Outcome: Deny,
			Text: fmt.Sprintf("%s opted out%s at %s (%s)", MaskNumber(r.To), scopeText(st.Record.Scope), st.Record.At.UTC().Format(time.RFC3339), sourceText(st.Record))})
	case r.Kind == Marketing && st.Status != StatusOptedIn:
		d.add(Reason{Err: ErrNoConsent, Rule: "consent.marketing-opt-in", Outcome: Deny,
			Text: fmt.Sprintf("no marketing opt-in on record for %s%s", MaskNumber(r.To), scopeText(r.Scope))})
	case r.Kind == Marketing && p.requireWritten && st.Record.Level < LevelExpressWritten:
		d.add(Reason{Err: ErrNoConsent, Rule: "consent.written", Outcome: Deny,
			Text: fmt.Sprintf("marketing opt-in of %s is not express written consent", MaskNumber(r.To))})
	case r.Kind == Service && p.requireServiceOptIn && st.Status != StatusOptedIn && p.inReplyWindow(r.LastInbound, now):
		d.add(Reason{Rule: "consent.reply-window", Outcome: Allow,
			Text: fmt.Sprintf("no opt-in on record for %s%s, allowed as a reply within %s of its message at %s", MaskNumber(r.To), scopeText(r.Scope), p.replyWindow, r.LastInbound.UTC().Format(time.RFC3339))})
	case r.Kind == Service && p.requireServiceOptIn && st.Status != StatusOptedIn:
		d.add(Reason{Err: ErrNoConsent, Rule: "consent.opt-in", Outcome: Deny,
			Text: fmt.Sprintf("no opt-in on record for %s%s", MaskNumber(r.To), scopeText(r.Scope))})
	}
	return false, nil
}

// DefaultReplyWindow is how long after a person's last inbound message a
// Service reply is allowed without an opt-in on record under
// WithRequireOptIn.
const DefaultReplyWindow = 24 * time.Hour

// inReplyWindow reports whether now is within the reply window after the
// last inbound message: [last, last+window). An inbound time after now
// (clock skew between instances) counts as now.
func (p *Policy) inReplyWindow(last, now time.Time) bool {
	if last.IsZero() || p.replyWindow <= 0 {
		return false
	}
	return now.Sub(last) < p.replyWindow
}

func scopeText(scope string) string {
	if scope == "" {
		return ""
	}
	return " of " + scope
}

func sourceText(r Record) string {
	s := string(r.Source)
	if s == "" {
		s = "unknown source"
	}
	if r.Text != "" {
		s += " " + quote(r.Text)
	}
	return s
}

// checkFrequency adds the duplicate guard and cap reasons.
func (p *Policy) checkFrequency(ctx context.Context, d *Decision, r Request, now time.Time, hash uint64, rows []int16) error {
	if p.dupWindow > 0 {
		t, err := p.freq.CountSends(ctx, SendQuery{To: r.To, Since: now.Add(-p.dupWindow), BodyHash: hash, MatchBody: true})
		if err != nil {
			return fmt.Errorf("compliance: sends to %s: %w", MaskNumber(r.To), err)
		}
		if t.Count > 0 {
			d.add(Reason{Err: ErrDuplicate, Rule: "cap.duplicate", Outcome: Deny,
				Text: fmt.Sprintf("same body already sent to %s at %s", MaskNumber(r.To), t.Oldest.UTC().Format(time.RFC3339))})
		}
	}
	for i := range p.caps {
		if err := p.checkCap(ctx, d, r, now, &p.caps[i]); err != nil {
			return err
		}
	}
	for _, ri := range rows {
		if c := &p.quiet.Jurisdictions[ri].Cap; c.Limit > 0 {
			if err := p.checkCap(ctx, d, r, now, c); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *Policy) checkCap(ctx context.Context, d *Decision, r Request, now time.Time, c *Cap) error {
	kinds := c.Kinds
	if kinds == 0 {
		kinds = AllKinds
	}
	if c.Limit <= 0 || !kinds.Has(r.Kind) {
		return nil
	}
	t, err := p.freq.CountSends(ctx, SendQuery{To: r.To, Since: now.Add(-c.Window), Topic: r.Topic, MatchTopic: c.PerTopic, Kinds: kinds})
	if err != nil {
		return fmt.Errorf("compliance: sends to %s: %w", MaskNumber(r.To), err)
	}
	if t.Count >= c.Limit {
		name := c.Name
		if name == "" {
			name = "cap"
		}
		next := t.Oldest.Add(c.Window)
		d.add(Reason{Err: ErrFrequencyCap, Rule: name, Outcome: Defer, NotBefore: next,
			Text: fmt.Sprintf("%s: %d of %d messages to %s in %s; next at %s", name, t.Count, c.Limit, MaskNumber(r.To), c.Window, next.UTC().Format(time.RFC3339))})
	}
	return nil
}

func zoneNames(zs []*time.Location) string {
	s := ""
	for i, z := range zs {
		if i > 0 {
			s += ", "
		}
		s += z.String()
	}
	if s == "" {
		s = "unknown"
	}
	return s
}

// RecordSend tells the policy r was sent, at r.Now (or the policy clock),
// for frequency caps and the duplicate guard.
func (p *Policy) RecordSend(ctx context.Context, r Request) error {
	at := r.Now
	if at.IsZero() {
		at = p.now()
	}
	return p.freq.RecordSend(ctx, SendRecord{To: r.To, Topic: r.Topic, Kind: r.Kind, BodyHash: BodyHash(r.Body), At: at})
}

// Locate returns where number rings, from the policy's cache.
func (p *Policy) Locate(number string, parsed *phonenumbers.PhoneNumber) (Location, error) {
	if !e164.Shaped(number) {
		return Location{}, fmt.Errorf("%w: %q", ErrInvalidNumber, MaskNumber(number))
	}
	e, err := p.locations.get(number, parsed, p.locate, &p.quiet)
	return e.loc, err
}

// NextAllowed returns now when quiet hours allow a send of kind to number
// at now, otherwise the earliest time they do. It wraps ErrQuietHours
// when no time in the next two weeks works.
func (p *Policy) NextAllowed(number string, kind Kind, now time.Time) (time.Time, error) {
	if err := checkKind(kind); err != nil {
		return time.Time{}, err
	}
	loc, err := p.Locate(number, nil)
	if err != nil {
		return time.Time{}, err
	}
	next, rule, ok := p.quiet.Next(loc, "", kind, now)
	if !ok {
		return time.Time{}, fmt.Errorf("%w: %s: no common sending window for %s", ErrQuietHours, rule, MaskNumber(number))
	}
	return next, nil
}

// RecordReply classifies an inbound reply from number to scope and, for
// an opt-out or opt-in, appends the matching consent record (source
// keyword, the raw text kept as evidence). It returns the match so the
// caller can send the confirmation or help text.
func (p *Policy) RecordReply(ctx context.Context, number, scope, text string, at time.Time) (Match, error) {
	m := p.keywords.Classify(text)
	var a Action
	switch m.Reply {
	case ReplyOptOut:
		a = ActionOptOut
	case ReplyOptIn:
		a = ActionOptIn
	default:
		return m, nil
	}
	rec := Record{Number: number, Scope: scope, Action: a, At: at, Source: SourceKeyword, Text: text, Channel: "sms", Actor: "recipient"}
	if err := p.consent.Append(ctx, rec); err != nil {
		return m, err
	}
	return m, nil
}
