package compliance

import (
	"strings"
	"sync"
	"sync/atomic"
)

// contentKey identifies one content check: bulk sends check the same body
// for many numbers, so results are memoised.
type contentKey struct {
	body     string
	brand    string
	kind     Kind
	first    bool
	declared string // Request.Categories joined; the policy-wide context is fixed
}

// contentResult is a memoised content check and the body hash the
// duplicate guard needs.
type contentResult struct {
	violations []Violation
	hash       uint64
}

// contentCache is bounded; when full, an arbitrary entry is evicted.
//
// A body enters the cache only the second time it is seen (a "doorkeeper"
// of recently seen body hashes decides): personalised bodies, each checked
// once, would otherwise take the write lock, copy the body and evict a
// useful entry on every check, which costs more than the check itself and
// makes concurrent workers contend. A body sent to many numbers is cached
// from its second check on. The cache only memoises: every check returns
// what ContentPolicy.Check returns for the body.
type contentCache struct {
	mu   sync.RWMutex
	m    map[contentKey]contentResult
	max  int
	seen []atomic.Uint64 // doorkeeper: body hashes seen once, by hash slot
}

func newContentCache(max int) *contentCache {
	c := &contentCache{m: make(map[contentKey]contentResult), max: max}
	if max > 0 {
		c.seen = make([]atomic.Uint64, doorkeeperSize)
	}
	return c
}

// doorkeeperSize is the number of doorkeeper slots (a power of two).
const doorkeeperSize = 1024

// admit reports whether a body with hash h was seen recently, and records
// it as seen otherwise. A collision only makes a body wait one more check
// to be cached, or lets it in one check early.
func (c *contentCache) admit(h uint64) bool {
	slot := &c.seen[h&(doorkeeperSize-1)]
	if slot.Load() == h {
		return true
	}
	slot.Store(h)
	return false
}

// get returns the memoised result for k, computing it on a miss. Bodies
// longer than maxCachedBody are not cached.
func (c *contentCache) get(k contentKey, cc ContentContext, cp *ContentPolicy) contentResult {
	const maxCachedBody = 2048
	if len(k.body) > maxCachedBody || c.max <= 0 {
		return contentResult{violations: cp.Check(k.body, cc), hash: BodyHash(k.body)}
	}
	c.mu.RLock()
	r, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return r
	}
	r = contentResult{violations: cp.Check(k.body, cc), hash: BodyHash(k.body)}
	if !c.admit(r.hash) {
		return r
	}
	k.body, k.brand, k.declared = strings.Clone(k.body), strings.Clone(k.brand), strings.Clone(k.declared)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		for old := range c.m {
			delete(c.m, old)
			break
		}
	}
	c.m[k] = r
	return r
}
