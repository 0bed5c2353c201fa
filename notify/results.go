package notify

import (
	"context"
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

// addRow adds row m to rep, with its typed error e when the job still has
// it, or else the error its stored reason stands for.
func (s *Service) addRow(rep *Report, m *Message, e error) {
	if e == nil && m.Outcome != OutcomeSent && m.Outcome != OutcomePending && m.Reason != "" {
		e = errorOf(m)
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
