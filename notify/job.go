package notify

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/throttle"
)

// job is one notification this Service is running; its owner goroutine
// (owner.go) holds its lifecycle. The fields under mu are written by the
// pass's workers (results, totals, the guard) and by the owner (phase).
type job struct {
	s    *Service
	rec  NotificationRecord // as accepted; never changes
	lane throttle.Lane
	// ctx carries the notification's telemetry span; never canceled.
	ctx context.Context
	// retake counts rows a pass lost to an ended lease (the owner runs
	// another pass to take them again).
	retake atomic.Int32
	// canceled is set by the owner when the notification is canceled: a
	// stream reads no more recipients.
	canceled atomic.Bool
	// halted holds the current run's halt channel, closed when the job is
	// paused or canceled; Resume stores a fresh one.
	halted atomic.Pointer[chan struct{}]

	cmds      chan command  // requests to the owner
	ended     chan struct{} // closed when the owner has ended
	firstPass chan struct{} // closed when the first pass ends

	mu      sync.Mutex
	sinkMu  sync.Mutex    // serializes sink calls
	ph      phase         // where the owner is; written by the owner
	changed chan struct{} // closed and replaced when ph changes
	results []liveRow     // Send: each row's latest result, by Index, for its report
	nextDue time.Time     // earliest NotBefore of rows deferred in this pass
	slots   chan struct{} // streaming window: one token per undecided row
	guard   guardState
	sink    func(Message, error) // streaming results
	live    counters             // running totals for streams and progress
}

// newJob registers a job for rec and starts its owner. After Shutdown the
// job's owner has ended before it started: requests to it fail with
// errJobEnded.
func (s *Service) newJob(rec NotificationRecord) *job {
	j := &job{
		s: s, rec: rec, ctx: context.Background(),
		cmds:      make(chan command),
		ended:     make(chan struct{}),
		firstPass: make(chan struct{}),
		changed:   make(chan struct{}),
	}
	halt := make(chan struct{})
	j.halted.Store(&halt)
	if rec.Notification.Transactional {
		j.lane = throttle.LaneTransactional
	}
	s.mu.Lock()
	if cur := s.jobs[rec.ID]; cur != nil {
		s.mu.Unlock()
		return cur // registered meanwhile
	}
	s.jobs[rec.ID] = j
	s.mu.Unlock()
	if !s.goBackground(j.loop) {
		j.end()
	}
	return j
}

// counters are running totals of a job.
type counters struct {
	done     int
	outcomes [OutcomeCanceled + 1]int
	segments int
	cost     float64
}

// rowFeed lets a streaming producer tell the driver that more rows are in
// the outbox, and when none will follow.
type rowFeed struct {
	more chan struct{} // buffered 1
	mu   sync.Mutex
	done bool
}

func (f *rowFeed) signal() {
	select {
	case f.more <- struct{}{}:
	default:
	}
}

func (f *rowFeed) finished() bool {
	if f == nil {
		return true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.done
}

func (f *rowFeed) finish() {
	f.mu.Lock()
	f.done = true
	f.mu.Unlock()
	f.signal()
}

// bgContext is the context of background work: never canceled (Shutdown
// stops it through s.stop).
func (s *Service) bgContext() context.Context { return context.Background() }

// stopContext returns a context canceled when ctx is or Shutdown is called.
func (s *Service) stopContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return s.haltContext(ctx, nil)
}

// haltContext returns a context canceled when ctx is, when halt is closed,
// or when Shutdown is called.
func (s *Service) haltContext(ctx context.Context, halt <-chan struct{}) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-s.stop:
			cancel()
		case <-halt:
			cancel()
		case <-c.Done():
		}
	}()
	return c, cancel
}

// isPaused reports whether the current run is halted (paused or
// canceled), without the job's lock.
func (j *job) isPaused() bool { return isClosed(j.haltCh()) }

// process takes one claimed row to its outcome. wait is canceled by
// Shutdown and the caller; call is wait without cancellation, for the
// provider call and the store writes that must not be cut off.
//
// The compliance decision that lets a row out is made by the last gate,
// right before each provider call and after every wait (throttle, retry
// back-off): a row whose decision changed while it waited (an opt-out, quiet
// hours beginning, a cap filled by another instance) is denied or deferred
// with the new decision's reason. A first look before the throttle keeps
// refused rows from using throttle capacity.
func (j *job) process(wait, call context.Context, m *Message) {
	s := j.s
	if wait.Err() != nil || j.isPaused() {
		j.giveBack(m)
		return
	}
	if !j.gate(wait, m) {
		return
	}
	var ch charge // what pace took from the throttle, given back if nothing goes out
	if s.limiter != nil {
		var ok bool
		if ch, ok = j.pace(wait, m); !ok {
			return
		}
		if !j.gate(wait, m) {
			j.refund(ch)
			return
		}
	}
	if s.lookuper != nil && !j.lookup(wait, m) {
		j.refund(ch)
		return
	}
	pm := provider.Message{From: m.From, To: m.To, Body: m.Body, ClientRef: m.ID, StatusCallback: s.cfg.pipe.callback}
	if exp := j.rec.Notification.ExpiresAt; !exp.IsZero() {
		left := exp.Sub(s.now())
		if left <= 0 {
			err := fmt.Errorf("%w at %s", ErrExpired, exp.Format(time.RFC3339))
			m.Outcome, m.Reason, m.Detail = OutcomeFailed, "expired", err.Error()
			j.refund(ch)
			j.complete(m, err)
			return
		}
		pm.ValidityPeriod = left
	}
	rc, err := s.sendWithRetry(wait, call, pm, m.ID, func() bool { return j.gate(wait, m) })
	m.Attempts++
	switch {
	case err == nil:
		m.Outcome, m.ProviderID, m.Provider = OutcomeSent, rc.ID, rc.Provider
		m.Status = rc.Status
		m.Segments = max(m.Segments, rc.Segments)
		if rc.Price != nil {
			m.Price = rc.Price.Amount
		}
		req := s.request(&j.rec.Notification, m)
		if err := s.policy.RecordSend(call, req); err != nil {
			s.log.Warn("notify: record send", "to", provider.MaskNumber(m.To), "err", err)
		}
	case errors.Is(err, errGated):
		j.refund(ch)
		return // the gate completed the row
	case errors.Is(err, errGiveBack):
		j.refund(ch)
		j.giveBack(m)
		return
	case errors.Is(err, errNotMarked):
		// The store failed before the provider was called: nothing went
		// out. The row goes back to the outbox for another try.
		s.log.Warn("notify: mark sending failed; the row goes back", "message", m.ID, "to", provider.MaskNumber(m.To), "err", err)
		j.refund(ch)
		j.giveBack(m)
		return
	case errors.Is(err, ErrClaimLost):
		s.log.Warn("notify: claim lost before send", "message", m.ID, "to", provider.MaskNumber(m.To))
		j.refund(ch)
		j.retake.Add(1)
		return
	case provider.FaultOf(err) == provider.FaultSender && provider.ClassOf(err) != provider.Ambiguous:
		// The sender or its campaign is refused: not this recipient's
		// failure. The row goes back to the outbox and the notification
		// pauses with what to fix; Resume sends the rest.
		prov, code, detail := providerCode(err)
		why := senderPause(prov, code, detail)
		j.pause(why)
		j.refund(ch)
		j.giveBack(m)
		return
	case provider.ClassOf(err) == provider.Ambiguous:
		m.Outcome, m.Reason, m.Detail = OutcomeUnknown, providerReason(err), err.Error()
		m.Status = provider.StatusUnknown
		m.Provider = providerOf(err, m.Provider)
	default:
		// The provider refused the text for certain: it never reached a
		// carrier, so it spends no throughput.
		j.refund(ch)
		m.Outcome, m.Reason, m.Detail = OutcomeFailed, providerReason(err), err.Error()
		m.Status = provider.StatusFailed
		m.Provider = providerOf(err, m.Provider)
		if errors.Is(err, provider.ErrOptedOut) {
			prov, code, _ := providerCode(err)
			s.carrierOptOut(call, j.rec.Account, m.To, providerOf(err, prov), code, s.now())
		}
	}
	j.observe(m, err)
	j.complete(m, err)
}

// giveBack returns a claimed row to pending, untouched.
func (j *job) giveBack(m *Message) {
	if !j.isPaused() && !j.s.stopping() {
		j.retake.Add(1) // a throttle deadline, a lost lookup: try again
	}
	m.Outcome = OutcomePending
	if m.NotBefore.After(j.s.now()) {
		m.Outcome = OutcomeDeferred
	}
	if err := j.s.store.Complete(context.Background(), *m, j.s.owner); err != nil && !errors.Is(err, ErrClaimLost) {
		j.s.log.Error("notify: give back", "message", m.ID, "err", err)
	}
}

// complete writes m's outcome to the store and accounts for it.
func (j *job) complete(m *Message, err error) {
	s := j.s
	m.UpdatedAt = s.now()
	if cerr := s.store.Complete(context.Background(), *m, s.owner); cerr != nil {
		if errors.Is(cerr, ErrClaimLost) {
			// The lease ended while the row waited; nothing was sent. The
			// row is pending again: take it again.
			j.retake.Add(1)
			return
		}
		s.log.Error("notify: complete", "message", m.ID, "to", provider.MaskNumber(m.To), "err", cerr)
		return
	}
	// Receipts that overtook this write are applied before the row counts
	// as done, so a report or Wait after it sees them.
	s.applyEarlyReceipts(m)
	s.tel.decided(j.ctx, &j.rec.Notification, m)
	j.account(m, err)
}

// account updates the running totals and delivers a streamed result.
func (j *job) account(m *Message, err error) { j.accountRow(m, err, true) }

// accountRow is account; release says whether m held a streaming window
// slot. The streamed result is delivered after the job's lock is released:
// a host callback may call Pause, Report or anything else of the Service.
func (j *job) accountRow(m *Message, err error, release bool) {
	j.mu.Lock()
	if m.Outcome == OutcomeDeferred {
		if j.nextDue.IsZero() || m.NotBefore.Before(j.nextDue) {
			j.nextDue = m.NotBefore
		}
	}
	if j.results != nil && m.Index >= 0 && m.Index < len(j.results) {
		j.results[m.Index] = liveRow{r: resultOf(m, err), cost: j.s.cost(m), enc: m.Encoding}
	}
	j.live.done++
	j.live.outcomes[m.Outcome]++
	if m.Outcome == OutcomeSent {
		j.live.segments += m.Segments
	}
	j.live.cost += j.s.cost(m)
	sink := j.sink
	j.mu.Unlock()
	if release && j.slots != nil {
		select {
		case <-j.slots:
		default:
		}
	}
	if sink != nil {
		// One call at a time, under a lock of its own: the callback may
		// call Pause or read the Service, which take the job's lock.
		j.sinkMu.Lock()
		defer j.sinkMu.Unlock()
		sink(*m, err)
	}
}

// pause asks the owner to pause the job with why (the reputation guard, a
// sender-side refusal) and waits until it is recorded.
func (j *job) pause(why string) {
	err := j.send(context.Background(), command{kind: cmdPause, why: why})
	if err != nil && !errors.Is(err, errJobEnded) && !errors.Is(err, ErrClosed) {
		j.s.log.Error("notify: pause", "notification", j.rec.ID, "err", err)
		return
	}
	j.s.tel.paused(j.ctx, j.rec, why)
	j.s.log.Warn("notify: notification paused", "notification", j.rec.ID, "reason", why)
}
