package provider

import (
	"context"
	"fmt"
	"time"
)

// CachedLineInfo is a lookup answer and when it was obtained.
type CachedLineInfo struct {
	Info LineInfo
	At   time.Time
}

// LineInfoCache keeps lookup answers per number, in whatever store the host
// chose (notify keeps them in its Store so instances share them). Load
// reports ok false for a number it has no answer for.
type LineInfoCache interface {
	LoadLineInfo(ctx context.Context, number string) (v CachedLineInfo, ok bool, err error)
	StoreLineInfo(ctx context.Context, number string, v CachedLineInfo) error
}

// CachedLookup returns a Lookuper that answers from cache when its answer
// for the number is at most maxAge old at now(), and otherwise asks lk and
// stores the answer stamped with now(). Failed lookups are returned and
// never cached. A cache failure is returned, never hidden (a failed store
// returns the fresh answer together with the error). A nil now
// means time.Now.
func CachedLookup(lk Lookuper, cache LineInfoCache, maxAge time.Duration, now func() time.Time) Lookuper {
	if now == nil {
		now = time.Now
	}
	return &cachedLookup{lk: lk, cache: cache, maxAge: maxAge, now: now}
}

type cachedLookup struct {
	lk     Lookuper
	cache  LineInfoCache
	maxAge time.Duration
	now    func() time.Time
}

func (c *cachedLookup) Lookup(ctx context.Context, number string) (LineInfo, error) {
	v, ok, err := c.cache.LoadLineInfo(ctx, number)
	if err != nil {
		return LineInfo{}, fmt.Errorf("lookup cache: load %s: %w", MaskNumber(number), err)
	}
	t := c.now()
	if ok && t.Sub(v.At) <= c.maxAge {
		return v.Info, nil
	}
	info, err := c.lk.Lookup(ctx, number)
	if err != nil {
		return LineInfo{}, err
	}
	if err := c.cache.StoreLineInfo(ctx, number, CachedLineInfo{Info: info, At: t}); err != nil {
		return info, fmt.Errorf("lookup cache: store %s: %w", MaskNumber(number), err)
	}
	return info, nil
}
