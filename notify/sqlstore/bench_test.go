package sqlstore_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider/fake"
)

// BenchmarkEnqueueMillion writes a 1,000,000-recipient outbox into a new
// SQLite file in batches of 1000 rows, as Service.Send does (one body for
// every recipient). The rows are built with the timer stopped: the
// figure is the Store's. Target: under 20 s per op.
//
//	go test -run '^$' -bench EnqueueMillion -benchtime 1x ./notify/sqlstore/
func BenchmarkEnqueueMillion(b *testing.B) {
	const total, batch = 1_000_000, 1000
	rows := make([]notify.Message, batch)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s, _ := openSQLite(b)
		rec := notify.NotificationRecord{ID: "n", Account: "acme", Topic: "alerts", CreatedAt: time.Now()}
		if _, _, err := s.CreateNotification(ctx, rec); err != nil {
			b.Fatal(err)
		}
		for start := 0; start < total; start += batch {
			b.StopTimer()
			for i := range rows {
				idx := start + i
				num := fmt.Sprintf("+1415%07d", idx)
				rows[i] = notify.Message{
					ID: fmt.Sprintf("n/%d", idx), NotificationID: "n", Index: idx, Account: "acme", Topic: "alerts",
					Given: num, To: num, From: "+14155550100",
					Body: "Your order shipped", Segments: 1, Encoding: "GSM-7", CreatedAt: rec.CreatedAt, UpdatedAt: rec.CreatedAt,
				}
			}
			b.StartTimer()
			if err := s.Enqueue(ctx, rows); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkSendRate sends 10,000-recipient notifications through a Service
// on SQLite with the fake provider and no throttle. Target: at least 5,000
// recipients/s.
func BenchmarkSendRate(b *testing.B) {
	const total = 10_000
	s, _ := openSQLite(b)
	fp := fake.New()
	defer fp.Close()
	day := time.Date(2026, 3, 2, 19, 0, 0, 0, time.UTC) // inside quiet-hour windows
	svc, err := notify.New(fp, notify.WithStore(s), notify.WithClock(func() time.Time { return day }))
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Shutdown(context.Background())
	to := make([]string, total)
	for i := range to {
		to[i] = fmt.Sprintf("+1415%07d", 2000000+i)
	}
	ctx := context.Background()
	for b.Loop() {
		rep, err := svc.Send(ctx, notify.Notification{From: "+14155550100", To: to, Body: "Your order shipped"})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Counts[notify.OutcomeSent] != total {
			b.Fatalf("sent %d of %d: %v", rep.Counts[notify.OutcomeSent], total, rep.Counts)
		}
	}
	b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "recipients/s")
}

// BenchmarkSend20k sends one 20,000-recipient notification per op through
// a Service on SQLite with the fake provider, and reports sends/s and the
// live heap after the last op. The Store keeps nothing per row in memory;
// the fake provider does keep every message it was sent (Sent), about
// 7 MB per op, so heap-MB grows with -benchtime by that much.
func BenchmarkSend20k(b *testing.B) {
	const total = 20_000
	s, _ := openSQLite(b)
	fp := fake.New()
	defer fp.Close()
	day := time.Date(2026, 3, 2, 19, 0, 0, 0, time.UTC)
	svc, err := notify.New(fp, notify.WithStore(s), notify.WithClock(func() time.Time { return day }))
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Shutdown(context.Background())
	to := make([]string, total)
	ctx := context.Background()
	b.ReportAllocs()
	op := 0
	for b.Loop() {
		// New numbers every op, so that no cap or duplicate guard denies
		// a send of the previous op.
		b.StopTimer()
		for i := range to {
			to[i] = fmt.Sprintf("+1415%07d", 2000000+op*total+i)
		}
		op++
		b.StartTimer()
		rep, err := svc.Send(ctx, notify.Notification{From: "+14155550100", To: to, Body: "Your order shipped"})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Counts[notify.OutcomeSent] != total {
			b.Fatalf("sent %d of %d: %v", rep.Counts[notify.OutcomeSent], total, rep.Counts)
		}
	}
	b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "sends/s")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
}
