package notify

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// Progress is a snapshot of a streaming send.
type Progress struct {
	Done    int           // recipients decided (or deferred)
	Total   int           // recipients known so far; the final count once the list is read (or WithTotal)
	Elapsed time.Duration // since the send started
	Rate    float64       // recipients per second so far
	ETA     time.Duration // estimated time left; 0 when unknown
}

// StreamOption configures SendStream.
type StreamOption func(*streamConfig)

type streamConfig struct {
	onResult   func(Result)
	onProgress func(Progress)
	every      time.Duration
	total      int
	window     int
}

// OnResult receives each recipient's result as it is decided, one call at a
// time. A recipient deferred by quiet hours is reported as deferred. fn runs
// in a worker: it may Pause or Cancel the notification, but must not Wait
// for it (see the package doc, "Who runs a notification").
func OnResult(fn func(Result)) StreamOption { return func(c *streamConfig) { c.onResult = fn } }

// OnProgress receives a Progress every ProgressEvery (default one second)
// and once at the end, one call at a time.
func OnProgress(fn func(Progress)) StreamOption { return func(c *streamConfig) { c.onProgress = fn } }

// ProgressEvery sets how often OnProgress is called.
func ProgressEvery(d time.Duration) StreamOption {
	return func(c *streamConfig) {
		if d > 0 {
			c.every = d
		}
	}
}

// WithTotal tells SendStream how many recipients the sequence holds, for
// Progress.Total and the ETA.
func WithTotal(n int) StreamOption { return func(c *streamConfig) { c.total = n } }

// WithWindow bounds how many recipients may be in the outbox undecided at
// once (default 4096): the sequence is read no faster than they are sent.
func WithWindow(n int) StreamOption {
	return func(c *streamConfig) {
		if n > 0 {
			c.window = n
		}
	}
}

// updateTotal records the number of recipients once a stream is read.
func (s *Service) updateTotal(ctx context.Context, rec NotificationRecord) error {
	cur, err := s.store.Notification(ctx, rec.ID)
	if err != nil {
		return err
	}
	cur.Total = rec.Total
	return s.store.UpdateNotification(ctx, cur)
}

func segmentReason(err error) string {
	if errors.Is(err, ErrTooManySegments) {
		return "too_many_segments"
	}
	return "needs_acknowledgement"
}

// progressLoop calls cfg.onProgress periodically until the returned stop
// function is called, which makes one final call.
func (s *Service) progressLoop(j *job, cfg *streamConfig, total *atomic.Int64, started time.Time) func() {
	if cfg.onProgress == nil {
		return func() {}
	}
	snap := func() Progress {
		j.mu.Lock()
		done := j.live.done
		j.mu.Unlock()
		t := max(int(total.Load()), cfg.total, done)
		el := s.now().Sub(started)
		pr := Progress{Done: done, Total: t, Elapsed: el}
		if el > 0 {
			pr.Rate = float64(done) / el.Seconds()
		}
		if pr.Rate > 0 && t > done {
			pr.ETA = time.Duration(float64(t-done) / pr.Rate * float64(time.Second))
		}
		return pr
	}
	quit := make(chan struct{})
	ended := make(chan struct{})
	if !s.goBackground(func() {
		defer close(ended)
		tk := time.NewTicker(cfg.every)
		defer tk.Stop()
		for {
			select {
			case <-tk.C:
				cfg.onProgress(snap())
			case <-quit:
				return
			case <-s.stop:
				return
			}
		}
	}) {
		close(ended)
	}
	return func() {
		close(quit)
		<-ended
		cfg.onProgress(snap())
	}
}
