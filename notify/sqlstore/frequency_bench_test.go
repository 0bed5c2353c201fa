package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/heraldsms/herald/compliance"
)

// BenchmarkFrequencyRecordAndCount measures what a capped send costs the
// Store on SQLite: one RecordSend and one CountSends (a cap's query) per
// op, over 10,000 numbers, from several goroutines.
func BenchmarkFrequencyRecordAndCount(b *testing.B) {
	s, _ := openSQLite(b)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
	nums := make([]string, 10_000)
	for i := range nums {
		nums[i] = fmt.Sprintf("+1415%07d", 2000000+i)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			to := nums[i%len(nums)]
			at := t0.Add(time.Duration(i) * time.Millisecond)
			if err := s.RecordSend(ctx, compliance.SendRecord{To: to, Topic: "promos", Kind: compliance.Marketing, At: at}); err != nil {
				b.Error(err)
				return
			}
			if _, err := s.CountSends(ctx, compliance.SendQuery{To: to, Since: at.Add(-24 * time.Hour), Topic: "promos", MatchTopic: true}); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sends/s")
}
