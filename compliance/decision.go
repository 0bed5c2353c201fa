package compliance

import (
	"errors"
	"strconv"
	"time"
)

// Outcome is what a Decision tells the caller to do.
type Outcome uint8

const (
	// Allow: send now.
	Allow Outcome = iota
	// Defer: do not send now; ask again at Decision.NotBefore.
	Defer
	// Deny: do not send this message to this number.
	Deny
)

// String returns "allow", "defer" or "deny".
func (o Outcome) String() string {
	switch o {
	case Allow:
		return "allow"
	case Defer:
		return "defer"
	case Deny:
		return "deny"
	default:
		return "outcome(" + strconv.Itoa(int(o)) + ")"
	}
}

// Reason explains one finding behind a Decision.
type Reason struct {
	// Err is one of the package sentinels (ErrOptedOut, ErrQuietHours, ...).
	Err error
	// Rule is a stable identifier of the rule that fired, such as
	// "consent.opted-out", "quiet.US-FL" or "content.shortener".
	Rule string
	// Text is a human sentence for reports; numbers in it are masked.
	Text string
	// Outcome is what this reason alone would decide.
	Outcome Outcome
	// NotBefore is set for deferring reasons.
	NotBefore time.Time
	// Violation is set for content findings.
	Violation *Violation
}

// Error returns the human text, so a Reason can be used as an error.
func (r Reason) Error() string { return r.Text }

// Unwrap returns the sentinel, so errors.Is(reason, ErrOptedOut) works.
func (r Reason) Unwrap() error { return r.Err }

// Decision is the answer of Policy.Check for one recipient.
type Decision struct {
	// Outcome is the strictest outcome over all Reasons (Deny over Defer
	// over Allow). A decision with no reasons allows.
	Outcome Outcome
	// NotBefore is the earliest time worth asking again, set when Outcome
	// is Defer.
	NotBefore time.Time
	// Reasons lists every finding, including warnings on an allowed send.
	Reasons []Reason
}

// Err returns nil when the decision allows, otherwise an error joining
// every blocking reason; errors.Is matches each reason's sentinel.
func (d Decision) Err() error {
	if d.Outcome == Allow {
		return nil
	}
	var errs []error
	for _, r := range d.Reasons {
		if r.Outcome != Allow {
			errs = append(errs, r)
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// Warnings returns the reasons that did not block the send but a person
// should see: content findings of SeverityWarning (a restricted category
// in a service text, a payment link to an undeclared domain).
func (d Decision) Warnings() []Reason {
	var out []Reason
	for _, r := range d.Reasons {
		if r.Outcome == Allow && r.Violation != nil && r.Violation.Severity == SeverityWarning {
			out = append(out, r)
		}
	}
	return out
}

// add appends a reason and folds its outcome into the decision.
func (d *Decision) add(r Reason) {
	d.Reasons = append(d.Reasons, r)
	switch {
	case r.Outcome == Deny:
		d.Outcome = Deny
		d.NotBefore = time.Time{}
	case r.Outcome == Defer && d.Outcome != Deny:
		d.Outcome = Defer
		if r.NotBefore.After(d.NotBefore) {
			d.NotBefore = r.NotBefore
		}
	}
}
