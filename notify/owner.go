package notify

import (
	"context"
	"errors"
	"time"
)

// A job's owner is the one goroutine that runs a notification on this
// Service, from the moment the Service takes it up (Send, SendStream,
// Resume, a restart, discovery) until it is done, canceled or left to
// another call (an interrupted acceptance). It alone decides when a pass
// over the outbox runs, when the notification pauses, resumes, is canceled
// or is done, and when the next deferral is due; everything else sends it a
// request and, where the caller needs it, waits for the answer:
//
//   - run: Send, SendStream and Resume ask for a pass and wait until the
//     rows are decided or deferred (a stream's pass follows its feed);
//   - pause, resume, cancel: Pause, Resume and Cancel (and the reputation
//     guard and a sender-side refusal, from the workers);
//   - wake: the discovery poll, when the store says another instance
//     paused, resumed or canceled the notification;
//   - the pass's own end, and the deferral timer.
//
// The owner writes the notification's state to the store before it answers
// a pause or a cancel. It never calls host code: results reach OnResult from
// the workers, outside every lock. The job (and so its identity) lives as
// long as its owner: a paused job is the same job when it resumes.

// phase is where a job's owner is.
type phase uint8

const (
	phaseIdle     phase = iota // no pass running; a timer may be set
	phaseRunning               // a pass is running
	phasePaused                // paused (a pass may still be draining)
	phaseFinished              // done, canceled or given up; the owner has ended
)

type cmdKind uint8

const (
	cmdRun cmdKind = iota
	cmdPause
	cmdResume
	cmdCancel
	cmdWake
	cmdPassEnded
)

// command is a request to a job's owner.
type command struct {
	kind  cmdKind
	why   string   // cmdPause: the reason
	feed  *rowFeed // cmdRun: a stream's producer, nil for a list
	err   error    // cmdPassEnded: what the pass returned
	reply chan error
}

// ownerState is what only the owner goroutine reads and writes.
type ownerState struct {
	running bool         // a pass goroutine is running
	again   bool         // run another pass when it ends
	resume  bool         // resume when the draining pass ends
	feed    *rowFeed     // the stream feeding this notification, if any
	waiters []chan error // run and resume requests waiting for the rows to settle
	timer   *time.Timer
	timerC  <-chan time.Time
}

// errJobEnded is what a request gets when the owner ended before it was
// answered (the notification finished or the Service shut down).
var errJobEnded = errors.New("notify: job ended")

// send delivers c to the owner and waits for its answer. It returns
// errJobEnded when the owner has ended; ctx bounds the wait for the answer,
// not the work it asked for.
func (j *job) send(ctx context.Context, c command) error {
	return j.await(ctx, j.ask(c))
}

// ask delivers c to the owner and returns the channel its answer comes on.
func (j *job) ask(c command) <-chan error {
	c.reply = make(chan error, 1)
	select {
	case j.cmds <- c:
	case <-j.ended:
		c.reply <- errJobEnded
	}
	return c.reply
}

// await waits for the answer on reply, for the owner's end, or for ctx.
func (j *job) await(ctx context.Context, reply <-chan error) error {
	select {
	case err := <-reply:
		return err
	case <-j.ended:
		select {
		case err := <-reply:
			return err
		default:
			return errJobEnded
		}
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tell delivers c to the owner without waiting for an answer; it reports
// false when the owner has ended.
func (j *job) tell(c command) bool {
	select {
	case j.cmds <- c:
		return true
	case <-j.ended:
		return false
	}
}

// loop is the owner goroutine.
func (j *job) loop() {
	o := &ownerState{}
	defer func() {
		if o.timer != nil {
			o.timer.Stop()
		}
		for _, w := range o.waiters {
			w <- nil
		}
		j.end()
	}()
	for {
		select {
		case c := <-j.cmds:
			if j.handle(o, c) {
				return
			}
		case <-o.timerC:
			o.timerC = nil
			if j.phase() == phaseIdle {
				j.startPass(o)
			}
		case <-j.s.stop:
			// Shutdown: the running pass gives its rows back (its wait is
			// canceled); wait for it, then end.
			for o.running {
				c := <-j.cmds
				if c.kind == cmdPassEnded {
					o.running = false
				} else {
					answer(c, ErrClosed)
				}
			}
			return
		}
	}
}

// handle acts on one request; it reports whether the owner ends.
func (j *job) handle(o *ownerState, c command) bool {
	ctx := context.Background()
	switch c.kind {
	case cmdRun:
		if c.feed != nil {
			o.feed = c.feed
		}
		switch j.phase() {
		case phasePaused:
			answer(c, nil) // the report says it is paused
			return false
		case phaseRunning:
			o.again = true
		default:
			j.startPass(o)
		}
		if c.reply != nil {
			o.waiters = append(o.waiters, c.reply)
		}
	case cmdPause:
		answer(c, j.pauseNow(ctx, c.why))
	case cmdCancel:
		err := j.cancelNow(ctx)
		answer(c, err)
		if err == nil && !o.running {
			return true
		}
	case cmdResume:
		// The store decides: a pause another instance recorded may not
		// have reached this owner yet.
		if err := j.s.resumeRecord(ctx, j.rec.ID); err != nil {
			answer(c, err)
			return false
		}
		if c.reply != nil {
			o.waiters = append(o.waiters, c.reply)
		}
		switch paused := j.phase() == phasePaused; {
		case paused && o.running:
			o.resume = true // the draining pass ends first
		case paused:
			j.reopen()
			j.startPass(o)
		case o.running:
			o.again = true
		default:
			j.startPass(o)
		}
	case cmdWake:
		return j.wake(ctx, o)
	case cmdPassEnded:
		o.running = false
		return j.passEnded(ctx, o, c.err)
	}
	return false
}

// answer sends err to the one who asked c, if anyone waits for it.
func answer(c command, err error) {
	if c.reply != nil {
		c.reply <- err
	}
}

// startPass runs passes over the outbox in a goroutine of their own; their
// end comes back to the owner as cmdPassEnded.
func (j *job) startPass(o *ownerState) {
	if o.timer != nil {
		o.timer.Stop()
		o.timerC = nil
	}
	o.running, o.again = true, false
	j.mu.Lock()
	j.nextDue = time.Time{} // the pass finds the next deferral anew
	j.mu.Unlock()
	j.setPhase(phaseRunning)
	halt := j.haltCh()
	feed := o.feed
	go func() {
		err := j.passes(halt, feed)
		select {
		case j.cmds <- command{kind: cmdPassEnded, err: err}:
		case <-j.ended:
		}
	}()
}

// passEnded decides what follows a pass: another pass, the paused or
// canceled state, the next deferral, or the end.
func (j *job) passEnded(ctx context.Context, o *ownerState, err error) bool {
	s := j.s
	if !isClosed(j.firstPass) {
		close(j.firstPass)
	}
	if j.canceled.Load() {
		if _, err := s.store.CancelRows(ctx, j.rec.ID, s.now()); err != nil {
			s.log.Error("notify: cancel rows", "notification", j.rec.ID, "err", err)
		}
		return true
	}
	if j.phase() == phasePaused {
		if o.resume {
			o.resume = false
			j.reopen()
			j.startPass(o)
			return false
		}
		j.replyAll(o, nil)
		return false
	}
	if s.stopping() {
		return true
	}
	if err != nil {
		// A store failure: answer the waiters and try again later.
		s.log.Error("notify: pass", "notification", j.rec.ID, "err", err)
		j.replyAll(o, err)
		j.setPhase(phaseIdle)
		j.armTimer(o, s.now().Add(s.cfg.pipe.poll))
		return false
	}
	if o.again || (o.feed != nil && !o.feed.finished()) {
		j.startPass(o)
		return false
	}
	o.feed = nil // its producer is done
	next, err := j.settle(ctx)
	j.replyAll(o, err)
	switch {
	case err != nil:
		s.log.Error("notify: settle", "notification", j.rec.ID, "err", err)
		j.setPhase(phaseIdle)
		j.armTimer(o, s.now().Add(s.cfg.pipe.poll))
	case next.IsZero():
		return true // done, or left incomplete
	default:
		j.setPhase(phaseIdle)
		j.armTimer(o, next)
	}
	return false
}

// armTimer sets the owner's timer for the next pass at t.
func (j *job) armTimer(o *ownerState, t time.Time) {
	if o.timer != nil {
		o.timer.Stop()
	}
	o.timer = time.NewTimer(max(t.Sub(j.s.now()), 0))
	o.timerC = o.timer.C
}

// replyAll answers every waiting run and resume request.
func (j *job) replyAll(o *ownerState, err error) {
	for _, w := range o.waiters {
		w <- err
	}
	o.waiters = nil
}

// isClosed reports whether ch is closed.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// phase returns where the owner is.
func (j *job) phase() phase {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ph
}

// setPhase records where the owner is and wakes those watching (Wait).
func (j *job) setPhase(p phase) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.ph == p {
		return
	}
	j.ph = p
	close(j.changed)
	j.changed = make(chan struct{})
}

// watch returns the owner's phase and a channel closed when it changes.
func (j *job) watch() (phase, <-chan struct{}) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ph, j.changed
}

// haltCh returns the channel closed when the current run is halted.
func (j *job) haltCh() chan struct{} { return *j.halted.Load() }

// hold halts the current run and records the owner paused (a pause or a
// cancel).
func (j *job) hold() {
	j.halt()
	j.setPhase(phasePaused)
}

// halt closes the current run's halt channel: the pass stops claiming and
// its workers give back the rows not yet at the provider.
func (j *job) halt() {
	ch := j.haltCh()
	if !isClosed(ch) {
		close(ch)
	}
}

// reopen gives a resumed job a fresh halt channel; only the owner calls it,
// with no pass running.
func (j *job) reopen() {
	ch := make(chan struct{})
	j.halted.Store(&ch)
	j.mu.Lock()
	j.guard = guardState{}
	j.mu.Unlock()
}

// end unregisters the job and marks its owner ended.
func (j *job) end() {
	s := j.s
	s.mu.Lock()
	if s.jobs[j.rec.ID] == j {
		delete(s.jobs, j.rec.ID)
	}
	s.mu.Unlock()
	j.setPhase(phaseFinished)
	close(j.ended)
	if !isClosed(j.firstPass) {
		close(j.firstPass)
	}
}
