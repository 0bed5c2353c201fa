package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
)

// recorder is a batcher's flush that records each batch and, while gate
// is not nil, blocks each flush until gate is closed.
type recorder struct {
	mu      sync.Mutex
	batches [][]string
	gate    chan struct{}
}

type testItem struct{ id, val string }

func (r *recorder) flush(batch []*batchCall[testItem]) {
	r.mu.Lock()
	gate := r.gate
	var got []string
	for _, c := range batch {
		got = append(got, c.item.val)
		c.err = fmt.Errorf("answer %s", c.item.val)
	}
	r.batches = append(r.batches, got)
	r.mu.Unlock()
	if gate != nil {
		<-gate
	}
}

func (r *recorder) recorded() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.batches)
}

func testKey(it *testItem) string { return it.id }

// TestBatcherLoneCall checks that a call with nobody else waiting is
// written at once, alone, and gets its own answer.
func TestBatcherLoneCall(t *testing.T) {
	r := &recorder{}
	b := newBatcher(4, testKey, r.flush)
	if err := b.do(context.Background(), testItem{"1", "a"}); err == nil || err.Error() != "answer a" {
		t.Fatalf("do: %v, want its own answer", err)
	}
	if got := r.recorded(); !slices.EqualFunc(got, [][]string{{"a"}}, slices.Equal) {
		t.Errorf("batches %v, want [[a]]", got)
	}
}

// TestBatcherGroupsWaitingCalls checks that calls arriving while a batch
// is written form the next batch (at most max of them, in arrival order),
// that each caller gets its own answer, and that a second call for a row
// already in a batch waits for the next one.
func TestBatcherGroupsWaitingCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{gate: make(chan struct{})}
		b := newBatcher(3, testKey, r.flush)
		errs := make(map[string]error)
		var mu sync.Mutex
		call := func(id, val string) {
			err := b.do(context.Background(), testItem{id, val})
			mu.Lock()
			errs[val] = err
			mu.Unlock()
		}
		go call("1", "first")
		synctest.Wait() // first is being written, held by the gate
		// Then, one at a time so that their order is known: b, c (a
		// second call for row 2), d, e.
		for _, it := range []testItem{{"2", "b"}, {"2", "c"}, {"3", "d"}, {"4", "e"}} {
			go call(it.id, it.val)
			synctest.Wait()
		}
		close(r.gate)
		synctest.Wait()
		want := [][]string{{"first"}, {"b", "d", "e"}, {"c"}}
		if got := r.recorded(); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("batches %v, want %v", got, want)
		}
		for val, err := range errs {
			if err == nil || err.Error() != "answer "+val {
				t.Errorf("call %s: %v, want its own answer", val, err)
			}
		}
		if len(errs) != 5 {
			t.Errorf("%d calls returned, want 5", len(errs))
		}
	})
}

// TestBatcherCanceledWhileQueued checks that a call whose context ends
// before it is taken into a batch returns the context's error and is never
// written, and that the calls behind it are still written, also when the
// lead is handed to the call as its context ends (then the call either
// passes the lead on and returns the context's error, or writes its batch
// and returns its answer).
func TestBatcherCanceledWhileQueued(t *testing.T) {
	for _, together := range []bool{false, true} {
		for range 20 {
			synctest.Test(t, func(t *testing.T) { testCanceledWhileQueued(t, together) })
		}
	}
}

func testCanceledWhileQueued(t *testing.T, together bool) {
	gate := make(chan struct{})
	r := &recorder{gate: gate}
	b := newBatcher(1, testKey, r.flush)
	answers := make(map[string]error)
	var mu sync.Mutex
	var wg sync.WaitGroup
	call := func(ctx context.Context, id, val string) {
		wg.Go(func() {
			err := b.do(ctx, testItem{id, val})
			mu.Lock()
			answers[val] = err
			mu.Unlock()
		})
		synctest.Wait()
	}
	ctx, cancel := context.WithCancel(context.Background())
	call(context.Background(), "1", "a") // written, held by the gate
	call(ctx, "2", "b")
	call(context.Background(), "3", "c")
	r.mu.Lock()
	r.gate = nil
	r.mu.Unlock()
	cancel()
	if !together {
		synctest.Wait() // b leaves the queue before a's batch ends
	}
	close(gate)
	wg.Wait()
	written := func(val string) bool {
		return slices.ContainsFunc(r.recorded(), func(bt []string) bool { return slices.Contains(bt, val) })
	}
	for _, val := range []string{"a", "c"} {
		if !written(val) || answers[val] == nil || answers[val].Error() != "answer "+val {
			t.Errorf("call %s: written %v, answer %v; want written and its own answer", val, written(val), answers[val])
		}
	}
	switch {
	case written("b"):
		if !together || answers["b"] == nil || answers["b"].Error() != "answer b" {
			t.Errorf("call b written (canceled while queued: %v), answer %v", !together, answers["b"])
		}
	case !errors.Is(answers["b"], context.Canceled):
		t.Errorf("call b not written, answer %v; want context.Canceled", answers["b"])
	}
	if b.leading {
		t.Error("the lead is still held with nothing queued")
	}
}

// TestBatcherCanceledBeforeCall checks that a call with a context already
// ended writes nothing.
func TestBatcherCanceledBeforeCall(t *testing.T) {
	r := &recorder{}
	b := newBatcher(4, testKey, r.flush)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.do(ctx, testItem{"1", "a"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("do: %v, want context.Canceled", err)
	}
	if got := r.recorded(); len(got) != 0 {
		t.Errorf("batches %v, want none", got)
	}
}
