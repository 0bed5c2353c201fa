package notify

import (
	"context"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/heraldsms/herald/provider"
)

// gaugeProvider accepts every message after latency and records the most
// calls it had in flight at once.
type gaugeProvider struct {
	latency time.Duration
	mu      sync.Mutex
	now     int
	peak    int
	n       int
}

func (p *gaugeProvider) Send(ctx context.Context, m provider.Message) (provider.Receipt, error) {
	p.mu.Lock()
	p.now++
	p.n++
	p.peak = max(p.peak, p.now)
	id := p.n
	p.mu.Unlock()
	if p.latency > 0 {
		time.Sleep(p.latency)
	} else {
		runtime.Gosched() // let any other worker in
	}
	p.mu.Lock()
	p.now--
	p.mu.Unlock()
	return provider.Receipt{ID: "g-" + strconv.Itoa(id), Status: provider.StatusQueued}, nil
}

func (p *gaugeProvider) stats() (peak, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak, p.n
}

// TestWorkersFollowProviderLatency checks that a pass serves a fast
// provider with a few workers and a slow one with as many as the
// concurrency allows.
func TestWorkersFollowProviderLatency(t *testing.T) {
	eager := max(2, 2*runtime.GOMAXPROCS(0))
	for _, tc := range []struct {
		name     string
		latency  time.Duration
		min, max int
	}{
		{"fast", 0, 1, eager},
		{"slow", 200 * time.Millisecond, 48, 48},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := &gaugeProvider{latency: tc.latency}
				s, err := New(p, WithConcurrency(48))
				if err != nil {
					t.Fatal(err)
				}
				defer s.Shutdown(context.Background())
				rs := make([]Recipient, 500)
				for i := range rs {
					rs[i] = Recipient{To: usNumber(i)}
				}
				rep, err := s.Send(context.Background(), Notification{Recipients: rs, Body: "Your parcel is on its way"})
				if err != nil {
					t.Fatal(err)
				}
				peak, n := p.stats()
				if rep.Counts[OutcomeSent] != len(rs) || n != len(rs) {
					t.Fatalf("sent %d, provider calls %d, want %d", rep.Counts[OutcomeSent], n, len(rs))
				}
				if peak < tc.min || peak > tc.max {
					t.Errorf("%d calls in flight at most, want %d..%d", peak, tc.min, tc.max)
				}
			})
		})
	}
}
