package notify

import (
	"context"
	"maps"
	"strings"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
)

// report builds the Report of a job from the store, in input order.
func (s *Service) report(ctx context.Context, j *job) (*Report, error) {
	rec, err := s.store.Notification(ctx, j.rec.ID)
	if err != nil {
		return nil, err
	}
	rep := &Report{
		NotificationID: rec.ID,
		Topic:          rec.Topic,
		Results:        make([]Result, 0, rec.Total),
		Counts:         make(map[Outcome]int),
		StartedAt:      rec.CreatedAt,
		FinishedAt:     s.now(),
		Paused:         rec.State == NotificationPaused,
		PauseReason:    rec.PauseReason,
	}
	if s.cfg.pipe.pricing != nil {
		rep.Currency = s.cfg.pipe.pricing.Currency
	}
	// Only the MemoryStore itself: a type embedding it may keep its rows
	// elsewhere.
	if ms, ok := s.store.(*MemoryStore); ok {
		if err := s.readReport(ms, rep, j); err != nil {
			return nil, err
		}
		return rep, nil
	}
	j.mu.Lock()
	errs := j.errs
	j.mu.Unlock()
	for from := 0; ; {
		ms, err := s.store.Messages(ctx, rec.ID, from, 1000)
		if err != nil {
			return nil, err
		}
		if len(ms) == 0 {
			break
		}
		var es []error // the typed errors of this batch, read under one lock
		if errs != nil {
			es = make([]error, len(ms))
			j.mu.Lock()
			for i := range ms {
				es[i] = errs[ms[i].Index]
			}
			j.mu.Unlock()
		}
		for i := range ms {
			var e error
			if es != nil {
				e = es[i]
			}
			s.addRow(rep, &ms[i], e)
		}
		from = ms[len(ms)-1].Index + 1
	}
	return rep, nil
}

// readReport fills rep with j's rows read from the MemoryStore without
// copying them. The job's typed errors are copied first, so the store's
// lock and the job's are never held together.
func (s *Service) readReport(rr *MemoryStore, rep *Report, j *job) error {
	j.mu.Lock()
	errs := maps.Clone(j.errs)
	j.mu.Unlock()
	for from := 0; ; {
		next, n, err := rr.readRows(rep.NotificationID, from, 1000, func(m *Message) {
			s.addRow(rep, m, errs[m.Index])
		})
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		from = next
	}
}

// addRow adds row m to rep, with its typed error e when the job still has
// it, or else the error its stored reason stands for.
func (s *Service) addRow(rep *Report, m *Message, e error) {
	if e == nil && m.Outcome != OutcomeSent && m.Outcome != OutcomePending && m.Reason != "" {
		e = storedError(m)
	}
	rep.add(resultOf(m, e))
	rep.EstimatedCost += s.cost(m)
	if rep.Encoding == "" && m.Encoding != "" {
		rep.Encoding = m.Encoding
	}
}

// add appends r to the report's results and totals.
func (rep *Report) add(r Result) {
	rep.Results = append(rep.Results, r)
	rep.Counts[r.Outcome]++
	if r.Outcome == OutcomeSent {
		rep.Segments += r.Segments
	}
}

func resultOf(m *Message, err error) Result {
	return Result{
		Index: m.Index, Given: m.Given, To: m.To, From: m.From, Outcome: m.Outcome,
		Reason: m.Reason, Err: err, NotBefore: m.NotBefore, ProviderID: m.ProviderID,
		Segments: m.Segments, MessageID: m.ID,
	}
}

// ResultError is the error of a result read back from the store (after a
// restart, or for a repeated Send), when the original typed error is gone.
// It keeps the reason and the detail, and errors.Is still matches the
// sentinel the reason stands for (ErrInvalidNumber, compliance.ErrOptedOut,
// provider.ErrAmbiguous, ...).
type ResultError struct {
	Reason string
	Detail string
}

// Error returns the stored detail.
func (e *ResultError) Error() string {
	if e.Detail == "" {
		return "notify: " + e.Reason
	}
	return e.Detail
}

// Is matches the sentinel of the reason.
func (e *ResultError) Is(target error) bool {
	for _, t := range reasonSentinels(e.Reason) {
		if t == target {
			return true
		}
	}
	return false
}

func reasonSentinels(reason string) []error {
	switch reason {
	case "invalid_number":
		return []error{ErrInvalidNumber}
	case "duplicate":
		return []error{ErrDuplicateRecipient}
	case "landline":
		return []error{ErrLandline}
	case "missing_variable":
		return []error{ErrMissingVariable}
	case "emoji_not_allowed":
		return []error{ErrEmojiNotAllowed}
	case "interrupted", "timeout", "provider_unavailable", "connection_lost":
		return []error{provider.ErrAmbiguous}
	}
	switch {
	case strings.HasPrefix(reason, "consent.opted-out"):
		return []error{compliance.ErrOptedOut}
	case strings.HasPrefix(reason, "consent."):
		return []error{compliance.ErrNoConsent}
	case strings.HasPrefix(reason, "quiet."):
		return []error{compliance.ErrQuietHours}
	case strings.HasPrefix(reason, "content."):
		return []error{compliance.ErrContentPolicy}
	case strings.HasPrefix(reason, "cap."), strings.HasPrefix(reason, "frequency."):
		return []error{compliance.ErrFrequencyCap}
	}
	return nil
}

func storedError(m *Message) error {
	return &ResultError{Reason: m.Reason, Detail: m.Detail}
}

// Report returns the current report of a notification from the store
// (results of a streamed or resumed send, or one sent by another
// instance).
func (s *Service) Report(ctx context.Context, notificationID string) (*Report, error) {
	rec, err := s.store.Notification(ctx, notificationID)
	if err != nil {
		return nil, err
	}
	return s.report(ctx, &job{s: s, rec: rec})
}
