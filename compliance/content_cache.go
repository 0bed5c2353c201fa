package compliance

import (
	"strings"
	"sync"
)

// contentKey identifies one content check: bulk sends check the same body
// for many numbers, so results are memoised.
type contentKey struct {
	body  string
	brand string
	kind  Kind
	first bool
}

// contentResult is a memoised content check and the body hash the
// duplicate guard needs.
type contentResult struct {
	violations []Violation
	hash       uint64
}

// contentCache is bounded; when full, an arbitrary entry is evicted.
type contentCache struct {
	mu  sync.RWMutex
	m   map[contentKey]contentResult
	max int
}

func newContentCache(max int) *contentCache {
	return &contentCache{m: make(map[contentKey]contentResult), max: max}
}

// get returns the memoised result for k, computing it on a miss. Bodies
// longer than maxCachedBody are not cached.
func (c *contentCache) get(k contentKey, cp *ContentPolicy) contentResult {
	const maxCachedBody = 2048
	if len(k.body) > maxCachedBody || c.max <= 0 {
		return contentResult{violations: cp.Check(k.body, ContentContext{Kind: k.kind, First: k.first, Brand: k.brand}), hash: BodyHash(k.body)}
	}
	c.mu.RLock()
	r, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return r
	}
	r = contentResult{violations: cp.Check(k.body, ContentContext{Kind: k.kind, First: k.first, Brand: k.brand}), hash: BodyHash(k.body)}
	k.body, k.brand = strings.Clone(k.body), strings.Clone(k.brand)
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
