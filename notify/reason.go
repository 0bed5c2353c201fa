package notify

import (
	"errors"
	"strings"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/segment"
)

// A Result's Reason is one machine-readable code per non-sent outcome:
//
//   - a pipeline code from pipelineReasons ("invalid_number", "duplicate",
//     "daily_cap", ...);
//   - a compliance rule id ("consent.opted-out", "quiet.US-NY",
//     "cap.duplicate", "content.shaft-c", ...), mapped to its sentinel by
//     complianceSentinel;
//   - a provider failure: the code of its reason sentinel from
//     providerReasons, then ":" and the provider's own error code when it
//     gave one ("carrier_opted_out:21610", "timeout").
//
// This file is the only place that maps reasons to errors and back: the
// live Result.Err and the error read back from any Store (errorOf) satisfy
// the same errors.Is and errors.As checks.

// pipelineReasons maps the pipeline's own reason codes to their sentinels.
var pipelineReasons = map[string]error{
	"invalid_number":        ErrInvalidNumber,
	"duplicate":             ErrDuplicateRecipient,
	"landline":              ErrLandline,
	"missing_variable":      ErrMissingVariable,
	"emoji_not_allowed":     ErrEmojiNotAllowed,
	"needs_acknowledgement": ErrMultipart,
	"too_many_segments":     ErrTooManySegments,
	"no_sender":             ErrNoSender,
	"daily_cap":             ErrDailyCap,
	"throttle":              ErrThrottle,
	"send_after":            ErrScheduled,
	"compliance_error":      ErrCompliance,
	"canceled":              ErrCanceled,
	"expired":               ErrExpired,
	"lookup_failed":         ErrLookup,
	"invalid_body":          segment.ErrInvalidText,
	"interrupted":           ErrInterrupted,
}

// providerReasons lists the provider reason sentinels and their codes, in
// the order they are tried (the first match names the reason).
var providerReasons = []struct {
	code string
	err  error
}{
	{"carrier_opted_out", provider.ErrOptedOut},
	{"sender_rejected", provider.ErrSender},
	{"carrier_invalid_number", provider.ErrInvalidNumber},
	{"carrier_landline", provider.ErrLandline},
	{"carrier_filtered", provider.ErrBlocked},
	{"unreachable", provider.ErrUnreachable},
	{"unroutable", provider.ErrUnroutable},
	{"geo_permission", provider.ErrGeoPermission},
	{"auth", provider.ErrAuth},
	{"invalid_request", provider.ErrInvalidRequest},
	{"rate_limited", provider.ErrRateLimited},
	{"queue_full", provider.ErrQueueFull},
	{"not_sent", provider.ErrNotSent},
	{"timeout", provider.ErrTimeout},
	{"provider_unavailable", provider.ErrUnavailable},
	{"connection_lost", provider.ErrConnectionLost},
	{"bad_response", provider.ErrBadResponse},
}

// providerReason is the reason code of a provider error: its sentinel's
// code, with ":" and the provider's code when there is one.
func providerReason(err error) string {
	code := "provider_error"
	for _, c := range providerReasons {
		if errors.Is(err, c.err) {
			code = c.code
			break
		}
	}
	var pe *provider.Error
	if errors.As(err, &pe) && pe.Code != "" {
		code += ":" + pe.Code
	}
	return code
}

// complianceReason returns the reason that decides d: its first reason with
// d's outcome. The row's Result.Err is that reason alone, so a result read
// back from the store (which keeps one rule id) matches exactly the same
// sentinels.
func complianceReason(d compliance.Decision) compliance.Reason {
	for _, r := range d.Reasons {
		if r.Outcome == d.Outcome {
			return r
		}
	}
	return compliance.Reason{Rule: d.Outcome.String(), Outcome: d.Outcome, Text: "compliance: " + d.Outcome.String()}
}

// complianceSentinel maps a compliance rule id to the sentinel its
// Reason carries.
func complianceSentinel(rule string) error {
	switch {
	case strings.HasPrefix(rule, "consent.opted-out"):
		return compliance.ErrOptedOut
	case strings.HasPrefix(rule, "consent."):
		return compliance.ErrNoConsent
	case strings.HasPrefix(rule, "quiet."):
		return compliance.ErrQuietHours
	case strings.HasPrefix(rule, "content."):
		return compliance.ErrContentPolicy
	case rule == "cap.duplicate":
		return compliance.ErrDuplicate
	case strings.HasPrefix(rule, "cap."), strings.HasPrefix(rule, "frequency."):
		return compliance.ErrFrequencyCap
	}
	return nil
}

// errorOf rebuilds the error of a stored row from its outcome, reason and
// detail. It satisfies the errors.Is and errors.As checks the live error
// did: a *provider.Error with its class and code, a compliance.Reason with
// its rule and sentinel, or the pipeline sentinel.
func errorOf(m *Message) error {
	if m.Outcome == OutcomeSent || m.Outcome == OutcomePending || m.Reason == "" {
		return nil
	}
	return &ResultError{Reason: m.Reason, Detail: m.Detail, cause: causeOf(m)}
}

func causeOf(m *Message) error {
	if err, ok := pipelineReasons[m.Reason]; ok {
		switch err {
		case ErrInvalidNumber, ErrDuplicateRecipient, ErrLandline:
			return &NumberError{Given: m.Given, Err: err}
		case ErrMissingVariable:
			name := m.Detail
			if _, after, ok := strings.Cut(name, "{{"); ok {
				name, _, _ = strings.Cut(after, "}}")
			}
			return &MissingVariableError{Name: name, Recipient: m.Given}
		}
		return err
	}
	code, pcode, _ := strings.Cut(m.Reason, ":")
	for _, c := range providerReasons {
		if c.code == code {
			return &provider.Error{Provider: m.Provider, Code: pcode, Class: classOf(m.Outcome, code), Err: c.err}
		}
	}
	if code == "provider_error" {
		return &provider.Error{Provider: m.Provider, Code: pcode, Class: classOf(m.Outcome, code), Err: errors.New(m.Detail)}
	}
	if s := complianceSentinel(m.Reason); s != nil {
		out, nb := compliance.Deny, time.Time{}
		if m.Outcome == OutcomeDeferred {
			out, nb = compliance.Defer, m.NotBefore
		}
		return compliance.Reason{Err: s, Rule: m.Reason, Text: m.Detail, Outcome: out, NotBefore: nb}
	}
	return nil
}

// classOf is the provider class a stored failure had: ambiguous for an
// unknown outcome, retryable for the reasons only a retryable error
// carries, permanent otherwise.
func classOf(o Outcome, code string) provider.Class {
	switch {
	case o == OutcomeUnknown:
		return provider.Ambiguous
	case code == "rate_limited" || code == "queue_full" || code == "not_sent":
		return provider.RejectedRetryable
	}
	return provider.Permanent
}

// ResultError is the error of a result read back from the store (after a
// restart, for a repeated Send, in Report or MessageDetail), when the
// original error value is gone. It keeps the reason and the detail, and
// errors.Is and errors.As match what the live error matched: the pipeline
// sentinel, the compliance.Reason, or the *provider.Error with its class and
// code.
type ResultError struct {
	Reason string
	Detail string
	cause  error
}

// Error returns the stored detail.
func (e *ResultError) Error() string {
	if e.Detail == "" {
		return "notify: " + e.Reason
	}
	return e.Detail
}

// Unwrap returns the error the reason stands for.
func (e *ResultError) Unwrap() error { return e.cause }
