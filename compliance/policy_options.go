package compliance

import "time"

// PolicyOption configures a Policy.
type PolicyOption func(*Policy)

// WithConsentStore sets the consent ledger (default: a new
// MemoryConsentStore).
func WithConsentStore(s ConsentStore) PolicyOption { return func(p *Policy) { p.consent = s } }

// WithFrequencyStore sets where sends are remembered for caps and the
// duplicate guard (default: a new MemoryFrequencyStore).
func WithFrequencyStore(s FrequencyStore) PolicyOption { return func(p *Policy) { p.freq = s } }

// WithContentPolicy sets the content checker (default:
// NewContentPolicy()).
func WithContentPolicy(c *ContentPolicy) PolicyOption { return func(p *Policy) { p.content = c } }

// WithKeywords sets the reply keyword set RecordReply uses (default: the
// default set).
func WithKeywords(k *Keywords) PolicyOption { return func(p *Policy) { p.keywords = k } }

// WithJurisdictions replaces the whole quiet-hours table.
func WithJurisdictions(js []Jurisdiction) PolicyOption {
	return func(p *Policy) { p.quiet.Jurisdictions = append([]Jurisdiction(nil), js...) }
}

// WithJurisdiction adds a row to the quiet-hours table, or replaces the
// row with the same ID (for example to change the "default" service
// window or a state's hours).
func WithJurisdiction(j Jurisdiction) PolicyOption {
	return func(p *Policy) {
		for i := range p.quiet.Jurisdictions {
			if p.quiet.Jurisdictions[i].ID == j.ID {
				p.quiet.Jurisdictions[i] = j
				return
			}
		}
		p.quiet.Jurisdictions = append(p.quiet.Jurisdictions, j)
	}
}

// WithHolidays sets the holiday calendar of rows that close on holidays
// but have no calendar of their own (default USHolidays). The default
// state rows carry their own (StateHolidays); to change one, replace the
// row with WithJurisdiction.
func WithHolidays(h Holidays) PolicyOption { return func(p *Policy) { p.quiet.Holidays = h } }

// WithRequireOptIn makes service messages need an opt-in on record too,
// except a reply to a person who texted the sender within the reply
// window (Request.LastInbound, WithReplyWindow). By default the host
// vouches for the customer relationship of a service message; marketing
// always needs an express opt-in.
func WithRequireOptIn(on bool) PolicyOption { return func(p *Policy) { p.requireServiceOptIn = on } }

// WithReplyWindow sets how long after the recipient's last inbound
// message (Request.LastInbound) a Service message is allowed without an
// opt-in on record when WithRequireOptIn is on (default
// DefaultReplyWindow, 24 hours; 0 turns the exception off). The window is
// [LastInbound, LastInbound+d).
func WithReplyWindow(d time.Duration) PolicyOption { return func(p *Policy) { p.replyWindow = d } }

// WithWrittenMarketingConsent makes marketing need an opt-in of
// LevelExpressWritten, as §64.1200(f)(9) requires of autodialed marketing.
func WithWrittenMarketingConsent(on bool) PolicyOption {
	return func(p *Policy) { p.requireWritten = on }
}

// WithConfirmationWindow sets how long after an opt-out the single
// confirmation reply may go (default 5 minutes, §64.1200(a)(12)).
func WithConfirmationWindow(d time.Duration) PolicyOption {
	return func(p *Policy) { p.confirmWindow = d }
}

// WithDuplicateWindow sets the duplicate guard: the same body to the same
// number inside d is denied with ErrDuplicate (default 1 hour; 0
// disables it).
func WithDuplicateWindow(d time.Duration) PolicyOption { return func(p *Policy) { p.dupWindow = d } }

// WithCap adds a host frequency cap, for example Cap{Name: "cap.daily",
// Limit: 3, Window: 24 * time.Hour}.
func WithCap(c Cap) PolicyOption { return func(p *Policy) { p.caps = append(p.caps, c) } }

// WithStrictContent makes restricted content categories (SHAFT-C and the
// other age-gated or licensed ones) deny service texts too; by default a
// service text that mentions one is allowed with a warning
// (Decision.Warnings).
func WithStrictContent(on bool) PolicyOption { return func(p *Policy) { p.strictContent = on } }

// WithDeclaredCategories declares restricted content categories the
// sender may send marketing in (for example RuleAlcohol for a licensed,
// age-gated alcohol brand), by rule ID or category name. Findings of a
// declared category are informational. Request.Categories adds per
// message or campaign.
func WithDeclaredCategories(ids ...string) PolicyOption {
	return func(p *Policy) { p.declared = append(p.declared, ids...) }
}

// WithSenderDomains declares the sender's own link domains ("acme.com";
// subdomains match). A credential or payment prompt with a link to any
// other domain is denied as phishing (RulePhishing); with no domain
// declared such a link is only a warning.
func WithSenderDomains(domains ...string) PolicyOption {
	return func(p *Policy) { p.senderDomains = append(p.senderDomains, domains...) }
}

// WithBrand sets the brand name the content policy looks for in marketing
// and first messages (Request.Brand overrides it).
func WithBrand(name string) PolicyOption { return func(p *Policy) { p.brand = name } }

// WithLocator replaces how numbers are located (default LocateNumber).
func WithLocator(f LocateFunc) PolicyOption { return func(p *Policy) { p.locate = f } }

// WithCacheSize bounds the per-prefix location cache and the per-body
// content cache (default 4096 entries each).
func WithCacheSize(n int) PolicyOption { return func(p *Policy) { p.cacheSize = n } }

// WithClock sets the clock used when Request.Now is zero (default
// time.Now).
func WithClock(now func() time.Time) PolicyOption { return func(p *Policy) { p.now = now } }
