package notify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/throttle"
)

// job is one notification this Service is running.
type job struct {
	s     *Service
	rec   NotificationRecord
	lane  throttle.Lane
	start time.Time
	// ctx carries the notification's telemetry span; never canceled.
	ctx context.Context
	// retake counts rows a pass lost to an ended lease (run takes them
	// again).
	retake atomic.Int32
	// canceled is set by Cancel: a stream reads no more recipients.
	canceled atomic.Bool

	mu        sync.Mutex
	sinkMu    sync.Mutex    // serializes sink calls
	results   []liveRow     // Send: each row's latest result, by Index, for its report
	nextDue   time.Time     // earliest NotBefore of rows deferred in this pass
	active    bool          // a pass is running
	again     bool          // run another pass when the current one ends
	firstPass chan struct{} // closed when the first pass ends
	settled   chan struct{} // closed when the job is done or paused
	pauseCh   chan struct{} // closed when paused
	slots     chan struct{} // streaming window: one token per undecided row
	paused    bool
	pauseWhy  string
	guard     guardState
	sink      func(Message, error) // streaming results, serialized by mu
	live      counters             // running totals for streams and progress
}

// newJob registers a job for rec.
func (s *Service) newJob(rec NotificationRecord) *job {
	j := &job{s: s, rec: rec, ctx: context.Background(), firstPass: make(chan struct{}), settled: make(chan struct{}), pauseCh: make(chan struct{})}
	if rec.Notification.Transactional {
		j.lane = throttle.LaneTransactional
	}
	s.mu.Lock()
	s.jobs[rec.ID] = j
	s.mu.Unlock()
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

// run drives one pass over the job's outbox rows: claim, check, throttle,
// send, complete, until nothing is due (feed, when not nil, says whether a
// streaming producer may still add rows). It then marks the notification
// done, paused, or schedules the next due deferral.
func (j *job) run(ctx context.Context, feed *rowFeed) error {
	j.mu.Lock()
	if j.active {
		j.again = true
		j.mu.Unlock()
		return nil
	}
	j.active = true
	j.nextDue = time.Time{}
	j.mu.Unlock()
	err := j.pass(ctx, feed)
	// Rows this pass lost to a lease that ended while they waited (the
	// throttle can hold a row longer than its lease) are pending again:
	// take them now, so Send returns when every row is decided.
	for err == nil && j.retake.Swap(0) > 0 && !j.isPaused() && ctx.Err() == nil && !j.s.stopping() {
		err = j.pass(ctx, nil)
	}
	j.mu.Lock()
	j.active = false
	again := j.again
	j.again = false
	j.mu.Unlock()
	select {
	case <-j.firstPass:
	default:
		close(j.firstPass)
	}
	if err != nil {
		return err
	}
	if again {
		j.s.goBackground(func() {
			if j.s.current(j) {
				_ = j.run(j.s.bgContext(), nil)
			}
		})
		return nil
	}
	return j.settle(ctx)
}

// spawnAfter is how long a claimed row may wait for a free worker before
// the pass starts more workers (up to the concurrency).
const spawnAfter = time.Millisecond

// pass claims and processes rows until none is due.
//
// It starts a few workers at once (enough to keep the CPUs busy) and more
// only when rows wait longer than spawnAfter for one: the provider or the
// throttle is holding the workers, and more of them raise throughput. A
// fast provider is served by few workers, which contend less for the store.
func (j *job) pass(ctx context.Context, feed *rowFeed) error {
	s := j.s
	wait, cancel := s.stopContext(ctx)
	defer cancel()
	conc := s.cfg.pipe.concurrency
	work := make(chan *Message, conc)
	// held bounds the rows the pass holds claimed at once when the
	// throttle paces them (claimBound); nil when it does not.
	var held chan struct{}
	bound := j.claimBound()
	if bound < math.MaxInt {
		held = make(chan struct{}, bound)
	}
	var wg sync.WaitGroup
	workers := 0
	spawn := func() {
		workers++
		wg.Add(1)
		go func() {
			defer wg.Done()
			call := context.WithoutCancel(wait)
			for m := range work {
				j.process(wait, call, m)
				if held != nil {
					<-held
				}
			}
		}()
	}
	eager := min(conc, max(2, 2*runtime.GOMAXPROCS(0)))
	var timer *time.Timer
	defer func() {
		close(work)
		wg.Wait()
		if timer != nil {
			timer.Stop()
		}
	}()
	batch := min(s.cfg.pipe.batch, max(conc, 16))
	for {
		if j.isPaused() || wait.Err() != nil {
			break
		}
		fed := feed.finished()
		want := batch
		if held != nil {
			// Wait for room for one row, then take what else is free.
			select {
			case held <- struct{}{}:
			case <-wait.Done():
				continue
			}
			want = 1
			for want < batch {
				select {
				case held <- struct{}{}:
					want++
					continue
				default:
				}
				break
			}
		}
		now := s.now()
		rows, err := s.store.Claim(ctx, j.rec.ID, s.owner, want, now, now.Add(s.cfg.pipe.lease))
		if held != nil {
			for range want - len(rows) {
				<-held
			}
		}
		if err != nil {
			return fmt.Errorf("notify: claim %s: %w", j.rec.ID, err)
		}
		if len(rows) == 0 {
			if fed {
				break
			}
			select {
			case <-feed.more:
			case <-wait.Done():
			}
			continue
		}
		for k := range rows {
			m := &rows[k]
			if workers < eager {
				spawn()
			}
			select {
			case work <- m:
				continue
			default:
			}
			for sent := false; !sent; {
				if workers >= conc {
					work <- m
					break
				}
				if timer == nil {
					timer = time.NewTimer(spawnAfter)
				} else {
					timer.Reset(spawnAfter)
				}
				select {
				case work <- m:
					sent = true
					timer.Stop()
				case <-timer.C:
					for n := min(len(work)+1, conc-workers); n > 0; n-- {
						spawn()
					}
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return nil
}

// claimBound is how many rows a pass may hold at once: as many as the
// throttle lets out in half a lease, so a claimed row waiting for its turn
// is sent (or given back) before its lease ends and another instance, or
// this one's recovery, takes it over.
func (j *job) claimBound() int {
	s := j.s
	if s.limiter == nil {
		return math.MaxInt
	}
	l := s.cfg.pipe.limits
	rate := math.Inf(1)
	if l.Sender != (throttle.Limit{}) {
		rate = min(rate, l.Sender.PerSecondRate())
	}
	if j.rec.Notification.Campaign != "" && l.Campaign != (throttle.Limit{}) {
		rate = min(rate, l.Campaign.PerSecondRate())
	}
	if math.IsInf(rate, 1) || rate <= 0 {
		return math.MaxInt
	}
	n := rate * s.cfg.pipe.lease.Seconds() / 2
	if n >= math.MaxInt32 {
		return math.MaxInt
	}
	return max(1, int(n))
}

// bgContext is the context of background passes: canceled by Shutdown.
func (s *Service) bgContext() context.Context { return context.Background() }

// stopContext returns a context canceled when ctx is or Shutdown is called.
func (s *Service) stopContext(ctx context.Context) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-s.stop:
			cancel()
		case <-c.Done():
		}
	}()
	return c, cancel
}

// isPaused reports whether the job is paused, without the job's lock:
// pauseCh is closed when it pauses.
func (j *job) isPaused() bool {
	select {
	case <-j.pauseCh:
		return true
	default:
		return false
	}
}

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
	if s.limiter != nil {
		if !j.pace(wait, m) || !j.gate(wait, m) {
			return
		}
	}
	if s.lookuper != nil && !j.lookup(wait, m) {
		return
	}
	pm := provider.Message{From: m.From, To: m.To, Body: m.Body, ClientRef: m.ID, StatusCallback: s.cfg.pipe.callback}
	if exp := j.rec.Notification.ExpiresAt; !exp.IsZero() {
		left := exp.Sub(s.now())
		if left <= 0 {
			err := fmt.Errorf("%w at %s", ErrExpired, exp.Format(time.RFC3339))
			m.Outcome, m.Reason, m.Detail = OutcomeFailed, "expired", err.Error()
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
		return // the gate completed the row
	case errors.Is(err, errGiveBack):
		j.giveBack(m)
		return
	case errors.Is(err, ErrClaimLost):
		s.log.Warn("notify: claim lost before send", "message", m.ID, "to", provider.MaskNumber(m.To))
		j.retake.Add(1)
		return
	case provider.FaultOf(err) == provider.FaultSender && provider.ClassOf(err) != provider.Ambiguous:
		// The sender or its campaign is refused: not this recipient's
		// failure. The row goes back to the outbox and the notification
		// pauses with what to fix; Resume sends the rest.
		prov, code, detail := providerCode(err)
		why := senderPause(prov, code, detail)
		j.mu.Lock()
		j.setPaused(why)
		j.mu.Unlock()
		s.tel.paused(j.ctx, j.rec, why)
		j.giveBack(m)
		return
	case provider.ClassOf(err) == provider.Ambiguous:
		m.Outcome, m.Reason, m.Detail = OutcomeUnknown, providerReason(err), err.Error()
		m.Status = provider.StatusUnknown
		m.Provider = providerOf(err, m.Provider)
	default:
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

// providerOf is the name of the provider that answered err, or def.
func providerOf(err error, def string) string {
	var pe *provider.Error
	if errors.As(err, &pe) && pe.Provider != "" {
		return pe.Provider
	}
	return def
}

// errGated reports that the last gate refused or deferred the row (and
// completed it) between retries.
var errGated = errors.New("notify: refused at the last gate")

// gate decides row m now. It reports true when the row may go out; else it
// has completed the row (denied, deferred, or failed when the policy could
// not decide) or given it back (the Service is stopping).
func (j *job) gate(wait context.Context, m *Message) bool {
	s := j.s
	d, err := s.decide(wait, &j.rec.Notification, m)
	if err != nil {
		if wait.Err() != nil {
			j.giveBack(m)
			return false
		}
		err = fmt.Errorf("%w: %w", ErrCompliance, err)
		m.Outcome, m.Reason, m.Detail = OutcomeFailed, "compliance_error", err.Error()
		j.complete(m, err)
		return false
	}
	switch d.Outcome {
	case compliance.Deny:
		r := complianceReason(d)
		m.Outcome, m.Reason, m.Detail = OutcomeDenied, r.Rule, r.Text
		j.complete(m, r)
		return false
	case compliance.Defer:
		r := complianceReason(d)
		m.Outcome, m.NotBefore, m.Reason, m.Detail = OutcomeDeferred, d.NotBefore, r.Rule, r.Text
		j.complete(m, r)
		return false
	}
	return true
}

// decide is the one compliance decision for row m of n, used by the
// worker's last gate and by Plan.
//
// Under WithRequireOptIn the policy lets the business answer a person who
// texted it first, within its reply window: the time of their last reply
// comes from the Store when it keeps it (InboundTimes).
func (s *Service) decide(ctx context.Context, n *Notification, m *Message) (compliance.Decision, error) {
	req := s.request(n, m)
	if n.Kind == compliance.Service && s.policy.RequiresOptIn() {
		if it, ok := s.store.(InboundTimes); ok {
			at, err := it.LastInbound(ctx, n.Account, m.To, m.From)
			if err != nil {
				return compliance.Decision{}, fmt.Errorf("notify: last reply of %s: %w", provider.MaskNumber(m.To), err)
			}
			req.LastInbound = at
		}
	}
	return s.policy.Check(ctx, req)
}

// InboundTimes is kept by stores that know when a person last texted one of
// the host's numbers (MemoryStore and notify/sqlstore do): the reply window
// of compliance.WithRequireOptIn starts there.
type InboundTimes interface {
	// LastInbound returns when from last texted to in account (a stored
	// reply), or the zero time.
	LastInbound(ctx context.Context, account, from, to string) (time.Time, error)
}

// pace waits for the throttle. A daily cap that is used up defers the row
// to the start of the cap's next day instead of holding a worker (and Send)
// for hours. It reports false when it completed or gave back the row.
func (j *job) pace(wait context.Context, m *Message) bool {
	s := j.s
	segs := max(m.Segments, 1)
	now := s.now()
	if daily, ok := s.dailyKey(j, now); ok {
		res, err := s.limiter.Allow(wait, []throttle.Key{daily}, segs)
		if err == nil && !res.Allowed {
			due := nextPacificDay(now)
			err := fmt.Errorf("%w: %d segments a day for account %q; deferred to %s", ErrDailyCap, s.cfg.pipe.limits.Daily, j.rec.Account, due.Format(time.RFC3339))
			m.Outcome, m.NotBefore, m.Reason, m.Detail = OutcomeDeferred, due, "daily_cap", err.Error()
			j.complete(m, err)
			return false
		}
		if err != nil {
			return j.throttleFailed(wait, m, err)
		}
	}
	if keys := s.rateKeys(j, m); len(keys) > 0 {
		t0 := time.Now()
		if err := s.limiter.Wait(wait, keys, segs, j.lane); err != nil {
			return j.throttleFailed(wait, m, err)
		}
		s.tel.throttled(j.ctx, &j.rec.Notification, time.Since(t0))
	}
	return true
}

// throttleFailed handles a throttle error: a stop or deadline gives the row
// back; anything else fails it.
func (j *job) throttleFailed(wait context.Context, m *Message, err error) bool {
	if wait.Err() != nil || errors.Is(err, throttle.ErrDeadline) {
		j.giveBack(m)
		return false
	}
	err = fmt.Errorf("%w: %w", ErrThrottle, err)
	m.Outcome, m.Reason, m.Detail = OutcomeFailed, "throttle", err.Error()
	j.complete(m, err)
	return false
}

// lookup asks the provider for the line type of a row compliance allows; a
// number that cannot receive texts is invalid. A failed lookup sends anyway
// or defers the row, as WithLookupFailure says.
func (j *job) lookup(wait context.Context, m *Message) bool {
	info, err := j.s.lookuper.Lookup(wait, m.To)
	if err != nil {
		if wait.Err() != nil {
			j.giveBack(m)
			return false
		}
		if j.s.cfg.pipe.lookupFail == LookupDefer {
			err = fmt.Errorf("%w: %w", ErrLookup, err)
			m.Outcome, m.NotBefore, m.Reason, m.Detail = OutcomeDeferred, j.s.now().Add(LookupRetryAfter), "lookup_failed", err.Error()
			j.complete(m, err)
			return false
		}
		j.s.log.Warn("notify: line type lookup failed; sending", "to", provider.MaskNumber(m.To), "err", err)
		return true
	}
	if info.Type == provider.LineUnknown || info.Type.CanReceiveSMS() {
		return true
	}
	lerr := &NumberError{Given: m.Given, Err: ErrLandline, Cause: fmt.Errorf("line type %s", info.Type)}
	m.Outcome, m.Reason, m.Detail = OutcomeInvalid, "landline", lerr.Error()
	j.complete(m, lerr)
	return false
}

// request is the compliance question for row m of n.
func (s *Service) request(n *Notification, m *Message) compliance.Request {
	return compliance.Request{
		To: m.To, From: m.From, Scope: n.Account, Campaign: n.Campaign, Topic: m.Topic,
		Kind: n.Kind, Body: m.Body, Now: s.now(), Categories: n.Categories,
	}
}

// rateKeys returns the rate-limit keys m is charged against (the daily cap
// apart).
func (s *Service) rateKeys(j *job, m *Message) []throttle.Key {
	l := s.cfg.pipe.limits
	var keys []throttle.Key
	if l.Sender != (throttle.Limit{}) {
		keys = append(keys, throttle.Key{Name: "sender:" + m.From, Limit: l.Sender})
	}
	if c := j.rec.Notification.Campaign; c != "" && l.Campaign != (throttle.Limit{}) {
		keys = append(keys, throttle.Key{Name: "campaign:" + c, Limit: l.Campaign})
	}
	return keys
}

// dailyKey returns the account's daily-cap key for the Pacific day of now.
func (s *Service) dailyKey(j *job, now time.Time) (throttle.Key, bool) {
	l := s.cfg.pipe.limits
	if l.Daily <= 0 {
		return throttle.Key{}, false
	}
	return throttle.Key{Name: throttle.DailyKey("daily:"+j.rec.Account, now), Limit: throttle.Quota(l.Daily, 24*time.Hour)}, true
}

// nextPacificDay is the start of the US Pacific calendar day after t's:
// when a daily cap (throttle.DailyKey) opens again.
func nextPacificDay(t time.Time) time.Time {
	loc := pacific()
	y, mo, d := t.In(loc).Date()
	return time.Date(y, mo, d+1, 0, 0, 0, 0, loc)
}

// pacific loads the US Pacific zone once.
var pacific = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		return time.FixedZone("PST", -8*3600)
	}
	return loc
})

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

// setPaused pauses the job; the caller holds j.mu.
func (j *job) setPaused(why string) {
	if j.paused {
		return
	}
	j.paused, j.pauseWhy = true, why
	close(j.pauseCh)
}

// sharedPoll is how often a job whose remaining rows are claimed by another
// instance looks again, so Wait returns soon after the last row is decided.
const sharedPoll = time.Second

// settle marks the notification done when every row is final, or schedules
// the next pass for the earliest deferral.
func (j *job) settle(ctx context.Context) error {
	s := j.s
	if j.isPaused() {
		return j.pauseSettle(ctx)
	}
	counts, err := s.store.Counts(ctx, j.rec.ID)
	if err != nil {
		return fmt.Errorf("notify: counts %s: %w", j.rec.ID, err)
	}
	if counts[OutcomePending] > 0 || counts[OutcomeDeferred] > 0 {
		j.mu.Lock()
		due := j.nextDue
		j.mu.Unlock()
		if due.IsZero() && counts[OutcomePending] == 0 {
			due, err = s.earliestDeferral(ctx, j.rec.ID)
			if err != nil {
				return err
			}
		}
		if due.IsZero() {
			// Pending rows this pass could not claim are held by another
			// instance sharing the outbox. Poll for them, and take over the
			// rows of an instance that stopped once their lease ends.
			if _, err := s.store.Recover(ctx, s.now()); err != nil {
				return fmt.Errorf("notify: recover outbox: %w", err)
			}
			due = s.now().Add(min(s.cfg.pipe.lease, sharedPoll))
		}
		s.scheduleAt(j, due)
		return nil
	}
	if !s.current(j) {
		return nil // a later job (Resume) runs the notification now
	}
	rec, err := s.store.Notification(ctx, j.rec.ID)
	if err != nil {
		return fmt.Errorf("notify: finish %s: %w", j.rec.ID, err)
	}
	if rows := sumCounts(counts); rows < rec.Total {
		// A crash interrupted the acceptance: rows are missing. The
		// notification stays pending until a Send with the same
		// IdempotencyKey adds them (finishAcceptance).
		s.log.Warn("notify: notification incomplete; repeat Send with its idempotency key to finish it",
			"notification", rec.ID, "rows", rows, "total", rec.Total)
		s.forget(j)
		return nil
	}
	if rec.State == NotificationPending {
		rec.State, rec.PauseReason, rec.UpdatedAt = NotificationDone, "", s.now()
		if err := s.store.UpdateNotification(ctx, rec); err != nil {
			return fmt.Errorf("notify: finish %s: %w", rec.ID, err)
		}
	}
	s.forget(j)
	s.log.Info("notify: notification done", "notification", rec.ID)
	return nil
}

// current reports whether j is the job registered for its notification: a
// timer or background pass of a job that was paused and then resumed (a
// new job) does nothing.
func (s *Service) current(j *job) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jobs[j.rec.ID] == j
}

// forget unregisters a job that is done or paused and wakes its waiters.
func (s *Service) forget(j *job) {
	s.mu.Lock()
	if s.jobs[j.rec.ID] == j {
		delete(s.jobs, j.rec.ID)
	}
	s.mu.Unlock()
	j.mu.Lock()
	select {
	case <-j.settled:
	default:
		close(j.settled)
	}
	j.mu.Unlock()
}

// earliestDeferral scans a notification's rows for the earliest NotBefore
// of a deferred row (used after a restart, when nothing is known yet).
func (s *Service) earliestDeferral(ctx context.Context, id string) (time.Time, error) {
	var due time.Time
	for from := 0; ; {
		ms, err := s.store.Messages(ctx, id, from, 1000)
		if err != nil {
			return time.Time{}, err
		}
		if len(ms) == 0 {
			return due, nil
		}
		for _, m := range ms {
			if m.Outcome == OutcomeDeferred && (due.IsZero() || m.NotBefore.Before(due)) {
				due = m.NotBefore
			}
		}
		from = ms[len(ms)-1].Index + 1
	}
}

// sumCounts is the number of rows counts covers.
func sumCounts(counts map[Outcome]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
