package notify

import (
	"context"
	"slices"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/segment"
	"github.com/heraldsms/herald/throttle"
)

// Plan is what Service.Plan found: everything Send would check, without
// sending anything or recording anything.
type Plan struct {
	Recipients int // recipients given
	Valid      int // valid, distinct numbers
	Invalid    int // not valid phone numbers (landlines included)
	Duplicates int // repeated numbers
	Failed     int // would fail before sending (missing template value, emoji refused)
	// Problems lists every recipient that would not be sent, in input
	// order, with the typed error.
	Problems []Result

	Allowed  int // compliance allows now
	Deferred int // compliance defers (quiet hours); see Zones
	Denied   int // compliance denies; see Reasons
	// Reasons counts compliance denials and deferrals by rule id
	// ("consent.opted-out", "quiet.US-FL").
	Reasons map[string]int
	// Zones summarises consent and quiet hours by the recipients' time
	// zone (IANA name; a number spanning zones counts in its first).
	Zones map[string]ZonePlan

	// Segments is the total of segments to send to allowed and deferred
	// recipients; MaxSegments the longest rendered body.
	Segments    int
	MaxSegments int
	Encoding    string // of the longest body
	// UCS2 lists the characters that force UCS-2, and SmartSegments the
	// total with smart encoding (WithSmartEncoding), so the saving shows.
	UCS2          []rune
	SmartSegments int
	// NeedsAcknowledgement is the error Send would return before sending
	// (*ErrNeedsAcknowledgement or *SegmentLimitError), nil when none.
	NeedsAcknowledgement error

	EstimatedCost float64
	Currency      string
	// Throughput is the binding rate in segments per second (0 when the
	// Service is not throttled); Duration the time sending takes at it,
	// including waits for the daily cap; PerDay the daily-cap split.
	Throughput float64
	Duration   time.Duration
	PerDay     []int

	// Warnings are human sentences: blast size, multipart without
	// acknowledgement, URL shorteners, missing opt-out language, ...
	Warnings []string
}

// ZonePlan counts compliance outcomes in one time zone.
type ZonePlan struct {
	Allowed, Deferred, Denied int
	// NotBefore is the earliest time deferred recipients may be sent.
	NotBefore time.Time
}

// Plan runs the checks Send runs on n — permissions, numbers, duplicates,
// templates, segments, consent, quiet hours, caps, content, through the
// same decision step the worker's last gate uses — and estimates cost and
// duration at the configured throughput, without sending or recording
// anything: no topic, sender claim, sticky sender, outbox row or line-type
// lookup (lookups are paid, and happen only for rows compliance allows at
// send time). A decision is for the moment Plan runs; Send decides each
// recipient again when its text goes out.
func (s *Service) Plan(ctx context.Context, n Notification) (*Plan, error) {
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	p, err := s.preflightMode(ctx, &n, true)
	if err != nil {
		return nil, err
	}
	pl := &Plan{Reasons: make(map[string]int), Zones: make(map[string]ZonePlan)}
	if s.cfg.pipe.pricing != nil {
		pl.Currency = s.cfg.pipe.pricing.Currency
	}
	seenUCS2 := map[rune]bool{}
	warn := map[string]bool{}
	addWarn := func(w string) {
		if !warn[w] {
			warn[w] = true
			pl.Warnings = append(pl.Warnings, w)
		}
	}
	lastBody := ""
	var lastSmart int
	visit := func(i int, r Recipient) error {
		pl.Recipients++
		m, rerr, whole := p.row(ctx, i, r)
		if whole != nil {
			if pl.NeedsAcknowledgement == nil {
				pl.NeedsAcknowledgement = whole
				addWarn(whole.Error())
			}
			rerr = nil
		}
		if m.Outcome.Final() {
			switch m.Outcome {
			case OutcomeInvalid:
				pl.Invalid++
			case OutcomeDuplicate:
				pl.Duplicates++
			default:
				pl.Failed++
			}
			pl.Problems = append(pl.Problems, resultOf(&m, rerr))
			return nil
		}
		pl.Valid++
		d, err := s.decide(ctx, &n, &m)
		if err != nil {
			return err
		}
		zone := "unknown"
		if loc, err := s.policy.Locate(m.To, nil); err == nil && len(loc.Zones) > 0 {
			zone = loc.Zones[0].String()
		}
		z := pl.Zones[zone]
		switch d.Outcome {
		case compliance.Allow:
			pl.Allowed++
			z.Allowed++
		case compliance.Defer:
			pl.Deferred++
			z.Deferred++
			if z.NotBefore.IsZero() || d.NotBefore.Before(z.NotBefore) {
				z.NotBefore = d.NotBefore
			}
			pl.Reasons[complianceReason(d).Rule]++
		case compliance.Deny:
			pl.Denied++
			z.Denied++
			r := complianceReason(d)
			pl.Reasons[r.Rule]++
			m.Outcome, m.Reason, m.Detail = OutcomeDenied, r.Rule, r.Text
			pl.Problems = append(pl.Problems, resultOf(&m, r))
		}
		pl.Zones[zone] = z
		for _, r := range d.Reasons {
			if r.Violation != nil && r.Outcome == compliance.Allow && r.Violation.Severity >= compliance.SeverityWarning {
				addWarn(r.Rule + ": " + r.Violation.Text)
			}
		}
		if d.Outcome == compliance.Deny {
			return nil
		}
		pl.Segments += m.Segments
		if m.Body != lastBody {
			lastBody = m.Body
			lastSmart = m.Segments
			if m.Encoding == "UCS-2" {
				lastSmart = segment.Analyze(m.Body, segment.WithSmartEncoding()).Segments
				if len(seenUCS2) < 64 {
					for _, c := range segment.UCS2Chars(m.Body) {
						if !seenUCS2[c.Rune] {
							seenUCS2[c.Rune] = true
							pl.UCS2 = append(pl.UCS2, c.Rune)
						}
					}
				}
			}
		}
		pl.SmartSegments += lastSmart
		if m.Segments > pl.MaxSegments {
			pl.MaxSegments, pl.Encoding = m.Segments, m.Encoding
		}
		if pl.Encoding == "" {
			pl.Encoding = m.Encoding
		}
		pl.EstimatedCost += s.cfg.pipe.pricing.Price(m.To, m.Encoding, m.Segments)
		return nil
	}
	i := 0
	for _, to := range n.To {
		if err := visit(i, Recipient{To: to}); err != nil {
			return nil, err
		}
		i++
	}
	for _, r := range n.Recipients {
		if err := visit(i, r); err != nil {
			return nil, err
		}
		i++
	}
	if pl.Recipients == 0 {
		return nil, ErrNoRecipients
	}
	s.planThroughput(pl, &n, addWarn)
	return pl, nil
}

// planThroughput estimates duration and the daily-cap split from the
// configured limits.
func (s *Service) planThroughput(pl *Plan, n *Notification, warn func(string)) {
	l := s.cfg.pipe.limits
	if l.empty() || pl.Allowed+pl.Deferred == 0 {
		return
	}
	var opts []throttle.PlanOption
	if l.Sender != (throttle.Limit{}) {
		opts = append(opts, l.Sender)
	}
	if n.Campaign != "" && l.Campaign != (throttle.Limit{}) {
		opts = append(opts, throttle.Shared(l.Campaign))
	}
	if l.Daily > 0 {
		opts = append(opts, throttle.PlanDailyCap(l.Daily))
	}
	recipients := pl.Allowed + pl.Deferred
	each := max(1, (pl.Segments+recipients-1)/recipients)
	r := throttle.Plan(recipients, each, opts...)
	pl.Throughput, pl.Duration = r.Throughput, r.Duration
	if r.Days > 1 {
		pl.PerDay = slices.Clone(r.PerDay)
	}
	for _, w := range r.Warnings {
		warn(w.String())
	}
}
