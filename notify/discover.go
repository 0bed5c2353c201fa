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
// this instance is not running, and wakes the owner of every job whose
// state in the store differs from its own (paused, resumed or canceled by
// another instance). A notification whose acceptance a crash interrupted
// (rows missing) is joined again only when its rows changed.
func (s *Service) joinUnfinished(ctx context.Context) error {
	recs, err := s.store.Unfinished(ctx)
	if err != nil {
		return err
	}
	pending := make(map[string]bool, len(recs))
	for _, rec := range recs {
		pending[rec.ID] = true
		if j := s.running(rec.ID); j != nil {
			if j.phase() == phasePaused {
				j.tell(command{kind: cmdWake}) // resumed elsewhere?
			}
			continue
		}
		if rec.Total != 0 {
			counts, err := s.store.Counts(ctx, rec.ID)
			if err != nil {
				return err
			}
			rows := sumCounts(counts)
			if rec.Total < 0 || rows < rec.Total {
				s.mu.Lock()
				seen, ok := s.incomplete[rec.ID]
				s.incomplete[rec.ID] = rows
				s.mu.Unlock()
				if ok && seen == rows {
					continue
				}
			}
		}
		s.jobFor(rec).tell(command{kind: cmdRun})
	}
	s.mu.Lock()
	var others []*job
	for id, j := range s.jobs {
		if !pending[id] {
			others = append(others, j)
		}
	}
	s.mu.Unlock()
	for _, j := range others {
		if j.phase() != phasePaused {
			j.tell(command{kind: cmdWake}) // paused, canceled or done elsewhere?
		}
	}
	return nil
}
