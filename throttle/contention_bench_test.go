package throttle_test

import (
	"testing"

	"github.com/heraldsms/herald/throttle"
	"github.com/heraldsms/herald/throttle/throttletest"
)

// BenchmarkAdmittedUnderContention: 100 segments/s, burst 3, 1-3 segment
// messages, 32 senders with a 200 ms provider, busy goroutines on every
// CPU, 2.5 s per run, beside x/time/rate. Run with -benchtime=1x.
func BenchmarkAdmittedUnderContention(b *testing.B) {
	throttletest.BenchmarkContention(b, func(testing.TB) throttle.Store { return throttle.NewMemoryStore() })
}
