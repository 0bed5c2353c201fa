package throttletest

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldsms/herald/throttle"
	"golang.org/x/time/rate"
)

// Contention benchmark figures: 100 segments per second, burst 3, messages
// of 1-3 segments, 32 senders each holding a 200 ms provider call, 2.5 s of
// real time per run while busy goroutines keep every CPU spinning.
const (
	contRate     = 100
	contBurst    = 3
	contSpan     = 2500 * time.Millisecond
	contWarmup   = 250 * time.Millisecond
	contWorkers  = 32
	contProvider = 200 * time.Millisecond
)

var contSizes = []int{1, 2, 3, 1, 1, 2}

// admission is one message let through: when Wait returned and its segments.
type admission struct {
	at time.Time
	n  int
}

// BenchmarkContention runs a throttle.Limiter over stores made by newStore
// and golang.org/x/time/rate side by side (sub-benchmarks "throttle" and
// "x-time-rate") under CPU contention, on the real clock, and reports the
// admitted rate after the initial burst as a percentage of the limit
// (admitted-%, the lowest of the runs) and the most segments seen in any
// 1 s sliding window (max-1s-window, the highest of the runs) next to
// limit+burst. Times are when Wait returned, so they include how late the
// scheduler woke each sender; max-wake-late-ms is the latest a 10 ms timer
// probe woke meanwhile: senders woken that late could bunch up to
// rate × lateness segments more into a window than their due instants
// hold, which the Limiter's release gate prevents and x/time/rate does
// not. Run it with -benchtime=1x; each run takes contSpan.
func BenchmarkContention(b *testing.B, newStore func(testing.TB) throttle.Store) {
	b.Helper()
	for _, lim := range []struct {
		name string
		wait func() func(context.Context, int) error
	}{
		{"throttle", func() func(context.Context, int) error {
			l := throttle.NewLimiter(newStore(b))
			keys := []throttle.Key{{Name: "sender:+14155550100", Limit: throttle.PerSecond(contRate).WithBurst(contBurst)}}
			return func(ctx context.Context, n int) error { return l.Wait(ctx, keys, n) }
		}},
		{"x-time-rate", func() func(context.Context, int) error {
			l := rate.NewLimiter(contRate, contBurst)
			return l.WaitN
		}},
	} {
		b.Run(lim.name, func(b *testing.B) {
			var pct, win, late []float64
			for b.Loop() {
				adm, lateness := runContended(lim.wait())
				pct = append(pct, admittedPercent(adm))
				win = append(win, float64(maxSegmentsInWindow(adm, time.Second)))
				late = append(late, float64(lateness)/float64(time.Millisecond))
			}
			b.ReportMetric(slices.Min(pct), "admitted-%")
			b.ReportMetric(slices.Max(win), "max-1s-window")
			b.ReportMetric(contRate+contBurst, "limit+burst")
			b.ReportMetric(slices.Max(late), "max-wake-late-ms")
		})
	}
}

// runContended sends for contSpan from contWorkers senders through wait
// while busy goroutines spin on every CPU, and returns the admissions and
// the latest a timer probe woke.
func runContended(wait func(context.Context, int) error) ([]admission, time.Duration) {
	var stop atomic.Bool
	var spin sync.WaitGroup
	for range 2 * runtime.GOMAXPROCS(0) {
		spin.Go(func() {
			x := 0
			for !stop.Load() {
				for i := range 10000 {
					x += i
				}
			}
			_ = x
		})
	}
	defer func() { stop.Store(true); spin.Wait() }()

	ctx, cancel := context.WithTimeout(context.Background(), contSpan)
	defer cancel()
	var (
		mu  sync.Mutex
		adm []admission
		wg  sync.WaitGroup
	)
	var late time.Duration
	wg.Go(func() { // the probe
		for ctx.Err() == nil {
			start := time.Now()
			time.Sleep(10 * time.Millisecond)
			late = max(late, time.Since(start)-10*time.Millisecond)
		}
	})
	for w := range contWorkers {
		wg.Go(func() {
			for i := w; ; i += contWorkers {
				n := contSizes[i%len(contSizes)]
				if wait(ctx, n) != nil {
					return
				}
				mu.Lock()
				adm = append(adm, admission{time.Now(), n})
				mu.Unlock()
				select { // the provider call
				case <-ctx.Done():
					return
				case <-time.After(contProvider):
				}
			}
		})
	}
	wg.Wait()
	slices.SortFunc(adm, func(a, b admission) int { return a.at.Compare(b.at) })
	return adm, late
}

// admittedPercent is the sustained rate after the warm-up (the initial
// burst) as a percentage of the limit: the least-squares slope of segments
// let through against time, which a few late wake-ups at either end barely
// move.
func admittedPercent(adm []admission) float64 {
	first := slices.IndexFunc(adm, func(a admission) bool { return a.at.Sub(adm[0].at) >= contWarmup })
	if first < 0 || len(adm)-first < 2 {
		return 0
	}
	var sx, sy, sxx, sxy, cum float64
	pts := adm[first:]
	for _, a := range pts {
		cum += float64(a.n)
		x := a.at.Sub(adm[0].at).Seconds()
		sx, sy, sxx, sxy = sx+x, sy+cum, sxx+x*x, sxy+x*cum
	}
	k := float64(len(pts))
	slope := (k*sxy - sx*sy) / (k*sxx - sx*sx)
	return 100 * slope / contRate
}

// maxSegmentsInWindow is the most segments let through in any half-open
// window [t, t+w).
func maxSegmentsInWindow(adm []admission, w time.Duration) int {
	best, sum, j := 0, 0, 0
	for i := range adm {
		for j < len(adm) && adm[j].at.Sub(adm[i].at) < w {
			sum += adm[j].n
			j++
		}
		best = max(best, sum)
		sum -= adm[i].n
	}
	return best
}
