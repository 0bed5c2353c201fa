package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
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
// time. A recipient deferred by quiet hours is reported as deferred.
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

// SendStream sends n to every recipient of recipients (after n.To and
// n.Recipients), reading the sequence as sending goes, so memory stays
// bounded whatever the list's length. Results are delivered to OnResult as
// they are decided; the returned Report has the totals but no Results
// (Service.Report reads them back from the store).
//
// The first 1,000 recipients are read and checked before anything is sent,
// so a multipart body without acknowledgement is refused as a whole like
// Send does; a later recipient whose rendered body breaks the segment rule
// fails on its own with the same typed error.
func (s *Service) SendStream(ctx context.Context, n Notification, recipients iter.Seq[Recipient], opts ...StreamOption) (*Report, error) {
	cfg := streamConfig{every: time.Second, window: 4096}
	for _, o := range opts {
		o(&cfg)
	}
	if !s.enter() {
		return nil, ErrClosed
	}
	defer s.wg.Done()
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	started := s.now()
	p, err := s.preflight(ctx, &n)
	if err != nil {
		return nil, err
	}
	all := func(yield func(Recipient) bool) {
		for _, to := range n.To {
			if !yield(Recipient{To: to}) {
				return
			}
		}
		for _, r := range n.Recipients {
			if !yield(r) {
				return
			}
		}
		if recipients != nil {
			recipients(yield)
		}
	}
	next, stopIter := iter.Pull(all)
	defer stopIter()

	type built struct {
		m   Message
		err error
	}
	// Read and check the first batch before anything is created or sent.
	var first []built
	index := 0
	for len(first) < enqueueBatch {
		r, ok := next()
		if !ok {
			break
		}
		m, rerr, whole := p.row(ctx, index, r)
		if whole != nil {
			return nil, whole
		}
		first = append(first, built{m, rerr})
		index++
	}
	if len(first) == 0 {
		return nil, ErrNoRecipients
	}
	rec, created, err := s.create(ctx, p, max(cfg.total, index))
	if err != nil {
		return nil, err
	}
	if !created {
		return s.replay(ctx, rec)
	}
	j := s.newJob(rec)
	j.start = started
	spanCtx, end := s.tel.notificationStarted(ctx, rec)
	j.ctx = context.WithoutCancel(spanCtx)
	var endRep *Report
	var endErr error
	defer func() { end(endRep, endErr) }()
	var sinkMu sync.Mutex
	if cfg.onResult != nil {
		j.sink = func(m Message, err error) {
			sinkMu.Lock()
			fn := cfg.onResult
			sinkMu.Unlock()
			if fn != nil {
				fn(resultOf(&m, err))
			}
		}
	}
	defer func() {
		sinkMu.Lock()
		cfg.onResult = nil
		sinkMu.Unlock()
	}()

	wait, cancel := s.stopContext(ctx)
	defer cancel()
	slots := make(chan struct{}, cfg.window)
	j.slots = slots
	feed := &rowFeed{more: make(chan struct{}, 1)}
	var runErr error
	driverDone := make(chan struct{})
	if !s.goBackground(func() {
		defer close(driverDone)
		runErr = j.run(ctx, feed)
	}) {
		return nil, ErrClosed
	}
	var total atomic.Int64
	stopProgress := s.progressLoop(j, &cfg, &total, started)

	// Producer: enqueue in batches, holding a slot per undecided row.
	batch := make([]Message, 0, enqueueBatch)
	var finals []built
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := s.store.Enqueue(ctx, batch); err != nil {
			return fmt.Errorf("notify: enqueue %s: %w", rec.ID, err)
		}
		for _, f := range finals {
			s.tel.decided(j.ctx, &rec.Notification, &f.m)
			j.accountRow(&f.m, f.err, false)
		}
		// The store may keep the batch itself: build the next one anew.
		batch, finals = make([]Message, 0, enqueueBatch), finals[:0]
		feed.signal()
		return nil
	}
	push := func(b built) error {
		b.m.NotificationID = rec.ID
		switch {
		case b.m.Outcome.Final():
			finals = append(finals, b)
		case b.m.Outcome == OutcomeDeferred:
			// SendAfter: decided later, holds no window slot.
		case !j.isPaused():
			select {
			case slots <- struct{}{}:
			case <-j.pauseCh:
			case <-wait.Done():
				return wait.Err()
			default:
				if err := flush(); err != nil {
					return err
				}
				select {
				case slots <- struct{}{}:
				case <-j.pauseCh:
				case <-wait.Done():
					return wait.Err()
				}
			}
		}
		batch = append(batch, b.m)
		if len(batch) == cap(batch) {
			return flush()
		}
		return nil
	}
	var prodErr error
	for _, b := range first {
		if prodErr = push(b); prodErr != nil {
			break
		}
	}
	first = nil
	for prodErr == nil {
		if prodErr = wait.Err(); prodErr != nil {
			break // canceled: read no more of the sequence
		}
		if j.canceled.Load() {
			break // the notification was canceled: read no more
		}
		r, ok := next()
		if !ok {
			break
		}
		m, rerr, whole := p.row(ctx, index, r)
		if whole != nil {
			m.Outcome, m.Reason, m.Detail, rerr = OutcomeFailed, segmentReason(whole), whole.Error(), whole
		}
		index++
		prodErr = push(built{m, rerr})
	}
	if prodErr == nil {
		prodErr = flush()
	}
	total.Store(int64(index))
	if prodErr == nil && rec.Total != index {
		rec.Total = index
		if err := s.updateTotal(ctx, rec); err != nil {
			prodErr = err
		}
	}
	feed.finish()
	<-driverDone
	if j.canceled.Load() {
		// Rows enqueued after the job settled as canceled.
		if _, err := s.store.CancelRows(ctx, rec.ID, s.now()); err != nil && prodErr == nil {
			prodErr = fmt.Errorf("notify: cancel %s: %w", rec.ID, err)
		}
	}
	stopProgress()
	rep := &Report{NotificationID: rec.ID, Topic: rec.Topic, StartedAt: started, FinishedAt: s.now()}
	counts, err := s.store.Counts(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	rep.Counts = counts
	if cur, err := s.store.Notification(ctx, rec.ID); err == nil {
		rep.Paused, rep.PauseReason = cur.State == NotificationPaused, cur.PauseReason
	}
	j.mu.Lock()
	rep.Segments, rep.EstimatedCost = j.live.segments, j.live.cost
	j.mu.Unlock()
	if s.cfg.pipe.pricing != nil {
		rep.Currency = s.cfg.pipe.pricing.Currency
	}
	endRep, endErr = rep, cmp.Or(prodErr, runErr)
	if prodErr != nil {
		return rep, prodErr
	}
	return rep, runErr
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
