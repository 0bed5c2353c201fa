package notify

import (
	"context"
	"slices"
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
	live := slices.Clone(j.results)
	j.mu.Unlock()
	if live != nil {
		if err := s.fillMissing(ctx, rec.ID, live); err != nil {
			return nil, err
		}
		for i := range live {
			rep.add(live[i].r)
			rep.EstimatedCost += live[i].cost
			if rep.Encoding == "" && live[i].enc != "" {
				rep.Encoding = live[i].enc
			}
		}
		return rep, nil
	}
	for from := 0; ; {
		ms, err := s.store.Messages(ctx, rec.ID, from, 1000)
		if err != nil {
			return nil, err
		}
		if len(ms) == 0 {
			break
		}
		for i := range ms {
			s.addRow(rep, &ms[i], nil)
		}
		from = ms[len(ms)-1].Index + 1
	}
	return rep, nil
}

// liveRow is one row's latest result as the job saw it (Send keeps them
// for its report instead of reading every row back from the store).
type liveRow struct {
	r    Result
	cost float64
	enc  string
}

// fillMissing reads from the store the rows this instance has no result
// for (claimed by another instance, or not decided yet).
func (s *Service) fillMissing(ctx context.Context, id string, live []liveRow) error {
	first := -1
	for i := range live {
		if live[i].r.MessageID == "" {
			first = i
			break
		}
	}
	if first < 0 {
		return nil
	}
	for from := first; ; {
		ms, err := s.store.Messages(ctx, id, from, 1000)
		if err != nil {
			return err
		}
		if len(ms) == 0 {
			return nil
		}
		for i := range ms {
			m := &ms[i]
			if ix := m.Index; ix >= 0 && ix < len(live) && live[ix].r.MessageID == "" {
				live[ix] = liveRow{r: resultOf(m, errorOf(m)), cost: s.cost(m), enc: m.Encoding}
			}
		}
		from = ms[len(ms)-1].Index + 1
	}
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
