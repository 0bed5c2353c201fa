package sqlstore

import (
	"context"
	"slices"
	"sync"
)

// batcher groups concurrent calls of one kind (MarkSending, Complete,
// RecordSend) into batches written with one statement or one transaction,
// as River's batched completer does, without a goroutine of its own: the
// first caller to arrive while no batch is being written leads, writes
// every call queued so far (at most max) and hands the lead to the first
// call still queued, if any; every other caller waits for its own answer.
// So a lone caller writes at once, alone, and calls that arrive while a
// batch is being written form the next batch: the batches grow with the
// load and never wait on a timer.
type batcher[T any] struct {
	max int
	// key identifies an item's row: a batch never holds two items of one
	// row, which waits for the next batch, so each item's statement sees
	// the row as the previous one left it.
	key func(*T) string
	// flush writes the batch and sets every call's err. It runs on the
	// leader's goroutine and must not use the leader's context: the batch
	// carries other callers' writes.
	flush func(batch []*batchCall[T])

	mu      sync.Mutex
	queue   []*batchCall[T]
	leading bool // a leader is writing a batch or has been handed the lead
}

// batchCall is one caller's item and, once its batch is written, its
// answer.
type batchCall[T any] struct {
	item T
	err  error
	// sig receives sigDone when the answer is set, or sigLead when the call
	// must lead the next batch.
	sig chan batchSignal
}

type batchSignal uint8

const (
	sigDone batchSignal = iota + 1
	sigLead
)

// newBatcher returns a batcher writing at most max items per batch.
func newBatcher[T any](max int, key func(*T) string, flush func([]*batchCall[T])) *batcher[T] {
	return &batcher[T]{max: max, key: key, flush: flush}
}

// do queues item and returns its answer once its batch is written. When
// ctx ends before the item is taken into a batch, do returns ctx.Err() and
// the item is not written; once taken, do waits for the batch's answer.
func (b *batcher[T]) do(ctx context.Context, item T) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c := &batchCall[T]{item: item, sig: make(chan batchSignal, 1)}
	b.mu.Lock()
	b.queue = append(b.queue, c)
	lead := !b.leading
	b.leading = true
	b.mu.Unlock()
	if lead {
		b.lead()
	}
	for {
		select {
		case s := <-c.sig:
			if s == sigDone {
				return c.err
			}
			b.lead()
		case <-ctx.Done():
			if b.leave(c) {
				return ctx.Err()
			}
			// Taken into a batch already: wait for its answer.
			ctx = context.Background()
		}
	}
}

// leave takes c out of the queue and reports whether it was still there.
// A lead handed to c meanwhile passes on to the next queued call.
func (b *batcher[T]) leave(c *batchCall[T]) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	i := slices.Index(b.queue, c)
	if i < 0 {
		return false
	}
	b.queue = slices.Delete(b.queue, i, i+1)
	select {
	case <-c.sig: // only a lead can be pending for a queued call
		b.handOffLocked()
	default:
	}
	return true
}

// lead writes one batch of the queue (which starts with the leader's own
// call), answers its calls and hands the lead on.
func (b *batcher[T]) lead() {
	b.mu.Lock()
	batch := b.takeLocked()
	b.mu.Unlock()
	b.flush(batch)
	for _, c := range batch {
		c.sig <- sigDone
	}
	b.mu.Lock()
	b.handOffLocked()
	b.mu.Unlock()
}

// takeLocked removes the next batch from the queue: up to max calls in
// arrival order, skipping (and keeping queued) a second call for a row
// already in the batch.
func (b *batcher[T]) takeLocked() []*batchCall[T] {
	n := min(len(b.queue), b.max)
	batch := make([]*batchCall[T], 0, n)
	var seen map[string]bool
	if b.key != nil && n > 1 {
		seen = make(map[string]bool, n)
	}
	rest := b.queue[:0]
	for _, c := range b.queue {
		if len(batch) == b.max {
			rest = append(rest, c)
			continue
		}
		if seen != nil {
			k := b.key(&c.item)
			if seen[k] {
				rest = append(rest, c)
				continue
			}
			seen[k] = true
		}
		batch = append(batch, c)
	}
	clear(b.queue[len(rest):])
	b.queue = rest
	return batch
}

// handOffLocked passes the lead to the first queued call, or ends it when
// none is queued.
func (b *batcher[T]) handOffLocked() {
	if len(b.queue) == 0 {
		b.leading = false
		return
	}
	b.queue[0].sig <- sigLead
}
