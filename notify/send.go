package notify

import (
	"context"
	"iter"
	"time"
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
// the Service runs, and Wait returns the final report. Rows another
// instance sharing the store has claimed are waited for (and taken over if
// that instance stops), so Send never returns with rows silently pending.
//
// A notification with an IdempotencyKey already accepted returns the report
// of the first one and sends nothing again; when a crash interrupted its
// acceptance, the rows the store lacks are added and sent first.
//
// ctx bounds Send's work of accepting the notification and its wait for
// the report. Once accepted, the notification belongs to the Service: when
// ctx ends, Send returns ctx's error and the rows go on in the background.
// Stop them with Cancel or Pause.
//
// Send is SendStream over the list, with the whole list read and checked
// before anything is created, and a report with every Result.
func (s *Service) Send(ctx context.Context, n Notification) (*Report, error) {
	return s.send(ctx, n, nil, streamConfig{}, true)
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
//
// When ctx ends, SendStream reads no more of the sequence (at most one
// window of recipients is still sent) and returns ctx's error; the
// recipients read so far are the notification's. A SendStream with an
// IdempotencyKey repeated after a crash reads the sequence again and adds
// the recipients the store lacks (by position, so the sequence must yield
// the same recipients in the same order).
func (s *Service) SendStream(ctx context.Context, n Notification, recipients iter.Seq[Recipient], opts ...StreamOption) (*Report, error) {
	cfg := streamConfig{every: time.Second, window: 4096}
	for _, o := range opts {
		o(&cfg)
	}
	return s.send(ctx, n, recipients, cfg, false)
}
