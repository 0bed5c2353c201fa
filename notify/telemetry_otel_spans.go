package notify

import (
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/trace"
)

// spanIndex maps running notification IDs to their span contexts, so a
// provider call (whose context is the Send's, not the job's) is a child of
// its notification's span. Empty unless spans are recorded.
type spanIndex struct {
	n  atomic.Int64
	mu sync.RWMutex
	m  map[string]trace.SpanContext
}

func (x *spanIndex) add(id string, sc trace.SpanContext) {
	x.mu.Lock()
	if x.m == nil {
		x.m = make(map[string]trace.SpanContext)
	}
	if _, ok := x.m[id]; !ok {
		x.n.Add(1)
	}
	x.m[id] = sc
	x.mu.Unlock()
}

func (x *spanIndex) remove(id string) {
	x.mu.Lock()
	if _, ok := x.m[id]; ok {
		delete(x.m, id)
		x.n.Add(-1)
	}
	x.mu.Unlock()
}

func (x *spanIndex) get(id string) (trace.SpanContext, bool) {
	if x.n.Load() == 0 {
		return trace.SpanContext{}, false
	}
	x.mu.RLock()
	sc, ok := x.m[id]
	x.mu.RUnlock()
	return sc, ok
}

// receiptLinkCap bounds receiptLinks: receipts usually arrive within
// seconds to minutes of the send.
const receiptLinkCap = 1 << 14

// receiptLinks remembers the span of the provider call that sent each of
// the last receiptLinkCap provider message IDs, so a receipt's span links
// to it. The oldest entry is forgotten first.
type receiptLinks struct {
	mu   sync.Mutex
	m    map[string]trace.SpanContext
	ring []string
	next int
}

func (r *receiptLinks) add(id string, sc trace.SpanContext) {
	if id == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = make(map[string]trace.SpanContext)
		r.ring = make([]string, receiptLinkCap)
	}
	if _, ok := r.m[id]; ok {
		r.m[id] = sc
		return
	}
	if old := r.ring[r.next]; old != "" {
		delete(r.m, old)
	}
	r.ring[r.next] = id
	r.next = (r.next + 1) % len(r.ring)
	r.m[id] = sc
}

func (r *receiptLinks) get(id string) (trace.SpanContext, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	sc, ok := r.m[id]
	return sc, ok
}
