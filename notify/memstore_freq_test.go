package notify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/heraldsms/herald/compliance"
)

// freqModel is the obvious FrequencyStore: every send in a slice.
type freqModel struct {
	sends map[string][]compliance.SendRecord
}

func (m *freqModel) count(q compliance.SendQuery) compliance.SendTally {
	var t compliance.SendTally
	for _, s := range m.sends[q.To] {
		if !s.At.After(q.Since) ||
			(q.MatchTopic && s.Topic != q.Topic) ||
			(q.Kinds != 0 && !q.Kinds.Has(s.Kind)) ||
			(q.MatchBody && s.BodyHash != q.BodyHash) {
			continue
		}
		if t.Count == 0 || s.At.Before(t.Oldest) {
			t.Oldest = s.At
		}
		t.Count++
	}
	return t
}

// checkFrames verifies the frame bookkeeping of an idle sendLog: every
// live frame's reference count is the number of packed sends in it, no
// packed send is in a freed frame, no frame is live without sends, the
// index points at live frames only, and every id handed out is either
// live or free.
func checkFrames(t *testing.T, l *sendLog) {
	t.Helper()
	refs := map[uint32]int64{}
	for i := range l.shards {
		for j := range l.shards[i].packed {
			pt := &l.shards[i].packed[j]
			n := 0
			for k := range pt.slots() {
				if _, s := pt.get(k); s.frame != 0 {
					refs[s.frame]++
					n++
				}
			}
			if n != pt.n {
				t.Fatalf("packed table with %d sends counts %d", n, pt.n)
			}
		}
	}
	ft := &l.frames
	live := 0
	for id := uint32(1); id < ft.used; id++ {
		f := ft.at(id)
		if !f.live {
			if refs[id] != 0 {
				t.Fatalf("frame %d freed with %d sends in it", id, refs[id])
			}
			continue
		}
		live++
		if refs[id] == 0 {
			t.Fatalf("frame %d live with no send in it", id)
		}
		if f.refs.Load() != refs[id] {
			t.Fatalf("frame %d: %d references, %d sends", id, f.refs.Load(), refs[id])
		}
	}
	if live+len(ft.free) != int(ft.used)-1 {
		t.Fatalf("%d live and %d free frames of %d", live, len(ft.free), ft.used)
	}
	for s, id := range ft.byShape {
		if f := ft.at(id); !f.live || f.shape != s {
			t.Fatalf("index: shape %+v -> frame %d (live %v, shape %+v)", s, id, f.live, f.shape)
		}
	}
}

// packedSends counts the sends in l's packed tables.
func packedSends(l *sendLog) (n int) {
	for i := range l.shards {
		for j := range l.shards[i].packed {
			n += l.shards[i].packed[j].n
		}
	}
	return n
}

// TestSendLogMatchesModel records random sends (few numbers, few bodies,
// times over several frame spans and retentions, some out of order) and
// compares every answer with the model. Queries look back at most one
// retention from the newest send, where forgetting changes nothing.
func TestSendLogMatchesModel(t *testing.T) {
	const retention = 2 * time.Hour
	for _, seed := range []uint64{1, 2, 3, 4} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, seed))
			l := newSendLog(retention)
			m := freqModel{sends: map[string][]compliance.SendRecord{}}
			ctx := context.Background()
			t0 := time.Date(2025, 6, 3, 12, 0, 0, 0, time.UTC)
			now := t0
			numbers := make([]string, 20000)
			for i := range numbers {
				numbers[i] = fmt.Sprintf("+1415555%04d", i)
			}
			numbers[0] = "not-e164" // kept under a hashed key
			topics := []string{"", "orders", "promos"}
			bodies := []uint64{1, 2, 1<<63 | 5, compliance.BodyHash("Sale today")}
			query := func() {
				q := compliance.SendQuery{To: numbers[rng.IntN(len(numbers))]}
				q.Since = now.Add(-time.Duration(rng.Int64N(int64(retention))))
				if rng.IntN(3) == 0 {
					q.Topic, q.MatchTopic = topics[rng.IntN(len(topics))], true
				}
				if rng.IntN(3) == 0 {
					q.Kinds = compliance.KindSet(1 + rng.IntN(3))
				}
				if rng.IntN(3) == 0 {
					q.BodyHash, q.MatchBody = bodies[rng.IntN(len(bodies))], true
				}
				got, err := l.CountSends(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if want := m.count(q); got.Count != want.Count || !got.Oldest.Equal(want.Oldest) {
					t.Fatalf("%+v: got %d oldest %v, want %d oldest %v", q, got.Count, got.Oldest, want.Count, want.Oldest)
				}
			}
			for i := range 60000 {
				// Mostly forward in small steps, sometimes a jump of hours,
				// sometimes a send a little in the past.
				step := time.Duration(rng.Int64N(int64(time.Second)))
				if rng.IntN(2000) == 0 {
					step = time.Duration(rng.Int64N(int64(8 * time.Hour)))
				}
				now = now.Add(step)
				at := now
				if rng.IntN(50) == 0 {
					at = now.Add(-time.Duration(rng.Int64N(int64(3 * time.Hour))))
				}
				r := compliance.SendRecord{
					To:       numbers[rng.IntN(len(numbers))],
					Topic:    topics[rng.IntN(len(topics))],
					Kind:     compliance.Kind(rng.IntN(2)),
					BodyHash: bodies[rng.IntN(len(bodies))],
					At:       at,
				}
				if rng.IntN(10) == 0 {
					r.BodyHash = rng.Uint64() // personalised
				}
				if err := l.RecordSend(ctx, r); err != nil {
					t.Fatal(err)
				}
				m.sends[r.To] = append(m.sends[r.To], r)
				query()
				if i%5000 == 0 {
					checkFrames(t, l)
				}
			}
			checkFrames(t, l)
			if packedSends(l) == 0 || l.frames.used == 1 {
				t.Fatalf("no send was packed (%d frames)", l.frames.used)
			}
		})
	}
}

// TestSendLogFramesFreed: a blast's frame is freed when its sends are
// forgotten, and a later blast of the same body gets a new one.
func TestSendLogFramesFreed(t *testing.T) {
	const retention = time.Hour
	l := newSendLog(retention)
	ctx := context.Background()
	t0 := time.Date(2025, 6, 3, 12, 0, 0, 0, time.UTC)
	blast := func(at time.Time, base, n int) {
		for i := range n {
			if err := l.RecordSend(ctx, compliance.SendRecord{To: fmt.Sprintf("+1415%07d", base+i), BodyHash: 7, At: at}); err != nil {
				t.Fatal(err)
			}
		}
	}
	blast(t0, 0, 20000)
	if n := packedSends(l); n != 20000-1 {
		t.Fatalf("%d of 20,000 sends packed, want all but the first", n)
	}
	if l.frames.used != 2 {
		t.Fatalf("%d frames for one blast", l.frames.used-1)
	}
	// Five hours later (past the frame's span), another blast to other
	// numbers sweeps the first one away.
	later := t0.Add(5 * time.Hour)
	blast(later, 1000000, 64*sweepEvery)
	checkFrames(t, l)
	if f := l.frames.at(1); f.live && f.base < nanosOf(t0.Add(retention)) {
		t.Fatalf("the first blast's frame is still live with %d sends", f.refs.Load())
	}
	got, err := l.CountSends(ctx, compliance.SendQuery{To: "+14150000001", Since: t0.Add(-time.Second)})
	if err != nil || got.Count != 0 {
		t.Errorf("a forgotten send still counted: %+v %v", got, err)
	}
	got, err = l.CountSends(ctx, compliance.SendQuery{To: "+14151000001", BodyHash: 7, MatchBody: true})
	if err != nil || got.Count != 1 || !got.Oldest.Equal(later) {
		t.Errorf("the second blast: %+v %v", got, err)
	}
}

// TestSendLogConcurrentBlasts records the same few bodies to overlapping
// numbers from several goroutines (frames created, shared and freed
// concurrently; run under -race) and checks the counts and the frames.
func TestSendLogConcurrentBlasts(t *testing.T) {
	l := newSendLog(time.Minute)
	ctx := context.Background()
	t0 := time.Date(2025, 6, 3, 12, 0, 0, 0, time.UTC)
	const workers, each = 4, 20000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				// Each worker's clock runs through several retentions.
				at := t0.Add(time.Duration(i) * 10 * time.Millisecond)
				r := compliance.SendRecord{To: fmt.Sprintf("+1415%07d", (w*each+i)%30000), BodyHash: uint64(i % 3), At: at}
				if err := l.RecordSend(ctx, r); err != nil {
					t.Error(err)
					return
				}
				if _, err := l.CountSends(ctx, compliance.SendQuery{To: r.To, BodyHash: r.BodyHash, MatchBody: true}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	checkFrames(t, l)
	// The last send of worker 3 is at t0 + 199.99 s, to this number.
	to := fmt.Sprintf("+1415%07d", (3*each+each-1)%30000)
	got, err := l.CountSends(ctx, compliance.SendQuery{To: to, Since: t0.Add(199 * time.Second)})
	if err != nil || got.Count < 1 {
		t.Errorf("last send: %+v %v", got, err)
	}
}

// blastHeap records a blast of one body to n numbers (all at one time, as
// under a fixed clock, or a nanosecond apart) and returns the heap bytes
// the sendLog holds per number.
func blastHeap(tb testing.TB, n int, spread bool) float64 {
	ctx := context.Background()
	t0 := time.Date(2025, 6, 3, 12, 0, 0, 0, time.UTC)
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	l := newSendLog(sendRetention)
	for i := range n {
		at := t0
		if spread {
			at = t0.Add(time.Duration(i) * 200 * time.Microsecond) // 5,000 a second
		}
		if err := l.RecordSend(ctx, compliance.SendRecord{To: "+1415" + strconv.Itoa(2000000+i), Topic: "orders", BodyHash: 42, At: at}); err != nil {
			tb.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&ms1)
	runtime.KeepAlive(l)
	return float64(ms1.HeapAlloc-ms0.HeapAlloc) / float64(n)
}

// TestSendLogBlastIsCompact: a blast of one body costs the frequency
// record about 12 bytes a number (a packed send in a table kept 70-88%
// full), against 40-80 for a map of 24-byte records.
func TestSendLogBlastIsCompact(t *testing.T) {
	for _, spread := range []bool{false, true} {
		b := blastHeap(t, 300000, spread)
		t.Logf("spread %v: %.1f heap bytes a number", spread, b)
		if b > 20 {
			t.Errorf("spread %v: %.1f bytes a number, want at most 20", spread, b)
		}
	}
}

// BenchmarkSendLogBlast records a 1,000,000-number blast per op and
// reports the heap it holds per number.
func BenchmarkSendLogBlast(b *testing.B) {
	var bytes float64
	for b.Loop() {
		bytes = blastHeap(b, 1000000, true)
	}
	b.ReportMetric(bytes, "heap-bytes/number")
}
