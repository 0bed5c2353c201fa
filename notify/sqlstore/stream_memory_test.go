package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

// TestStreamMemoryOnSQLite streams to 20,000 recipients (HERALD_STREAM_N
// sets another count; the figure is 1,000,000) through a SQLite
// file with the default components, sampling the heap: it must stay under
// 300 MB, and the second half of the stream may need more heap than the
// first only for the stream's duplicate check (24 bytes a recipient at
// most): nothing else grows with the list. 1M measured: peak 83.2 MB,
// first half 55.6 MB, 4,848 sends/s.
//
//	HERALD_STREAM_N=1000000 go test -run TestStreamMemoryOnSQLite -v ./notify/sqlstore/
func TestStreamMemoryOnSQLite(t *testing.T) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("HERALD_STREAM_N")); err == nil && v > 0 {
		n = v
	}
	st, _ := openSQLite(t)
	fp := &countingProvider{} // fake.Provider keeps every message: not Herald's memory
	day := time.Date(2026, 3, 2, 19, 0, 0, 0, time.UTC)
	svc, err := notify.New(fp, notify.WithStore(st), notify.WithClock(func() time.Time { return day }),
		notify.WithReputationGuard(notify.Thresholds{}))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Shutdown(context.Background())
	seq := func(yield func(notify.Recipient) bool) {
		for i := range n {
			if !yield(notify.Recipient{To: fmt.Sprintf("+1415%07d", 2000000+i)}) {
				return
			}
		}
	}
	runtime.GC()
	var mu sync.Mutex
	var peak, firstHalf uint64
	sample := func(p notify.Progress) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		defer mu.Unlock()
		peak = max(peak, ms.HeapAlloc)
		if p.Done <= n/2 {
			firstHalf = max(firstHalf, ms.HeapAlloc)
		}
	}
	start := time.Now()
	rep, err := svc.SendStream(context.Background(), notify.Notification{From: "+14155550100", Body: "Your order shipped"},
		seq, notify.WithTotal(n), notify.OnProgress(sample), notify.ProgressEvery(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts[notify.OutcomeSent] != n {
		t.Fatalf("counts %v", rep.Counts)
	}
	el := time.Since(start)
	if path := os.Getenv("HERALD_HEAP_PROFILE"); path != "" {
		runtime.GC()
		if f, err := os.Create(path); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	t.Logf("%d recipients on SQLite in %v (%.0f sends/s): peak sampled HeapAlloc %.1f MB (first half %.1f MB)",
		n, el.Round(time.Millisecond), float64(n)/el.Seconds(), float64(peak)/1e6, float64(firstHalf)/1e6)
	if peak > 300e6 {
		t.Errorf("peak heap %.1f MB, want < 300 MB", float64(peak)/1e6)
	}
	// Flat but for the stream's duplicate check, which must remember every
	// number it read (8 bytes a slot, at most 16 a number, and the old
	// table while it doubles: 24 a number at worst): the second half may
	// add that and GC slack, nothing else that grows with the list.
	if firstHalf > 0 && peak > firstHalf*5/4+8e6+24*uint64(n) {
		t.Errorf("heap grew with the list: first half %.1f MB, whole %.1f MB", float64(firstHalf)/1e6, float64(peak)/1e6)
	}
}

// countingProvider accepts every message and only counts them.
type countingProvider struct{ n atomic.Int64 }

func (p *countingProvider) Send(_ context.Context, m provider.Message) (provider.Receipt, error) {
	return provider.Receipt{ID: "c-" + strconv.FormatInt(p.n.Add(1), 10), Status: provider.StatusQueued}, nil
}
