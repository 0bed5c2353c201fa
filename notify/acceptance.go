package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"
)

// othersPoll is how often Send looks whether rows other instances hold
// are decided.
const othersPoll = 50 * time.Millisecond

// awaitOthers waits until no row of notification id is pending: rows
// another instance sharing the store claimed are decided there (or taken
// over here when its lease ends), so Send never returns with rows silently
// pending. Deferred rows do not count: they are decided later.
func (s *Service) awaitOthers(ctx context.Context, id string) error {
	for {
		counts, err := s.store.Counts(ctx, id)
		if err != nil {
			return err
		}
		if counts[OutcomePending] == 0 {
			return nil
		}
		if cur, err := s.store.Notification(ctx, id); err == nil && cur.State != NotificationPending {
			return nil // paused or canceled: the report says so
		}
		t := time.NewTimer(othersPoll)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-s.stop:
			t.Stop()
			return nil
		}
	}
}

// sendAgain answers a send whose idempotency key was accepted before.
// When a crash interrupted that acceptance (fewer rows than its Total, or a
// stream that never recorded its Total), the rows the store lacks are built
// again from this send (same input, same positions), added, and sent with
// the rest; otherwise nothing is sent and the first report is replayed.
func (s *Service) sendAgain(ctx context.Context, rec NotificationRecord, rd *reader, head rowSet, list bool) (*Report, error) {
	counts, err := s.store.Counts(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	switch rows := sumCounts(counts); {
	case rec.Total >= 0 && rows >= rec.Total:
		return s.replay(ctx, rec) // complete
	case rec.Total >= 0 && list && rec.Total != len(head.rows):
		return s.replay(ctx, rec) // not the same list
	}
	have, err := s.storedIndexes(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	j := s.jobFor(rec)
	a := &acceptor{s: s, j: j, rec: rec, wait: ctx, feed: &rowFeed{more: make(chan struct{}, 1)}}
	before := len(have)
	keep := func(m *Message) bool { return m.Index >= len(have) || !have[m.Index] }
	prodErr := a.accept(head, keep)
	for prodErr == nil && !list {
		b, ok := rd.after(ctx)
		if !ok {
			break
		}
		if keep(&b.m) {
			prodErr = a.push(b)
		}
	}
	prodErr = cmp.Or(prodErr, a.flush())
	if prodErr == nil && rec.Total < 0 {
		rec.Total = rd.index
		prodErr = s.updateTotal(ctx, rec)
	}
	if prodErr == nil {
		prodErr = s.setState(ctx, rec.ID, "", NotificationPending, NotificationDone) // done before its rows arrived
	}
	a.feed.finish()
	if prodErr != nil {
		return nil, fmt.Errorf("notify: finish acceptance of %s: %w", rec.ID, prodErr)
	}
	s.log.Info("notify: finished an interrupted acceptance", "notification", rec.ID, "added", a.accepted, "had", before)
	a.startRun()
	runErr := j.await(ctx, a.asked)
	for errors.Is(runErr, errJobEnded) {
		// The job that was running it ended as the rows arrived: a new
		// owner takes them.
		if s.stopping() {
			runErr = ErrClosed
			break
		}
		j = s.jobFor(rec)
		runErr = j.send(ctx, command{kind: cmdRun})
	}
	if runErr == nil {
		runErr = s.awaitOthers(ctx, rec.ID)
	}
	rep, err := s.report(ctx, j)
	if err != nil {
		return nil, err
	}
	rep.Replayed = true
	return rep, runErr
}

// storedIndexes returns which positions of notification id the outbox
// holds.
func (s *Service) storedIndexes(ctx context.Context, id string) ([]bool, error) {
	var have []bool
	for from := 0; ; {
		ms, err := s.store.Messages(ctx, id, from, 1000)
		if err != nil {
			return nil, err
		}
		if len(ms) == 0 {
			return have, nil
		}
		for i := range ms {
			ix := ms[i].Index
			if ix < 0 {
				continue
			}
			for len(have) <= ix {
				have = append(have, false)
			}
			have[ix] = true
		}
		from = ms[len(ms)-1].Index + 1
	}
}

// jobFor returns the job running rec on this instance, or registers one
// and starts its owner.
func (s *Service) jobFor(rec NotificationRecord) *job {
	s.mu.Lock()
	j := s.jobs[rec.ID]
	s.mu.Unlock()
	if j != nil {
		return j
	}
	return s.newJob(rec)
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
