package notify

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

var bigFlag = flag.Bool("herald.big", false, "run the 1,000,000-recipient streaming memory test")

// noon is a weekday midday in the US, inside every quiet-hours window.
var noon = time.Date(2025, 6, 3, 18, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return noon }

// benchRecipients returns n distinct E.164 recipients with template values.
func benchRecipients(base, n int) []Recipient {
	rs := make([]Recipient, n)
	for i := range rs {
		rs[i] = Recipient{To: usNumber(base + i), Vars: map[string]string{"order": strconv.Itoa(4000 + i)}}
	}
	return rs
}

const benchBody = "Order {{order}} arrives Tuesday."

// BenchmarkSendPerRecipient measures the whole pipeline per recipient (fake
// provider, no throttle, E.164 numbers, templated body): ns/op is wall time,
// cpu-ns/op the process's CPU time (user and system) per recipient.
//
// Between the Sends, the same numbers are parsed with phonenumbers alone
// (ParseToNumber and IsValidNumber): on one goroutine (parse-ns/op), and
// split over goroutines the way Send splits a large list
// (parse-parallel-ns/op, parse-cpu-ns/op). Each chunk is sent and parsed
// back to back, in alternating order, so both see the machine in the same
// state. overhead-ns/op is the wall time without parsing at the same
// parallelism, overhead-cpu-ns/op the CPU time without parsing, x-parse
// the wall time over one-goroutine parsing.
func BenchmarkSendPerRecipient(b *testing.B) { benchSendPerRecipient(b) }

// benchSendPerRecipient is BenchmarkSendPerRecipient with extra options.
func benchSendPerRecipient(b *testing.B, opts ...Option) {
	const chunk = 10000
	fp := fake.New()
	defer fp.Close()
	s, err := New(fp, append([]Option{WithClock(fixedClock), WithReputationGuard(Thresholds{})}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	chunks := (b.N + chunk - 1) / chunk
	in := make([][]Recipient, chunks)
	for c := range in {
		in[c] = benchRecipients(c*chunk, min(chunk, b.N-c*chunk))
	}
	ctx := context.Background()
	// Warm up: first use of the policy tables and caches.
	if _, err := s.Send(ctx, Notification{Recipients: benchRecipients(9000000, 100), Body: benchBody}); err != nil {
		b.Fatal(err)
	}
	parseOne := func(rs []Recipient) {
		var pn phonenumbers.PhoneNumber
		for _, r := range rs {
			pn = phonenumbers.PhoneNumber{}
			if phonenumbers.ParseToNumber(r.To, "US", &pn) != nil || !phonenumbers.IsValidNumber(&pn) {
				panic("invalid " + r.To)
			}
		}
	}
	parseSplit := func(rs []Recipient) {
		if len(rs) < parallelBuildMin {
			parseOne(rs)
			return
		}
		inParts(len(rs), func(lo, hi int) { parseOne(rs[lo:hi]) })
	}
	var elapsed, cpu, parse, pparse, pcpu time.Duration
	var pipeAllocs, parseAllocs uint64
	var ms0, ms1 runtime.MemStats
	fp0 := fp.Count()
	b.ReportAllocs()
	b.ResetTimer()
	for c := range in {
		send := func() {
			b.StartTimer()
			runtime.ReadMemStats(&ms0)
			c0, t0 := cpuTime(), time.Now()
			if _, err := s.Send(ctx, Notification{Recipients: in[c], Body: benchBody}); err != nil {
				b.Fatal(err)
			}
			elapsed += time.Since(t0)
			cpu += cpuTime() - c0
			runtime.ReadMemStats(&ms1)
			pipeAllocs += ms1.Mallocs - ms0.Mallocs
			b.StopTimer()
		}
		parseAlone := func() {
			runtime.ReadMemStats(&ms0)
			t0 := time.Now()
			parseOne(in[c])
			parse += time.Since(t0)
			runtime.ReadMemStats(&ms1)
			parseAllocs += ms1.Mallocs - ms0.Mallocs
			c0, t1 := cpuTime(), time.Now()
			parseSplit(in[c])
			pparse += time.Since(t1)
			pcpu += cpuTime() - c0
		}
		if c%2 == 0 {
			send()
			parseAlone()
		} else {
			parseAlone()
			send()
		}
	}
	if fp.Count()-fp0 != b.N {
		b.Fatalf("sent %d of %d", fp.Count(), b.N)
	}
	n := float64(b.N)
	b.ReportMetric(float64(cpu)/n, "cpu-ns/op")
	b.ReportMetric((float64(pipeAllocs)-float64(parseAllocs))/n, "overhead-allocs/op")
	b.ReportMetric(float64(elapsed-pparse)/n, "overhead-ns/op")
	b.ReportMetric(float64(cpu-pcpu)/n, "overhead-cpu-ns/op")
	b.ReportMetric(float64(parse)/n, "parse-ns/op")
	b.ReportMetric(float64(pparse)/n, "parse-parallel-ns/op")
	b.ReportMetric(float64(pcpu)/n, "parse-cpu-ns/op")
	b.ReportMetric(float64(parseAllocs)/n, "parse-allocs/op")
	b.ReportMetric(float64(elapsed)/float64(parse), "x-parse")
}

// nationalNumbers are numbers as a person types them.
func nationalNumbers(n int) []string {
	out := make([]string, n)
	for i := range out {
		d := 2000000 + i%1000000
		out[i] = fmt.Sprintf("(415) %03d-%04d", d/10000, d%10000)
	}
	return out
}

// BenchmarkParseValid is phonenumbers.Parse plus IsValidNumber alone.
func BenchmarkParseValid(b *testing.B) {
	nums := nationalNumbers(4096)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		pn, err := phonenumbers.Parse(nums[i%len(nums)], "US")
		if err != nil || !phonenumbers.IsValidNumber(pn) {
			b.Fatal("invalid")
		}
	}
}

// BenchmarkNormalize is the pipeline's normalising of the same numbers to
// E.164 (compare with BenchmarkParseValid in the same run).
func BenchmarkNormalize(b *testing.B) {
	nums := nationalNumbers(4096)
	z := &normalizer{region: "US"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := z.normalize(nums[i%len(nums)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanVsSendValidation compares Plan over 100,000 recipients with
// the same recipients' validation in Send (row building and the compliance
// check, the functions Send calls), and reports the ratio.
func BenchmarkPlanVsSendValidation(b *testing.B) {
	const N = 100000
	fp := fake.New()
	defer fp.Close()
	s, err := New(fp, WithClock(fixedClock))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	rs := benchRecipients(0, N)
	n := Notification{Recipients: rs, Body: benchBody}
	ctx := context.Background()
	validate := func() {
		nn := n
		p, err := s.preflight(ctx, &nn)
		if err != nil {
			b.Fatal(err)
		}
		for i, r := range rs {
			m, _, whole := p.row(ctx, i, r)
			if whole != nil {
				b.Fatal(whole)
			}
			if s.lookuper != nil {
				if _, err := s.lookuper.Lookup(ctx, m.To); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := s.policy.Check(ctx, s.request(&nn, &m)); err != nil {
				b.Fatal(err)
			}
		}
	}
	validate() // warm caches for both
	var planT, sendT time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := s.Plan(ctx, n); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		validate()
		planT += t1.Sub(t0)
		sendT += time.Since(t1)
	}
	b.ReportMetric(float64(planT)/float64(b.N)/N, "plan-ns/recipient")
	b.ReportMetric(float64(sendT)/float64(b.N)/N, "send-validation-ns/recipient")
	b.ReportMetric(float64(planT)/float64(sendT), "ratio")
}

// TestStreamMillion streams 1,000,000 recipients and checks the peak heap
// stays under 150 MB. It runs only with -herald.big (it takes a while);
// without the flag it streams 20,000 recipients and checks the same bound.
func TestStreamMillion(t *testing.T) {
	// The lean variant: a store and a frequency record that keep their
	// data outside the heap, as durable stores do, to measure the pipeline
	// itself.
	pol := compliance.NewPolicy(compliance.WithClock(fixedClock), compliance.WithFrequencyStore(forgetfulFrequency{}))
	streamPeak(t, "lean", WithStore(newLeanStore()), WithPolicy(pol))
}

// TestStreamMillionDefaults is the same stream with the default
// components: the MemoryStore (its history window bounds what it keeps)
// and the default policy, whose frequency record remembers every send for
// the caps and the duplicate guard.
func TestStreamMillionDefaults(t *testing.T) {
	streamPeak(t, "defaults")
}

// streamPeak streams to 20,000 recipients (1,000,000 with -big) through a
// provider that only counts, samples the heap, and fails above 150 MB.
func streamPeak(t *testing.T, name string, opts ...Option) {
	n := 20000
	if *bigFlag {
		n = 1000000
	}
	if v, err := strconv.Atoi(os.Getenv("HERALD_STREAM_N")); err == nil && v > 0 {
		n = v
	}
	fp := &countingProvider{}
	s, err := New(fp, append([]Option{WithClock(fixedClock), WithReputationGuard(Thresholds{})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	seq := func(yield func(Recipient) bool) {
		vars := map[string]string{"order": "4417"}
		for i := range n {
			if !yield(Recipient{To: usNumber(i), Vars: vars}) {
				return
			}
		}
	}
	runtime.GC()
	var peak uint64
	var mu sync.Mutex
	sample := func(Progress) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		peak = max(peak, ms.HeapAlloc)
		mu.Unlock()
		if path := os.Getenv("HERALD_HEAP_PROFILE"); path != "" && ms.HeapAlloc > 150e6 { // the target: write where it is exceeded
			if f, err := os.Create(path); err == nil {
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
	}
	results := 0
	rep, err := s.SendStream(context.Background(), Notification{Body: benchBody}, seq,
		OnResult(func(Result) { results++ }), OnProgress(sample), ProgressEvery(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if results != n || rep.Counts[OutcomeSent] != n || int(fp.n.Load()) != n {
		t.Fatalf("results %d counts %v", results, rep.Counts)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%s, %d recipients: peak sampled HeapAlloc %.1f MB, HeapSys %.1f MB, TotalAlloc %.1f MB, NumGC %d",
		name, n, float64(peak)/1e6, float64(ms.HeapSys)/1e6, float64(ms.TotalAlloc)/1e6, ms.NumGC)
	if peak > 150e6 {
		t.Errorf("peak heap %.1f MB, want < 150 MB", float64(peak)/1e6)
	}
}

// countingProvider accepts every message and only counts them.
type countingProvider struct{ n atomic.Int64 }

func (p *countingProvider) Send(_ context.Context, m provider.Message) (provider.Receipt, error) {
	return provider.Receipt{ID: "c-" + strconv.FormatInt(p.n.Add(1), 10), Status: provider.StatusQueued}, nil
}

// forgetfulFrequency remembers no sends (no caps, no duplicate guard).
type forgetfulFrequency struct{}

func (forgetfulFrequency) RecordSend(context.Context, compliance.SendRecord) error { return nil }
func (forgetfulFrequency) CountSends(context.Context, compliance.SendQuery) (compliance.SendTally, error) {
	return compliance.SendTally{}, nil
}
