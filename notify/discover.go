package notify

import (
	"context"
	"fmt"
	"time"
)

// DefaultPollInterval is how often a running Service looks in the store
// for work it is not running: notifications another instance accepted (or
// left when it stopped), and rows whose lease ended.
const DefaultPollInterval = time.Second

// WithPollInterval sets how often the Service looks for work in the store
// it is not running yet (default DefaultPollInterval), so every instance
// sharing a store works every notification whenever it started, and rows
// of an instance that stopped are taken over once their lease ends. d must
// be positive; New refuses anything else.
func WithPollInterval(d time.Duration) Option {
	return func(c *config) {
		c.pipe.poll = d
		if d <= 0 {
			c.errs = append(c.errs, fmt.Errorf("notify: WithPollInterval(%v): the interval must be positive", d))
		}
	}
}

// discover runs until Shutdown: every poll interval it returns expired
// claims to the outbox and joins the unfinished notifications this
// instance is not running.
func (s *Service) discover() {
	t := time.NewTicker(s.cfg.pipe.poll)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		ctx := context.Background()
		if _, err := s.store.Recover(ctx, s.now()); err != nil {
			s.log.Warn("notify: recover outbox", "err", err)
			continue
		}
		if err := s.joinUnfinished(ctx); err != nil {
			s.log.Warn("notify: look for unfinished notifications", "err", err)
		}
	}
}

// joinUnfinished starts a job for every pending notification of the store
// this instance is not running. A notification whose acceptance a crash
// interrupted (rows missing) is joined again only when its rows changed.
func (s *Service) joinUnfinished(ctx context.Context) error {
	recs, err := s.store.Unfinished(ctx)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		s.mu.Lock()
		_, running := s.jobs[rec.ID]
		s.mu.Unlock()
		if running {
			continue
		}
		if rec.Total > 0 {
			counts, err := s.store.Counts(ctx, rec.ID)
			if err != nil {
				return err
			}
			rows := sumCounts(counts)
			if rows < rec.Total {
				s.mu.Lock()
				seen, ok := s.incomplete[rec.ID]
				s.incomplete[rec.ID] = rows
				s.mu.Unlock()
				if ok && seen == rows {
					continue
				}
			}
		}
		j := s.newJob(rec)
		s.goBackground(func() {
			if err := j.run(s.bgContext(), nil); err != nil {
				s.log.Error("notify: join", "notification", rec.ID, "err", err)
			}
		})
	}
	return nil
}
