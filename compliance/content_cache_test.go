package compliance

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestContentCacheAdmitsRepeatedBodies(t *testing.T) {
	cp := NewContentPolicy()
	c := newContentCache(16)
	once := contentKey{body: "Order 4417 arrives Tue, see bit.ly/x", kind: Service}
	want := cp.Check(once.body, ContentContext{Kind: Service})
	if len(want) == 0 {
		t.Fatal("test body should have a violation")
	}
	got := c.get(once, ContentContext{Kind: Service}, cp)
	if diff := cmp.Diff(want, got.violations); diff != "" {
		t.Fatalf("first check (-want +got):\n%s", diff)
	}
	if got.hash != BodyHash(once.body) {
		t.Errorf("hash = %x, want %x", got.hash, BodyHash(once.body))
	}
	if len(c.m) != 0 {
		t.Errorf("a body seen once is cached: %d entries", len(c.m))
	}
	got = c.get(once, ContentContext{Kind: Service}, cp)
	if diff := cmp.Diff(want, got.violations); diff != "" {
		t.Fatalf("second check (-want +got):\n%s", diff)
	}
	if _, ok := c.m[once]; !ok {
		t.Error("a body seen twice is not cached")
	}
	got = c.get(once, ContentContext{Kind: Service}, cp)
	if diff := cmp.Diff(want, got.violations); diff != "" {
		t.Fatalf("cached check (-want +got):\n%s", diff)
	}
	// Many personalised bodies leave the cached one in place.
	for i := range 100 {
		b := "Order " + strconv.Itoa(i) + " arrives Tue"
		if r := c.get(contentKey{body: b, kind: Service}, ContentContext{Kind: Service}, cp); r.hash != BodyHash(b) || len(r.violations) != 0 {
			t.Fatalf("check of %q = %+v", b, r)
		}
	}
	if _, ok := c.m[once]; !ok || len(c.m) != 1 {
		t.Errorf("cache holds %d entries after one-off bodies, want the repeated one only", len(c.m))
	}
}
