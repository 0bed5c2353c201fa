package notify

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/heraldsms/herald/throttle"
)

// passes runs a pass, and more while rows it lost to an ended lease wait
// to be taken again.
func (j *job) passes(halt <-chan struct{}, feed *rowFeed) error {
	ctx := context.Background()
	err := j.pass(ctx, halt, feed)
	for err == nil && j.retake.Swap(0) > 0 && !isClosed(halt) && !j.s.stopping() {
		err = j.pass(ctx, halt, nil)
	}
	return err
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
//
// halt is closed when the job is paused or canceled: the pass stops
// claiming, and its workers give back the rows not yet at the provider.
func (j *job) pass(ctx context.Context, halt <-chan struct{}, feed *rowFeed) error {
	s := j.s
	wait, cancel := s.haltContext(ctx, halt)
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
		if wait.Err() != nil {
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
