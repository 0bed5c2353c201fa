package notify

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"strconv"
	"sync"
	"sync/atomic"
)

// send is the one pipeline behind Send and SendStream: read and check the
// head of the list, create the notification, write the rows to the outbox
// in batches (within the stream's window), let the job's owner send them,
// and report. list is Send: the whole list is the head, nothing is sent
// before every row is in the outbox, and the report has every Result.
func (s *Service) send(ctx context.Context, n Notification, seq iter.Seq[Recipient], cfg streamConfig, list bool) (*Report, error) {
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
	rd := newReader(p, seq)
	defer rd.close()
	head, total, err := rd.head(ctx, list)
	if err != nil {
		return nil, err
	}
	rec, created, err := s.create(ctx, p, total)
	if err != nil {
		return nil, err
	}
	if !created {
		return s.sendAgain(ctx, rec, rd, head, list)
	}
	j := s.newJob(rec)
	s.log.Info("notify: sending", "notification", rec.ID, "recipients", total, "topic", rec.Topic)
	if list {
		j.mu.Lock()
		j.results = make([]liveRow, len(head.rows))
		j.mu.Unlock()
	}
	spanCtx, end := s.tel.notificationStarted(ctx, rec)
	j.ctx = context.WithoutCancel(spanCtx)
	var rep *Report
	var runErr error
	defer func() { end(rep, runErr) }()

	a := &acceptor{s: s, j: j, rec: rec, feed: &rowFeed{more: make(chan struct{}, 1)}}
	defer a.stopSink()
	a.sink(cfg.onResult)
	wait, cancel := s.stopContext(ctx)
	defer cancel()
	a.wait = wait
	if !list {
		a.slots = make(chan struct{}, cfg.window)
		j.slots = a.slots
	}
	var read atomic.Int64
	read.Store(int64(len(head.rows)))
	stopProgress := s.progressLoop(j, &cfg, &read, started)

	var prodErr error
	if list {
		prodErr = a.acceptList(head)
	} else {
		prodErr = a.accept(head, nil)
	}
	head = rowSet{}
	for prodErr == nil && !list {
		if prodErr = wait.Err(); prodErr != nil || j.canceled.Load() {
			break // read no more of the sequence
		}
		b, ok := rd.after(ctx)
		if !ok {
			break
		}
		read.Add(1)
		prodErr = a.push(b)
	}
	prodErr = cmp.Or(prodErr, a.flush())
	if a.accepted != rec.Total && !a.failed {
		// The count is known now: the recipients the outbox holds (a
		// stream cut short by ctx holds those read so far). After a failed
		// write the count stays open, for a retry to finish.
		rec.Total = a.accepted
		if err := s.updateTotal(context.WithoutCancel(ctx), rec); err != nil && prodErr == nil {
			prodErr = err
		}
	}
	a.feed.finish()
	runErr = a.run(ctx)
	if j.canceled.Load() {
		// Rows enqueued after the owner canceled the rest.
		if _, err := s.store.CancelRows(context.WithoutCancel(ctx), rec.ID, s.now()); err != nil && prodErr == nil {
			prodErr = fmt.Errorf("notify: cancel %s: %w", rec.ID, err)
		}
	}
	if runErr == nil && prodErr == nil {
		runErr = s.awaitOthers(ctx, rec.ID)
	}
	stopProgress()
	runErr = cmp.Or(prodErr, runErr)
	if list {
		rep, err = s.report(ctx, j)
	} else {
		rep, err = s.streamReport(ctx, j)
	}
	if err != nil {
		runErr = err
		return nil, err
	}
	rep.StartedAt = started
	return rep, runErr
}

// acceptor writes one send's rows to the outbox and asks the job's owner to
// send them.
type acceptor struct {
	s    *Service
	j    *job
	rec  NotificationRecord
	wait context.Context // the caller's, canceled by Shutdown too

	batch    []Message
	finals   []built
	feed     *rowFeed
	slots    chan struct{} // the stream's window; nil for a list
	accepted int           // rows written to the outbox
	failed   bool          // a write to the outbox failed
	asked    <-chan error  // the run request's answer, once asked

	sinkMu   sync.Mutex
	onResult func(Result)
}

// sink delivers the job's results to fn, one at a time, until stopSink.
func (a *acceptor) sink(fn func(Result)) {
	if fn == nil {
		return
	}
	a.onResult = fn
	a.j.sink = func(m Message, err error) {
		a.sinkMu.Lock()
		fn := a.onResult
		a.sinkMu.Unlock()
		if fn != nil {
			fn(resultOf(&m, err))
		}
	}
}

// stopSink ends the deliveries: results decided after the send returned
// are in the store only.
func (a *acceptor) stopSink() {
	a.sinkMu.Lock()
	a.onResult = nil
	a.sinkMu.Unlock()
}

// accept pushes the rows keep accepts (all when keep is nil), writes them
// to the outbox and asks the owner to send (a stream's owner starts sooner,
// at its first wait for the window).
func (a *acceptor) accept(h rowSet, keep func(*Message) bool) error {
	for i := range h.rows {
		if keep != nil && !keep(&h.rows[i]) {
			continue
		}
		if err := a.push(built{h.rows[i], h.errs[i]}); err != nil {
			return err
		}
	}
	if err := a.flush(); err != nil {
		return err
	}
	a.startRun()
	return nil
}

// acceptList writes a Send's whole list to the outbox, in batches handed
// to the store as they are (no copy), and only then asks the owner to
// send: every recipient is in the outbox before the first provider call.
// The rows already final are accounted before their batch is written (the
// store takes the batch over).
func (a *acceptor) acceptList(h rowSet) error {
	s, j := a.s, a.j
	for lo := 0; lo < len(h.rows); lo += enqueueBatch {
		chunk := h.rows[lo:min(lo+enqueueBatch, len(h.rows))]
		for i := range chunk {
			m := &chunk[i]
			m.NotificationID = a.rec.ID
			if m.Outcome.Final() {
				f := *m
				f.ID = a.rec.ID + "/" + strconv.Itoa(f.Index)
				s.tel.decided(j.ctx, &a.rec.Notification, &f)
				j.accountRow(&f, h.errs[lo+i], false)
			}
		}
		if err := s.store.Enqueue(context.WithoutCancel(a.wait), chunk); err != nil {
			a.failed = true
			return fmt.Errorf("notify: enqueue %s: %w", a.rec.ID, err)
		}
		a.accepted += len(chunk)
	}
	a.startRun()
	return nil
}

// push adds one row to the batch, holding a window slot while it is
// undecided.
func (a *acceptor) push(b built) error {
	b.m.NotificationID = a.rec.ID
	switch {
	case b.m.Outcome.Final():
		a.finals = append(a.finals, b)
		// The result's ID; the row itself is left to the store to name.
		a.finals[len(a.finals)-1].m.ID = a.rec.ID + "/" + strconv.Itoa(b.m.Index)
	case b.m.Outcome == OutcomeDeferred || a.slots == nil:
		// SendAfter, or a list: holds no window slot.
	default:
		if err := a.slot(); err != nil {
			return err
		}
	}
	if a.batch == nil {
		a.batch = make([]Message, 0, enqueueBatch)
	}
	a.batch = append(a.batch, b.m)
	if len(a.batch) == cap(a.batch) {
		return a.flush()
	}
	return nil
}

// slot takes a window slot, writing the batch and asking the owner to send
// when it must wait for one. A paused job holds no window: the rest is
// written to the outbox for Resume.
func (a *acceptor) slot() error {
	j := a.j
	select {
	case a.slots <- struct{}{}:
		return nil
	default:
	}
	if err := a.flush(); err != nil {
		return err
	}
	a.startRun()
	halt := j.haltCh()
	select {
	case a.slots <- struct{}{}:
	case <-halt:
	case <-a.wait.Done():
		return a.wait.Err()
	}
	return nil
}

// flush writes the batch to the outbox and accounts for the rows already
// final.
func (a *acceptor) flush() error {
	if len(a.batch) == 0 {
		return nil
	}
	s, j := a.s, a.j
	if err := s.store.Enqueue(context.WithoutCancel(a.wait), a.batch); err != nil {
		a.failed = true
		return fmt.Errorf("notify: enqueue %s: %w", a.rec.ID, err)
	}
	a.accepted += len(a.batch)
	for i := range a.finals {
		f := &a.finals[i]
		s.tel.decided(j.ctx, &a.rec.Notification, &f.m)
		j.accountRow(&f.m, f.err, false)
	}
	// The store may keep the batch itself: build the next one anew.
	a.batch, a.finals = nil, a.finals[:0]
	a.feed.signal()
	return nil
}

// startRun asks the owner, once, to send the rows as the feed brings them.
func (a *acceptor) startRun() {
	if a.asked == nil {
		a.asked = a.j.ask(command{kind: cmdRun, feed: a.feed})
	}
}

// run waits until the owner has decided or deferred every row (or ctx
// ends; the rows then go on in the background).
func (a *acceptor) run(ctx context.Context) error {
	a.startRun()
	err := a.j.await(ctx, a.asked)
	if err == errJobEnded {
		return nil
	}
	return err
}

// head reads the recipients read and checked before anything is created:
// every listed one for a Send, the first batch for a stream. total is the
// number of recipients when the reading ended, -1 while a stream has more.
func (r *reader) head(ctx context.Context, list bool) (h rowSet, total int, err error) {
	if list {
		h, err = r.all(ctx)
		if err != nil {
			return rowSet{}, 0, err
		}
		if len(h.rows) == 0 {
			return rowSet{}, 0, ErrNoRecipients
		}
		return h, len(h.rows), nil
	}
	for len(h.rows) < enqueueBatch {
		b, whole, ok := r.one(ctx)
		if !ok {
			if len(h.rows) == 0 {
				return rowSet{}, 0, ErrNoRecipients
			}
			return h, len(h.rows), nil
		}
		if whole != nil {
			return rowSet{}, 0, whole
		}
		h.add(b)
	}
	return h, -1, nil
}

// after reads the next recipient after the head: a rendered body that
// breaks the segment rule fails its own row (the head refused the whole
// notification for it).
func (r *reader) after(ctx context.Context) (built, bool) {
	b, whole, ok := r.one(ctx)
	if ok && whole != nil {
		b.m.Outcome, b.m.Reason, b.m.Detail, b.err = OutcomeFailed, segmentReason(whole), whole.Error(), whole
	}
	return b, ok
}

// streamReport is a stream's report: the totals, no Results.
func (s *Service) streamReport(ctx context.Context, j *job) (*Report, error) {
	rec := j.rec
	rep := &Report{NotificationID: rec.ID, Topic: rec.Topic, FinishedAt: s.now()}
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
	return rep, nil
}
