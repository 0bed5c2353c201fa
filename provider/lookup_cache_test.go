package provider_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/heraldsms/herald/provider"
)

type countingLookuper struct {
	calls int
	info  provider.LineInfo
	err   error
}

func (c *countingLookuper) Lookup(ctx context.Context, number string) (provider.LineInfo, error) {
	c.calls++
	if c.err != nil {
		return provider.LineInfo{}, c.err
	}
	info := c.info
	info.Number = number
	return info, nil
}

type mapCache struct {
	m   map[string]provider.CachedLineInfo
	err error
}

func (c *mapCache) LoadLineInfo(ctx context.Context, number string) (provider.CachedLineInfo, bool, error) {
	if c.err != nil {
		return provider.CachedLineInfo{}, false, c.err
	}
	v, ok := c.m[number]
	return v, ok, nil
}

func (c *mapCache) StoreLineInfo(ctx context.Context, number string, v provider.CachedLineInfo) error {
	c.m[number] = v
	return nil
}

func TestCachedLookup(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	now := t0
	lk := &countingLookuper{info: provider.LineInfo{Valid: true, Type: provider.LineMobile}}
	cache := &mapCache{m: map[string]provider.CachedLineInfo{}}
	c := provider.CachedLookup(lk, cache, 24*time.Hour, func() time.Time { return now })

	for range 2 {
		info, err := c.Lookup(t.Context(), "+14155550001")
		if err != nil || info.Type != provider.LineMobile {
			t.Fatalf("info %+v err %v", info, err)
		}
	}
	if lk.calls != 1 {
		t.Errorf("provider asked %d times within the max age, want 1", lk.calls)
	}
	if got := cache.m["+14155550001"]; got.At != t0 || got.Info.Type != provider.LineMobile {
		t.Errorf("cached %+v, want the answer stamped %v", got, t0)
	}
	now = t0.Add(24*time.Hour + time.Second)
	if _, err := c.Lookup(t.Context(), "+14155550001"); err != nil || lk.calls != 2 {
		t.Errorf("after the max age: err %v, provider calls %d; want a fresh lookup", err, lk.calls)
	}

	// Errors are returned and never cached.
	lk.err = &provider.Error{Provider: "p", Class: provider.Permanent, Err: provider.ErrNoLineType}
	if _, err := c.Lookup(t.Context(), "+14155550002"); !errors.Is(err, provider.ErrNoLineType) {
		t.Errorf("err = %v, want the provider's error", err)
	}
	if _, ok := cache.m["+14155550002"]; ok {
		t.Error("a failed lookup was cached")
	}
	// A cache that fails says so instead of hiding it.
	cache.err = errors.New("store down")
	if _, err := c.Lookup(t.Context(), "+14155550001"); err == nil {
		t.Error("cache failure swallowed")
	}
}
