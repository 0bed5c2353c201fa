package notify

import (
	"context"
	"go/build"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/throttle"
)

// otelRig is a Service's in-memory metric reader and span exporter.
type otelRig struct {
	reader *sdkmetric.ManualReader
	spans  *tracetest.InMemoryExporter
}

func newOtelRig(t *testing.T) (*otelRig, []Option) {
	t.Helper()
	r := &otelRig{reader: sdkmetric.NewManualReader(), spans: tracetest.NewInMemoryExporter()}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader))
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(r.spans))
	t.Cleanup(func() {
		_ = mp.Shutdown(context.Background())
		_ = tp.Shutdown(context.Background())
	})
	return r, []Option{WithMeterProvider(mp), WithTracerProvider(tp)}
}

func (r *otelRig) collect(t *testing.T) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	return rm
}

// point is one data point: its attributes as "k=v,k=v" (sorted) and value
// (a histogram's count).
type point struct {
	attrs string
	value float64
}

// points returns the data points of the named metric.
func points(rm metricdata.ResourceMetrics, name string) []point {
	var out []point
	enc := func(s attribute.Set) string {
		var kv []string
		for it := s.Iter(); it.Next(); {
			a := it.Attribute()
			kv = append(kv, string(a.Key)+"="+a.Value.String())
		}
		return strings.Join(kv, ",")
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					out = append(out, point{enc(p.Attributes), float64(p.Value)})
				}
			case metricdata.Gauge[int64]:
				for _, p := range d.DataPoints {
					out = append(out, point{enc(p.Attributes), float64(p.Value)})
				}
			case metricdata.Gauge[float64]:
				for _, p := range d.DataPoints {
					out = append(out, point{enc(p.Attributes), p.Value})
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					out = append(out, point{enc(p.Attributes), float64(p.Count)})
				}
			}
		}
	}
	return out
}

// byAttrs maps the named metric's points by attributes.
func byAttrs(rm metricdata.ResourceMetrics, name string) map[string]float64 {
	out := map[string]float64{}
	for _, p := range points(rm, name) {
		out[p.attrs] = p.value
	}
	return out
}

func wantPoints(t *testing.T, rm metricdata.ResourceMetrics, name string, want map[string]float64) {
	t.Helper()
	got := byAttrs(rm, name)
	if len(got) != len(want) {
		t.Errorf("%s: got %v, want %v", name, got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %v, want %v", name, got, want)
			return
		}
	}
}

// scriptedProvider: number 1 opted out at the carrier, number 4 rate
// limited once, number 5 times out (ambiguous); every accepted message is
// delivered 100ms later.
func scriptedProvider(s **Service) *fake.Provider {
	var mu sync.Mutex
	limited := false
	return fake.New(
		fake.FailNumber(usNumber(1), fake.OptedOut()),
		fake.WithRule(func(ctx context.Context, m provider.Message) error {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case m.To == usNumber(4) && !limited:
				limited = true
				return fake.RateLimited(0)
			case m.To == usNumber(5):
				return &provider.Error{Provider: fake.Name, Class: provider.Ambiguous, Err: provider.ErrTimeout}
			}
			return nil
		}),
		fake.WithDeliveryReceipts(100*time.Millisecond),
		fake.OnStatus(func(u provider.StatusUpdate) { _ = (*s).HandleStatus(context.Background(), u) }),
	)
}

// TestTelemetryCountsAScriptedSend: ten recipients, of whom one is opted
// out in the ledger (denied), one at the carrier (failed), one times out
// (unknown), one is rate limited once (retried, then sent): the metrics and
// spans say exactly that.
func TestTelemetryCountsAScriptedSend(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rig, opts := newOtelRig(t)
		var s *Service
		fp := scriptedProvider(&s)
		s = startService(t, fp, append(opts, WithLimits(Limits{Sender: throttle.PerSecond(1000)}))...)
		optOut(t, s, usNumber(2))
		var to []string
		for i := range 10 {
			to = append(to, usNumber(i))
		}
		rep, err := s.Send(context.Background(), Notification{From: "+14155550100", To: to, Body: "Hi", Topic: "orders"})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second) // receipts
		synctest.Wait()
		if rep.Counts[OutcomeSent] != 7 || rep.Counts[OutcomeDenied] != 1 || rep.Counts[OutcomeFailed] != 1 || rep.Counts[OutcomeUnknown] != 1 {
			t.Fatalf("report counts %v", rep.Counts)
		}
		// Sent: numbers 0, 3, 4 (on its second attempt), 6, 7, 8, 9.
		rm := rig.collect(t)
		const base = "encoding=GSM-7,kind=service,"
		wantPoints(t, rm, "herald.recipients", map[string]float64{
			base + "outcome=sent,topic=orders":                            7,
			base + "outcome=denied,reason=consent.opted-out,topic=orders": 1,
			base + "outcome=failed,reason=carrier_opted_out,topic=orders": 1,
			base + "outcome=unknown,reason=timeout,topic=orders":          1,
		})
		wantPoints(t, rm, "herald.segments.sent", map[string]float64{
			"encoding=GSM-7,kind=service,provider=fake,topic=orders": 7,
		})
		wantPoints(t, rm, "herald.provider.retries", map[string]float64{
			"cause=rate_limited,provider=fake": 1,
		})
		wantPoints(t, rm, "herald.provider.duration", map[string]float64{
			"provider=fake,result=ok":                                 7,
			"provider=fake,reason=rate_limited,result=retryable":      1,
			"provider=fake,reason=carrier_opted_out,result=permanent": 1,
			"provider=fake,reason=timeout,result=ambiguous":           1,
		})
		wantPoints(t, rm, "herald.receipts", map[string]float64{
			"provider=fake,status=delivered,topic=orders": 7,
		})
		// Every row but the opted-out one waits for the throttle once (a
		// retry is not paced again).
		wantPoints(t, rm, "herald.throttle.wait", map[string]float64{"kind=service,topic=orders": 9})
		wantPoints(t, rm, "herald.outbox.depth", map[string]float64{"state=pending": 0, "state=deferred": 0})

		spans := rig.spans.GetSpans()
		var notif tracetest.SpanStub
		calls, receipts, failedCalls := 0, 0, 0
		for _, sp := range spans {
			switch sp.Name {
			case "herald.notification":
				notif = sp
			}
		}
		if notif.Name == "" {
			t.Fatalf("no notification span among %d", len(spans))
		}
		attrs := map[attribute.Key]attribute.Value{}
		for _, a := range notif.Attributes {
			attrs[a.Key] = a.Value
		}
		if attrs["herald.notification.id"].AsString() != rep.NotificationID || attrs["herald.recipients"].AsInt64() != 10 ||
			attrs["herald.count.sent"].AsInt64() != 7 || attrs["herald.count.unknown"].AsInt64() != 1 || attrs["herald.topic"].AsString() != "orders" {
			t.Errorf("notification span attributes %v", notif.Attributes)
		}
		callIDs := map[string]bool{}
		for _, sp := range spans {
			switch sp.Name {
			case "herald.provider.send":
				calls++
				callIDs[sp.SpanContext.SpanID().String()] = true
				if sp.Parent.SpanID() != notif.SpanContext.SpanID() {
					t.Errorf("provider span parent %v, want the notification span %v", sp.Parent.SpanID(), notif.SpanContext.SpanID())
				}
				if sp.Status.Code == codes.Error {
					failedCalls++
				}
				if !hasAttr(sp.Attributes, "herald.provider", "fake") {
					t.Errorf("provider span attributes %v, want herald.provider=fake", sp.Attributes)
				}
			case "herald.receipt":
				receipts++
			}
		}
		if calls != 10 || failedCalls != 3 || receipts != 7 {
			t.Errorf("spans: %d provider calls (%d failed), %d receipts; want 10 (3 failed), 7", calls, failedCalls, receipts)
		}
		for _, sp := range spans {
			if sp.Name == "herald.receipt" && (len(sp.Links) != 1 || !callIDs[sp.Links[0].SpanContext.SpanID().String()]) {
				t.Errorf("receipt span links %v, want the provider call that sent it", sp.Links)
			}
		}
	})
}

// TestTelemetryRetriesCountOnlyRetries: a call refused on its last attempt
// is not retried, and not counted as a retry.
func TestTelemetryRetriesCountOnlyRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rig, opts := newOtelRig(t)
		fp := fake.New(fake.FailNumber(usNumber(0), fake.RateLimited(0)))
		retry := DefaultRetryPolicy
		retry.MaxAttempts = 3
		s := startService(t, fp, append(opts, WithRetry(retry))...)
		rep, err := s.Send(context.Background(), Notification{From: "+14155550100", To: []string{usNumber(0)}, Body: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts[OutcomeFailed] != 1 || fp.Attempts() != 3 {
			t.Fatalf("counts %v after %d attempts", rep.Counts, fp.Attempts())
		}
		wantPoints(t, rig.collect(t), "herald.provider.retries", map[string]float64{"cause=rate_limited,provider=fake": 2})
	})
}

// TestTelemetryOutboxGauges: while a throttled send runs, the gauges show
// the rows still pending and how long the notification has waited.
func TestTelemetryOutboxGauges(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rig, opts := newOtelRig(t)
		fp := fake.New()
		s := startService(t, fp, append(opts, WithLimits(Limits{Sender: throttle.PerSecond(1)}), WithConcurrency(1))...)
		var to []string
		for i := range 5 {
			to = append(to, usNumber(i))
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			if _, err := s.Send(context.Background(), Notification{From: "+14155550100", To: to, Body: "Hi"}); err != nil {
				t.Error(err)
			}
		}()
		time.Sleep(2500 * time.Millisecond) // sent at 0s, 1s, 2s
		synctest.Wait()
		rm := rig.collect(t)
		wantPoints(t, rm, "herald.outbox.depth", map[string]float64{"state=pending": 2, "state=deferred": 0})
		wantPoints(t, rm, "herald.outbox.oldest_pending_age", map[string]float64{"": 2.5})
		<-done
		rm = rig.collect(t)
		wantPoints(t, rm, "herald.outbox.depth", map[string]float64{"state=pending": 0, "state=deferred": 0})
		wantPoints(t, rm, "herald.outbox.oldest_pending_age", map[string]float64{"": 0})
	})
}

// TestTelemetryPausesAndReplies: a sender refusal pauses with cause
// "sender_rejected"; replies count by class.
func TestTelemetryPausesAndReplies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rig, opts := newOtelRig(t)
		fp := fake.New(fake.WithError(fake.SenderRejected("register the number with a 10DLC campaign")))
		s := startService(t, fp, append(opts, WithConcurrency(1))...)
		ctx := context.Background()
		rep, err := s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(0), usNumber(1)}, Body: "Hi"})
		if err != nil || !rep.Paused {
			t.Fatalf("paused=%v err %v", rep.Paused, err)
		}
		s = startService(t, fake.New(), append(opts, WithContactPoint(twoWay))...) // answers go out
		for i, body := range []string{"STOP", "START", "HELP", "thanks!", "STOP"} {
			in := provider.Inbound{Provider: "fake", ID: "in" + string(rune('a'+i)), From: usNumber(7 + i%2), To: twoWay.Numbers[0], Body: body, Received: time.Now()}
			if err := s.HandleInbound(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		rm := rig.collect(t)
		wantPoints(t, rm, "herald.pauses", map[string]float64{"cause=sender_rejected": 1})
		wantPoints(t, rm, "herald.inbound", map[string]float64{
			"class=opt-out,provider=fake": 2, "class=opt-in,provider=fake": 1,
			"class=help,provider=fake": 1, "class=other,provider=fake": 1,
		})
	})
}

// TestPauseCause: the guard's and the sender refusal's reasons map to a
// few causes.
func TestPauseCause(t *testing.T) {
	for why, want := range map[string]string{
		"reputation guard: carrier filtering at 30.0% of 10 attempts exceeds 20.0%": "filtering",
		"reputation guard: carrier opt-outs at 5.0% of 100 attempts exceed 2.0%":    "opt_outs",
		"reputation guard: permanent failures at 50.0% of 10 attempts exceed 40.0%": "permanent_failures",
		senderPause("twilio", "30034", "register the number"):                       "sender_rejected",
		senderPause("", "", ""): "sender_rejected",
		"paused by the host":    "other",
	} {
		if got := pauseCause(why); got != want {
			t.Errorf("pauseCause(%q) = %q, want %q", why, got, want)
		}
	}
}

// longDigits finds what could be a phone number: 10 or more digits in a
// row.
var longDigits = regexp.MustCompile(`[0-9]{10,}`)

// TestTelemetryNeverRecordsANumber: no metric or span attribute (nor a
// span's status, event or link) holds a recipient's or a sender's number.
// IDs are random hex and may hold long digit runs by chance: they are
// checked against the numbers used, everything else against any run of
// ten digits.
func TestTelemetryNeverRecordsANumber(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rig, opts := newOtelRig(t)
		var s *Service
		fp := scriptedProvider(&s)
		s = startService(t, fp, append(opts, WithContactPoint(twoWay), WithLimits(Limits{Sender: throttle.PerSecond(1000)}))...)
		optOut(t, s, usNumber(2))
		var to []string
		for i := range 10 {
			to = append(to, usNumber(i))
		}
		ctx := context.Background()
		if _, err := s.Send(ctx, Notification{From: "+14155550100", To: to, Body: "Call 4155550100 now", Topic: "orders"}); err != nil {
			t.Fatal(err)
		}
		if err := s.HandleInbound(ctx, provider.Inbound{Provider: "fake", ID: "in1", From: usNumber(3), To: twoWay.Numbers[0], Body: "STOP", Received: time.Now()}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		numbers := append([]string{"4155550100"}, to...)
		check := func(where string, key attribute.Key, v string) {
			if !strings.HasSuffix(string(key), "id") && longDigits.MatchString(v) {
				t.Errorf("%s: %s=%q holds 10+ digits", where, key, v)
			}
			for _, n := range numbers {
				if strings.Contains(v, strings.TrimPrefix(n, "+1")) {
					t.Errorf("%s: %s=%q holds %s", where, key, v, n)
				}
			}
		}
		checked := 0
		rm := rig.collect(t)
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				for _, p := range points(rm, m.Name) {
					checked++
					check(m.Name, "attributes", p.attrs)
				}
			}
		}
		for _, sp := range rig.spans.GetSpans() {
			for _, a := range sp.Attributes {
				checked++
				check(sp.Name, a.Key, a.Value.String())
			}
			for _, e := range sp.Events {
				for _, a := range e.Attributes {
					check(sp.Name+" event", a.Key, a.Value.String())
				}
			}
			for _, l := range sp.Links {
				for _, a := range l.Attributes {
					check(sp.Name+" link", a.Key, a.Value.String())
				}
			}
			check(sp.Name+" status", "status", sp.Status.Description)
		}
		if checked < 50 {
			t.Fatalf("only %d attributes checked", checked)
		}
	})
}

// BenchmarkSendPerRecipientOtelNoop is BenchmarkSendPerRecipient with the
// instrumentation on, over OpenTelemetry's no-op providers: what a host
// that wires the options but exports nothing pays. Compare with
// BenchmarkSendPerRecipient in the same run.
func BenchmarkSendPerRecipientOtelNoop(b *testing.B) {
	benchSendPerRecipient(b, WithMeterProvider(metricnoop.NewMeterProvider()), WithTracerProvider(tracenoop.NewTracerProvider()))
}

// TestTelemetryWebhookSpans: a receipt's and a reply's spans are children
// of the span in the webhook's context (a host's HTTP middleware), and the
// receipt's links to the provider call that sent the message.
func TestTelemetryWebhookSpans(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &otelRig{reader: sdkmetric.NewManualReader(), spans: tracetest.NewInMemoryExporter()}
		tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(r.spans))
		defer tp.Shutdown(context.Background())
		s := startService(t, fake.New(), WithTracerProvider(tp), WithContactPoint(twoWay))
		rep, err := s.Send(context.Background(), Notification{From: "+14155550100", To: []string{usNumber(0)}, Body: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		hook, span := tp.Tracer("host").Start(context.Background(), "POST /webhooks")
		if err := s.HandleStatus(hook, provider.StatusUpdate{Provider: fake.Name, ID: rep.Results[0].ProviderID, Status: provider.StatusDelivered}); err != nil {
			t.Fatal(err)
		}
		if err := s.HandleInbound(hook, provider.Inbound{Provider: fake.Name, ID: "in1", From: usNumber(0), To: twoWay.Numbers[0], Body: "HELP", Received: time.Now()}); err != nil {
			t.Fatal(err)
		}
		span.End()
		var call trace.SpanContext
		for _, sp := range r.spans.GetSpans() {
			if sp.Name == "herald.provider.send" && !call.IsValid() {
				call = sp.SpanContext
			}
		}
		seen := 0
		for _, sp := range r.spans.GetSpans() {
			switch sp.Name {
			case "herald.receipt", "herald.inbound":
				seen++
				if sp.Parent.SpanID() != span.SpanContext().SpanID() {
					t.Errorf("%s parent %v, want the webhook's span", sp.Name, sp.Parent.SpanID())
				}
				if sp.Name == "herald.receipt" && (len(sp.Links) != 1 || sp.Links[0].SpanContext.SpanID() != call.SpanID()) {
					t.Errorf("receipt links %v, want the provider call %v", sp.Links, call.SpanID())
				}
			}
		}
		if seen != 2 {
			t.Fatalf("%d webhook spans, want a receipt and a reply", seen)
		}
	})
}

// TestLibraryImportsOnlyTheOtelAPI: the notify package (not its tests)
// imports no OpenTelemetry SDK or exporter, so a host that configures none
// links none.
func TestLibraryImportsOnlyTheOtelAPI(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{
		"go.opentelemetry.io/otel": true, "go.opentelemetry.io/otel/attribute": true, "go.opentelemetry.io/otel/codes": true,
		"go.opentelemetry.io/otel/metric": true, "go.opentelemetry.io/otel/trace": true,
	}
	otelImports := 0
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "go.opentelemetry.io/") {
			otelImports++
			if !allowed[imp] {
				t.Errorf("notify imports %s: only the OpenTelemetry API is allowed", imp)
			}
		}
	}
	if otelImports == 0 {
		t.Fatal("no OpenTelemetry import found: is the check looking at the right package?")
	}
}

func hasAttr(kv []attribute.KeyValue, key, value string) bool {
	for _, a := range kv {
		if string(a.Key) == key && a.Value.String() == value {
			return true
		}
	}
	return false
}

// BenchmarkTelemetryPerRecipient is the instrumentation alone, over the
// no-op providers and over the SDK (an in-memory reader, a sampled span
// recorder): what the hooks cost for one sent recipient (one provider call
// and its decision). Compare its ns/op with BenchmarkSendPerRecipient's.
func BenchmarkTelemetryPerRecipient(b *testing.B) {
	run := func(b *testing.B, opts ...Option) {
		fp := fake.New()
		defer fp.Close()
		s, err := New(fp, opts...)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Shutdown(context.Background())
		ctx, end := s.tel.notificationStarted(context.Background(), NotificationRecord{ID: "ntf_1", Total: b.N})
		defer end(nil, nil)
		n := &Notification{Topic: "orders"}
		pm := &provider.Message{To: usNumber(1), Body: "Hi"}
		m := &Message{Topic: "orders", Outcome: OutcomeSent, Segments: 1, Encoding: "GSM-7", Provider: "fake"}
		b.ReportAllocs()
		for b.Loop() {
			_, done := s.tel.providerCall(ctx, "fake", "ntf_1/7", pm)
			done(provider.Receipt{ID: "fake-1", Provider: "fake"}, nil)
			s.tel.decided(ctx, n, m)
		}
	}
	b.Run("off", func(b *testing.B) { run(b) })
	b.Run("noop", func(b *testing.B) {
		run(b, WithMeterProvider(metricnoop.NewMeterProvider()), WithTracerProvider(tracenoop.NewTracerProvider()))
	})
	b.Run("sdk", func(b *testing.B) {
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
		tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(tracetest.NewNoopExporter())))
		defer mp.Shutdown(context.Background())
		defer tp.Shutdown(context.Background())
		run(b, WithMeterProvider(mp), WithTracerProvider(tp))
	})
}

// TestTelemetryGuardPause: the reputation guard's pause on carrier
// filtering counts once, with cause "filtering" (the guard's own reason
// text, not a copy of it, is what pauseCause reads).
func TestTelemetryGuardPause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rig, opts := newOtelRig(t)
		ctx := context.Background()
		var s *Service
		fopts := []fake.Option{fake.WithDeliveryReceipts(100 * time.Millisecond), fake.OnStatus(func(u provider.StatusUpdate) {
			_ = s.HandleStatus(ctx, u)
		})}
		for i := range 10 {
			fopts = append(fopts, fake.UndeliveredWith(usNumber(i), "30007", provider.ErrFiltered))
		}
		s = startService(t, fake.New(fopts...), append(opts, WithReputationGuard(Thresholds{MinAttempts: 10, Filtered: 0.2}),
			WithLimits(Limits{Sender: throttle.PerSecond(1)}))...)
		var to []string
		for i := range 60 {
			to = append(to, usNumber(i))
		}
		rep, err := s.Send(ctx, Notification{From: "+14155550100", To: to, Body: "Hi"})
		if err != nil || !rep.Paused {
			t.Fatalf("paused=%v err %v", rep.Paused, err)
		}
		wantPoints(t, rig.collect(t), "herald.pauses", map[string]float64{"cause=filtering": 1})
	})
}

// TestTelemetryCountsRowsDecidedAtAcceptance: a bad number and a
// duplicate, final before any provider call, are counted like the rest.
func TestTelemetryCountsRowsDecidedAtAcceptance(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rig, opts := newOtelRig(t)
		s := startService(t, fake.New(), opts...)
		if _, err := s.Send(context.Background(), Notification{From: "+14155550100", To: []string{usNumber(1), "bogus", usNumber(1)}, Body: "Hi", Topic: "orders"}); err != nil {
			t.Fatal(err)
		}
		rm := rig.collect(t)
		wantPoints(t, rm, "herald.recipients", map[string]float64{
			"encoding=GSM-7,kind=service,outcome=sent,topic=orders":           1,
			"kind=service,outcome=invalid,reason=invalid_number,topic=orders": 1,
			"kind=service,outcome=duplicate,reason=duplicate,topic=orders":    1,
		})
	})
}

// TestTelemetryStreamSpanCountsItsRecipients: a stream's notification span
// carries the number of recipients read (known only at its end), never the
// -1 its record holds while the sequence is read.
func TestTelemetryStreamSpanCountsItsRecipients(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rig, opts := newOtelRig(t)
		s := startService(t, fake.New(), opts...)
		seq := func(yield func(Recipient) bool) {
			for i := range 1500 { // more than the first batch: the count is open at the start
				if !yield(Recipient{To: usNumber(i)}) {
					return
				}
			}
		}
		if _, err := s.SendStream(context.Background(), Notification{From: "+14155550100", Body: "Hi"}, seq); err != nil {
			t.Fatal(err)
		}
		for _, sp := range rig.spans.GetSpans() {
			if sp.Name != "herald.notification" {
				continue
			}
			var got []int64 // every value set, in order (the last one wins)
			for _, a := range sp.Attributes {
				if a.Key == "herald.recipients" {
					got = append(got, a.Value.AsInt64())
				}
			}
			if len(got) != 1 || got[0] != 1500 {
				t.Fatalf("herald.recipients = %v, want 1500", got)
			}
			return
		}
		t.Fatal("no notification span")
	})
}
