package notify

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/heraldsms/herald/internal/e164"
	"github.com/heraldsms/herald/segment"
)

// enqueueBatch is how many rows go to the Store in one Enqueue.
const enqueueBatch = 1000

// Send sends n to every recipient and returns a Report with one Result per
// recipient, in input order. Invalid numbers, duplicates and recipients
// missing a template value are reported and the rest still go out.
//
// Before anything is sent, Send refuses the whole notification when the
// actor may not use the contact point (resolveSend), when the body does not
// parse, and when a rendered body needs more than one segment without
// AcknowledgeMultipart or MaxSegments (*ErrNeedsAcknowledgement) or more than
// MaxSegments (*SegmentLimitError).
//
// Every recipient is written to the outbox before the first provider call.
// Send returns when every recipient is decided or deferred; deferred
// recipients (quiet hours, SendAfter) are sent later, on their own, while
// the Service runs. When several Services share one outbox (PostgreSQL),
// rows another instance has claimed may still be pending when Send returns;
// this Service takes them over if that instance stops, and Wait returns the
// final report. A notification with an IdempotencyKey already accepted
// returns the report of the first one and sends nothing again.
func (s *Service) Send(ctx context.Context, n Notification) (*Report, error) {
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
	total := len(n.To) + len(n.Recipients)
	if total == 0 {
		return nil, ErrNoRecipients
	}
	rows := make([]Message, total) // built in place: a row is large
	var drafts []error
	if total >= parallelBuildMin {
		drafts = p.draftAll(rows, n.To, n.Recipients)
	}
	results := make([]liveRow, total)
	for i := range rows {
		r := recipientAt(n.To, n.Recipients, i)
		var rerr, whole error
		if drafts != nil {
			rerr, whole = p.finish(ctx, &rows[i], r, drafts[i])
		} else {
			rerr, whole = p.fill(ctx, &rows[i], i, r)
		}
		if whole != nil {
			return nil, whole
		}
		if rows[i].Outcome.Final() || rows[i].Outcome == OutcomeDeferred {
			results[i] = liveRow{r: resultOf(&rows[i], rerr), cost: s.cost(&rows[i]), enc: rows[i].Encoding}
		}
	}
	rec, created, err := s.create(ctx, p, total)
	if err != nil {
		return nil, err
	}
	for k := range rows {
		rows[k].NotificationID = rec.ID
	}
	for k := range results {
		if results[k].enc != "" || results[k].r.Outcome != OutcomePending {
			results[k].r.MessageID = rec.ID + "/" + strconv.Itoa(k)
		}
	}
	if !created {
		added, err := s.finishAcceptance(ctx, rec, rows)
		if err != nil {
			return nil, err
		}
		if !added {
			return s.replay(ctx, rec)
		}
		j := s.jobFor(rec)
		runErr := j.run(ctx, nil)
		rep, err := s.report(ctx, j)
		if err != nil {
			return nil, err
		}
		rep.Replayed = true
		return rep, runErr
	}
	if s.tel.otel != nil {
		// Rows decided at acceptance (bad numbers, duplicates, missing
		// values) count like every other decision.
		for i := range rows {
			if rows[i].Outcome.Final() {
				s.tel.decided(ctx, &rec.Notification, &rows[i])
			}
		}
	}
	for k := 0; k < len(rows); k += enqueueBatch {
		if err := s.store.Enqueue(ctx, rows[k:min(k+enqueueBatch, len(rows))]); err != nil {
			return nil, fmt.Errorf("notify: enqueue %s: %w", rec.ID, err)
		}
	}
	rows = nil
	j := s.newJob(rec)
	j.mu.Lock()
	j.results = results
	j.mu.Unlock()
	j.start = started
	spanCtx, end := s.tel.notificationStarted(ctx, rec)
	j.ctx = context.WithoutCancel(spanCtx)
	s.log.Info("notify: sending", "notification", rec.ID, "recipients", total, "topic", rec.Topic)
	runErr := j.run(ctx, nil)
	if runErr == nil {
		runErr = s.awaitOthers(ctx, rec.ID)
	}
	rep, err := s.report(ctx, j)
	if err != nil {
		end(nil, err)
		return nil, err
	}
	rep.StartedAt = started
	end(rep, runErr)
	return rep, runErr
}

// enter registers a call Shutdown waits for; false after Shutdown.
func (s *Service) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

// prep holds what every recipient of one notification shares while its rows
// are built: the resolved route, the parsed template, the normaliser, the
// duplicate set and the last segment measurement.
type prep struct {
	s     *Service
	n     *Notification
	route route
	tmpl  *template
	norm  *normalizer
	seen  map[uint64]struct{}
	sc    segCache
	now   time.Time
	topic string
	id    string
	dry   bool // Plan: record nothing
}

type segInfo struct {
	text string // the rendered body measured
	body string // the body to send (smart-encoded when that changed it)
	a    segment.Analysis
}

// preflight runs the checks that refuse a whole notification before any
// recipient is looked at.
func (s *Service) preflight(ctx context.Context, n *Notification) (*prep, error) {
	return s.preflightMode(ctx, n, false)
}

// preflightMode is preflight; dry (for Plan) writes nothing to the store:
// the topic is checked but not created, the sender not claimed, and sticky
// senders are read but not recorded.
func (s *Service) preflightMode(ctx context.Context, n *Notification, dry bool) (*prep, error) {
	rt, err := s.resolveSend(ctx, n, dry)
	if err != nil {
		return nil, err
	}
	if n.Body == "" {
		return nil, ErrEmptyBody
	}
	if err := checkNotification(n); err != nil {
		return nil, err
	}
	t, err := s.tmpls.get(n.Body, s.cfg.pipe.snippets)
	if err != nil {
		return nil, err
	}
	if t.static != "" && t.static != n.Body {
		if err := segment.Validate(t.static); err != nil { // a snippet's text
			return nil, &BodyError{Err: err}
		}
	}
	topic := n.Topic
	if topic == "" {
		topic = DefaultTopic
	}
	return &prep{
		s: s, n: n, route: rt, tmpl: t, dry: dry,
		norm:  &normalizer{region: s.cfg.pipe.region},
		seen:  make(map[uint64]struct{}),
		now:   s.now(),
		topic: topic,
	}, nil
}

// parallelBuildMin is the list size from which Send builds the rows on
// several goroutines. Parsing the number and rendering and measuring the
// body are each recipient's own, and most of the work; duplicates, senders
// and the checks that refuse the whole notification follow in input order.
const parallelBuildMin = 2048

// draftAll drafts rows[i] for every recipient (the numbers of to, then
// rs) on up to GOMAXPROCS goroutines, each with its own normaliser, and
// returns the drafts' errors by index.
func (p *prep) draftAll(rows []Message, to []string, rs []Recipient) []error {
	errs := make([]error, len(rows))
	inParts(len(rows), func(lo, hi int) {
		z := &normalizer{region: p.norm.region}
		var sc segCache
		for i := lo; i < hi; i++ {
			errs[i] = p.draft(&rows[i], i, recipientAt(to, rs, i), z, &sc)
		}
	})
	return errs
}

// inParts runs f over [0, total) split in consecutive parts, one goroutine
// each, up to GOMAXPROCS of them and none smaller than half of
// parallelBuildMin, and waits for them.
func inParts(total int, f func(lo, hi int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), (total+parallelBuildMin/2-1)/(parallelBuildMin/2)))
	chunk := (total + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < total; lo += chunk {
		wg.Go(func() { f(lo, min(lo+chunk, total)) })
	}
	wg.Wait()
}

// recipientAt returns recipient i of a notification: the numbers of to,
// then rs.
func recipientAt(to []string, rs []Recipient, i int) Recipient {
	if i < len(to) {
		return Recipient{To: to[i]}
	}
	return rs[i-len(to)]
}

// segCache remembers the last body measured, for lists that share one
// text. Personalised bodies are measured each time: measuring costs about
// what a cache lookup would.
type segCache struct {
	si segInfo
	ok bool
}

// analyze measures body (with smart encoding when smart is set).
func (c *segCache) analyze(smart bool, body string) segInfo {
	if c.ok && c.si.text == body {
		return c.si
	}
	si := segInfo{text: body, body: body}
	if smart {
		si.a = segment.Analyze(body, segment.WithSmartEncoding())
		if si.a.Transformed {
			si.body, _ = segment.Normalize(body, segment.WithSmartEncoding())
		}
	} else {
		si.a = segment.Analyze(body)
	}
	c.si, c.ok = si, true
	return si
}

// row builds the outbox row of recipient i. rerr is the typed error behind
// a row that is already final (invalid, duplicate, failed); whole is an
// error that refuses the entire notification.
func (p *prep) row(ctx context.Context, i int, r Recipient) (m Message, rerr, whole error) {
	rerr, whole = p.fill(ctx, &m, i, r)
	return m, rerr, whole
}

// fill is row, building the row in *m.
func (p *prep) fill(ctx context.Context, m *Message, i int, r Recipient) (rerr, whole error) {
	return p.finish(ctx, m, r, p.draft(m, i, r, p.norm, &p.sc))
}

// draft builds the parts of row i that depend on its recipient alone: the
// number and the body. It returns the number's error (the row is then
// final and invalid) or the body's (a missing variable, which finish
// applies after the duplicate check).
func (p *prep) draft(m *Message, i int, r Recipient, z *normalizer, sc *segCache) error {
	n := p.n
	given := r.To
	if len(given) > MaxNumberBytes {
		given = shorten(given) // not a number; kept short in the history
	}
	*m = Message{
		NotificationID: p.id,
		Index:          i,
		Account:        n.Account,
		Topic:          p.topic,
		Given:          given,
		Metadata:       n.Metadata,
		CreatedAt:      p.now,
		UpdatedAt:      p.now,
	}
	to, err := z.normalize(r.To)
	if err != nil {
		m.Outcome, m.Reason, m.Detail = OutcomeInvalid, "invalid_number", err.Error()
		return err
	}
	m.To = to
	body, err := p.tmpl.render(r.Vars, r.To)
	if err != nil {
		return err
	}
	if p.tmpl.static == "" {
		// A value may bring what the template did not have.
		if err := segment.Validate(body); err != nil {
			return &BodyError{Recipient: r.To, Err: err}
		}
	}
	si := sc.analyze(p.s.cfg.pipe.smart, body)
	m.Body, m.Segments, m.Encoding = si.body, si.a.Segments, si.a.Encoding.String()
	return nil
}

// finish completes a drafted row in input order: the duplicate check, a
// missing variable, the segment checks, the sender, the emoji ban and
// SendAfter.
func (p *prep) finish(ctx context.Context, m *Message, r Recipient, derr error) (rerr, whole error) {
	n := p.n
	if m.Outcome == OutcomeInvalid {
		return derr, nil
	}
	k, _ := e164.Key(m.To) // a normalised number: always E.164
	if _, dup := p.seen[k]; dup {
		err := &NumberError{Given: r.To, Err: ErrDuplicateRecipient}
		m.Body, m.Segments, m.Encoding = "", 0, ""
		m.Outcome, m.Reason, m.Detail = OutcomeDuplicate, "duplicate", err.Error()
		return err, nil
	}
	p.seen[k] = struct{}{}
	var be *BodyError
	if errors.As(derr, &be) {
		m.Body, m.Segments, m.Encoding = "", 0, ""
		m.Outcome, m.Reason, m.Detail = OutcomeFailed, "invalid_body", derr.Error()
		return derr, nil
	}
	if derr != nil {
		m.Outcome, m.Reason, m.Detail = OutcomeFailed, "missing_variable", derr.Error()
		return derr, nil
	}
	if p.refuses(m.Segments) {
		// Measured again for the refusal's details.
		body, _ := p.tmpl.render(r.Vars, r.To)
		if err := p.checkSegments(p.sc.analyze(p.s.cfg.pipe.smart, body), r.To, body); err != nil {
			return nil, err
		}
	}
	from, err := p.s.senderFor(ctx, p.route, n.Account, m.To, p.dry)
	if err != nil {
		err = fmt.Errorf("%w: %w", ErrNoSender, err)
		m.Outcome, m.Reason, m.Detail = OutcomeFailed, "no_sender", err.Error()
		return err, nil
	}
	m.From = from
	if len(p.s.cfg.pipe.noEmoji) > 0 && p.s.cfg.pipe.noEmoji[from] && m.Encoding == segment.UCS2.String() {
		if r, off, ok := findEmoji(m.Body); ok {
			err := &EmojiError{Sender: from, Emoji: r, Offset: off}
			m.Outcome, m.Reason, m.Detail = OutcomeFailed, "emoji_not_allowed", err.Error()
			return err, nil
		}
	}
	if n.SendAfter.After(p.now) {
		m.Outcome, m.NotBefore, m.Reason = OutcomeDeferred, n.SendAfter, "send_after"
		m.Detail = ErrScheduled.Error() + " " + n.SendAfter.Format(time.RFC3339)
	}
	return nil, nil
}

// refuses reports whether a body of segs segments refuses the whole
// notification (checkSegments says why).
func (p *prep) refuses(segs int) bool {
	n := p.n
	return segs > segment.MaxParts || n.MaxSegments > 0 && segs > n.MaxSegments || segs > 1 && n.MaxSegments == 0 && !n.AcknowledgeMultipart
}

// checkSegments refuses a multipart body the notification did not
// acknowledge.
func (p *prep) checkSegments(si segInfo, given, body string) error {
	n := p.n
	a := si.a
	switch {
	case a.Segments > segment.MaxParts:
		return &BodyError{Recipient: given, Err: a.CheckParts()}
	case n.MaxSegments > 0 && a.Segments > n.MaxSegments:
		return &SegmentLimitError{Segments: a.Segments, Max: n.MaxSegments, Recipient: given}
	case a.Segments > 1 && n.MaxSegments == 0 && !n.AcknowledgeMultipart:
		e := &ErrNeedsAcknowledgement{Segments: a.Segments, Encoding: a.Encoding.String(), Smart: a.Segments, Recipient: given}
		if a.Encoding == segment.UCS2 {
			seen := map[rune]bool{}
			for _, c := range segment.UCS2Chars(si.body) {
				if !seen[c.Rune] {
					seen[c.Rune] = true
					e.UCS2 = append(e.UCS2, c.Rune)
				}
			}
			e.Smart = segment.Analyze(body, segment.WithSmartEncoding()).Segments
		}
		return e
	}
	return nil
}

// findEmoji returns the first emoji-like rune of s.
func findEmoji(s string) (rune, int, bool) {
	for i, r := range s {
		if r >= 0x1F000 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF || r == 0xFE0F {
			return r, i, true
		}
	}
	return 0, 0, false
}

// create stores the notification record (or finds the one with the same
// idempotency key).
func (s *Service) create(ctx context.Context, p *prep, total int) (NotificationRecord, bool, error) {
	n := *p.n
	n.To, n.Recipients = nil, nil
	now := s.now()
	rec := NotificationRecord{
		ID:             newID("ntf"),
		Account:        n.Account,
		Topic:          p.topic,
		IdempotencyKey: n.IdempotencyKey,
		Notification:   n,
		State:          NotificationPending,
		Total:          total,
		CreatedAt:      now,
		UpdatedAt:      now,
	}
	got, created, err := s.store.CreateNotification(ctx, rec)
	if err != nil {
		return NotificationRecord{}, false, fmt.Errorf("notify: create notification: %w", err)
	}
	p.id = got.ID
	return got, created, nil
}

// replay answers a repeated Send with the same idempotency key: it waits
// for this instance's first pass over it, if running, and reports what the
// store holds, marked Replayed. Nothing is sent again.
func (s *Service) replay(ctx context.Context, rec NotificationRecord) (*Report, error) {
	s.mu.Lock()
	j := s.jobs[rec.ID]
	s.mu.Unlock()
	if j != nil {
		select {
		case <-j.firstPass:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if j == nil {
		j = &job{s: s, rec: rec}
	}
	rep, err := s.report(ctx, j)
	if rep != nil {
		rep.Replayed = true
	}
	return rep, err
}
