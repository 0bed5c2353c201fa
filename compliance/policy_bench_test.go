package compliance

import (
	"context"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nyaruka/phonenumbers"
)

const benchLedgerSize = 1_000_000

// benchLedger is built once per test binary: a million numbers with a
// marketing opt-in each, spread over a thousand 415-xxx exchanges.
var benchLedger = sync.OnceValue(func() *MemoryConsentStore {
	s := NewMemoryConsentStore()
	ctx := context.Background()
	at := noonSF.Add(-30 * 24 * time.Hour)
	for i := range benchLedgerSize {
		n := "+1415" + strconv.Itoa(2000000+i*7%8000000)
		if err := s.Append(ctx, Record{Number: n, Scope: "acme", Kind: Marketing, Action: ActionOptIn, At: at, Source: SourceImport, Level: LevelExpressWritten}); err != nil {
			panic(err)
		}
	}
	return s
})

func BenchmarkCheck(b *testing.B) {
	store := benchLedger()
	if store.Len() != benchLedgerSize {
		b.Fatalf("ledger has %d numbers", store.Len())
	}
	ctx := context.Background()
	const sample = 1024
	reqs := make([]Request, sample)
	for i := range reqs {
		to := "+1415" + strconv.Itoa(2000000+(i*977)*7%8000000)
		n, err := phonenumbers.Parse(to, "")
		if err != nil {
			b.Fatal(err)
		}
		reqs[i] = Request{To: to, Number: n, Scope: "acme", Kind: Marketing, Topic: "sale", Body: goodMarketing, Now: noonSF}
	}
	run := func(b *testing.B, p *Policy, reqs []Request, want Outcome) {
		for _, r := range reqs { // warm the prefix and body caches
			if d, err := p.Check(ctx, r); err != nil || d.Outcome != want {
				b.Fatalf("warm-up: %v %v", d.Err(), err)
			}
		}
		runtime.GC() // finish collecting the ledger build before timing
		b.ReportAllocs()
		b.ResetTimer()
		i := 0
		for b.Loop() {
			d, err := p.Check(ctx, reqs[i%len(reqs)])
			if err != nil || d.Outcome != want {
				b.Fatal(d.Err(), err)
			}
			i++
		}
	}
	b.Run("marketing-allow", func(b *testing.B) {
		run(b, NewPolicy(WithConsentStore(store), WithBrand("Acme")), reqs, Allow)
	})
	b.Run("service-allow", func(b *testing.B) {
		svc := make([]Request, len(reqs))
		for i, r := range reqs {
			r.Kind, r.Body = Service, "Your order shipped."
			svc[i] = r
		}
		run(b, NewPolicy(WithConsentStore(store)), svc, Allow)
	})
	b.Run("marketing-defer-quiet-hours", func(b *testing.B) {
		night := make([]Request, len(reqs))
		for i, r := range reqs {
			r.Now = noonSF.Add(11 * time.Hour)
			night[i] = r
		}
		run(b, NewPolicy(WithConsentStore(store), WithBrand("Acme")), night, Defer)
	})
}

// BenchmarkCheckBulk is the bulk-send case: every check is for a number
// seen for the first time, with a personalised body, followed by the
// RecordSend of the send (the location and content caches miss, the
// frequency store grows by a number per op).
func BenchmarkCheckBulk(b *testing.B) {
	p := NewPolicy(WithClock(func() time.Time { return noonSF }))
	ctx := context.Background()
	tos := make([]string, b.N)
	bodies := make([]string, b.N)
	for i := range tos {
		tos[i] = "+1415" + strconv.Itoa(2000000+i)
		bodies[i] = "Order " + strconv.Itoa(4000+i) + " arrives Tuesday."
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		r := Request{To: tos[i], Body: bodies[i], Now: noonSF}
		d, err := p.Check(ctx, r)
		if err != nil || d.Outcome != Allow {
			b.Fatal(err, d.Reasons)
		}
		if err := p.RecordSend(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}
