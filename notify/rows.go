package notify

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"sync"
	"time"

	"github.com/heraldsms/herald/internal/e164"
	"github.com/heraldsms/herald/segment"
)

// prep holds what every recipient of one notification shares while its rows
// are built: the resolved route, the parsed template, the normaliser, the
// duplicate set and the last segment measurement.
type prep struct {
	s     *Service
	n     *Notification
	route route
	tmpl  *template
	norm  *normalizer
	seen  numberSet
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
		now:   s.now(),
		topic: topic,
	}, nil
}

// parallelBuildMin is the list size from which Send drafts the rows on
// several goroutines.
const parallelBuildMin = 2048

// built is one recipient's row as read, with the typed error behind a row
// that is already final.
type built struct {
	m   Message
	err error
}

// reader reads a send's recipients in input order (n.To, n.Recipients,
// then the sequence) and builds their rows with the notification's one row
// builder (prep).
type reader struct {
	p     *prep
	to    []string
	rs    []Recipient
	next  func() (Recipient, bool) // the sequence, pulled; nil when none
	stop  func()
	index int // the next recipient's position
}

func newReader(p *prep, seq iter.Seq[Recipient]) *reader {
	r := &reader{p: p, to: p.n.To, rs: p.n.Recipients}
	if seq != nil {
		r.next, r.stop = iter.Pull(seq)
	}
	return r
}

// close stops the sequence.
func (r *reader) close() {
	if r.stop != nil {
		r.stop()
	}
}

// one reads and builds the next recipient's row; ok is false at the end.
// whole is an error that would refuse the entire notification.
func (r *reader) one(ctx context.Context) (b built, whole error, ok bool) {
	var rc Recipient
	switch listed := len(r.to) + len(r.rs); {
	case r.index < listed:
		rc = recipientAt(r.to, r.rs, r.index)
	case r.next != nil:
		if rc, ok = r.next(); !ok {
			return built{}, nil, false
		}
	default:
		return built{}, nil, false
	}
	b.err, whole = r.p.fill(ctx, &b.m, r.index, rc)
	r.index++
	return b, whole, true
}

// rowSet is rows read in input order, with the typed error behind each
// row that is already final (nil for the others).
type rowSet struct {
	rows []Message
	errs []error
}

func (h *rowSet) add(b built) {
	h.rows = append(h.rows, b.m)
	h.errs = append(h.errs, b.err)
}

// all reads every listed recipient (a Send has no sequence). A long list's
// rows are drafted on several goroutines (parsing and rendering are each
// recipient's own, and most of the work); duplicates, senders and the
// checks that refuse the whole notification follow in input order.
func (r *reader) all(ctx context.Context) (rowSet, error) {
	total := len(r.to) + len(r.rs)
	h := rowSet{rows: make([]Message, total), errs: make([]error, total)}
	if total >= parallelBuildMin {
		inParts(total, func(lo, hi int) {
			z := &normalizer{region: r.p.norm.region}
			var sc segCache
			for i := lo; i < hi; i++ {
				h.errs[i] = r.p.draft(&h.rows[i], i, recipientAt(r.to, r.rs, i), z, &sc)
			}
		})
	}
	for i := range h.rows {
		var whole error
		if total >= parallelBuildMin {
			h.errs[i], whole = r.p.finish(ctx, &h.rows[i], recipientAt(r.to, r.rs, i), h.errs[i])
		} else {
			h.errs[i], whole = r.p.fill(ctx, &h.rows[i], i, recipientAt(r.to, r.rs, i))
		}
		if whole != nil {
			return rowSet{}, whole
		}
	}
	r.index = total
	return h, nil
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
	if !p.seen.add(k) {
		err := &NumberError{Given: r.To, Err: ErrDuplicateRecipient}
		m.Body, m.Segments, m.Encoding = "", 0, ""
		m.Outcome, m.Reason, m.Detail = OutcomeDuplicate, "duplicate", err.Error()
		return err, nil
	}
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
