package throttle_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/heraldsms/herald/throttle"
)

// BenchmarkLimiterWaitParallel: Wait on one of 10,000 keys from every
// goroutine, each key with room (no sleeping), so the figure is the
// Limiter's own cost: lanes, the reservation and the release gate.
func BenchmarkLimiterWaitParallel(b *testing.B) {
	l := throttle.NewLimiter(throttle.NewMemoryStore())
	keys := make([][]throttle.Key, 10000)
	for i := range keys {
		keys[i] = []throttle.Key{{Name: "sender:" + strconv.Itoa(i), Limit: throttle.PerSecond(1000).WithBurst(1000)}}
	}
	var next atomic.Uint64
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := l.Wait(ctx, keys[next.Add(1)%uint64(len(keys))], 1); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
