package notify

import (
	"cmp"
	"context"
	"strings"
	"sync"
	"time"
	"weak"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// instrumentation is the OpenTelemetry instrumentation scope name.
const instrumentation = "github.com/heraldsms/herald/notify"

// WithMeterProvider reports metrics to mp (an OpenTelemetry SDK
// MeterProvider, or any other implementation of the API). Without it, or
// with a nil mp, the Service records no metric and pays nothing for them.
//
// The instruments (every attribute is low-cardinality; never a number or
// a body):
//
//   - herald.recipients (counter): rows decided, by topic, kind, outcome,
//     reason, encoding; a deferred row counts once as "deferred" and again
//     when it is finally decided. OutcomeUnknown rows count with
//     outcome="unknown". Rows already final when accepted (invalid numbers,
//     duplicates, missing template values) count too, when accepted.
//   - herald.segments.sent (counter): segments accepted by the provider,
//     by topic, kind, encoding, provider.
//   - herald.provider.duration (histogram, s): each provider call, by
//     provider and result (ok, retryable, permanent, ambiguous) and reason.
//   - herald.provider.retries (counter): retries, by provider and cause.
//   - herald.throttle.wait (histogram, s): throttle waits, by topic, kind.
//   - herald.outbox.depth (gauge): rows of the notifications this Service
//     runs, by state (pending, deferred).
//   - herald.outbox.oldest_pending_age (gauge, s): age of the oldest
//     running notification that still has pending rows.
//   - herald.receipts (counter): delivery receipts that changed a status,
//     by provider, status, topic.
//   - herald.inbound (counter): replies, by provider and class (opt-out,
//     opt-in, help, other).
//   - herald.pauses (counter): notifications paused by the reputation guard
//     or a sender refusal, by cause.
//
// Reason codes are the Result.Reason codes without the provider's own code
// ("carrier_opted_out", not "carrier_opted_out:21610").
//
// The outbox gauges call the Store's Counts once per running notification
// at each collection (a scrape): one indexed query per notification for
// notify/sqlstore, a map read for MemoryStore.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.otel.meters = mp }
}

// WithTracerProvider records traces with tp: a span per notification
// ("herald.notification", a child of the Send context's span), one per
// provider call ("herald.provider.send", a child of the notification span
// while the Send runs; error status on failure), and one per delivery
// receipt and inbound reply ("herald.receipt", "herald.inbound", children
// of the webhook's context, a receipt linked to the provider call that
// sent its message when this Service made it recently). Numbers appear in
// spans only masked (provider.MaskNumber). Without it, or with a nil tp,
// the Service starts no span.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.otel.tracers = tp }
}

// otelConfig is what WithMeterProvider and WithTracerProvider set.
type otelConfig struct {
	meters  metric.MeterProvider
	tracers trace.TracerProvider
}

// otelTelemetry reports to OpenTelemetry meters and tracers.
type otelTelemetry struct {
	tracer trace.Tracer // nil: no traces

	recipients  metric.Int64Counter
	segments    metric.Int64Counter
	callTime    metric.Float64Histogram
	retries     metric.Int64Counter
	throttle    metric.Float64Histogram
	receipts    metric.Int64Counter
	inbounds    metric.Int64Counter
	pauses      metric.Int64Counter
	hasMetrics  bool
	attrsMu     sync.RWMutex
	attrs       map[attrKey]*attrOpts
	callStart   []trace.SpanStartOption
	spans       spanIndex
	sentByRecpt receiptLinks
}

// newOtelTelemetry returns the OpenTelemetry telemetry of s, or nil when
// c configures neither meters nor tracers.
func newOtelTelemetry(c otelConfig, s *Service) *otelTelemetry {
	if c.meters == nil && c.tracers == nil {
		return nil
	}
	o := &otelTelemetry{attrs: make(map[attrKey]*attrOpts), callStart: []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient)}}
	if c.tracers != nil {
		o.tracer = c.tracers.Tracer(instrumentation)
	}
	if c.meters != nil {
		o.hasMetrics = true
		m := c.meters.Meter(instrumentation)
		o.recipients = must(m.Int64Counter("herald.recipients", metric.WithUnit("{recipient}"),
			metric.WithDescription("Recipients decided, by outcome and reason.")))
		o.segments = must(m.Int64Counter("herald.segments.sent", metric.WithUnit("{segment}"),
			metric.WithDescription("Segments accepted by the provider.")))
		o.callTime = must(m.Float64Histogram("herald.provider.duration", metric.WithUnit("s"),
			metric.WithDescription("Duration of provider send calls."),
			metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)))
		o.retries = must(m.Int64Counter("herald.provider.retries", metric.WithUnit("{retry}"),
			metric.WithDescription("Provider calls retried, by cause.")))
		o.throttle = must(m.Float64Histogram("herald.throttle.wait", metric.WithUnit("s"),
			metric.WithDescription("Time spent waiting for the throttle before a send."),
			metric.WithExplicitBucketBoundaries(0, 0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600)))
		o.receipts = must(m.Int64Counter("herald.receipts", metric.WithUnit("{receipt}"),
			metric.WithDescription("Delivery receipts that changed a message's status, by status.")))
		o.inbounds = must(m.Int64Counter("herald.inbound", metric.WithUnit("{message}"),
			metric.WithDescription("Inbound replies, by class.")))
		o.pauses = must(m.Int64Counter("herald.pauses", metric.WithUnit("{pause}"),
			metric.WithDescription("Notifications paused by the reputation guard or a sender refusal.")))
		registerOutboxGauges(m, s)
	}
	return o
}

// must reports an instrument creation error to the global OpenTelemetry
// error handler and returns the instrument (a working no-op on error).
func must[T any](inst T, err error) T {
	if err != nil {
		otel.Handle(err)
	}
	return inst
}

// attrKey identifies a cached attribute set.
type attrKey struct {
	metric                           uint8
	topic, kind, outcome, reason     string
	encoding, provider, status, what string
}

// Metric ids in attrKey.
const (
	keyRecipients = iota
	keySegments
	keyCall
	keyRetry
	keyThrottle
	keyReceipt
	keyInbound
	keyPause
)

// attrOpts are an attribute set as the options of Add and Record calls.
type attrOpts struct {
	add []metric.AddOption
	rec []metric.RecordOption
}

// opt returns the measurement options of k's attributes, built once: the
// attribute sets are few, and building one (sorting, hashing, and the
// option slices) costs more than the measurement.
func (o *otelTelemetry) opt(k attrKey) *attrOpts {
	o.attrsMu.RLock()
	v, ok := o.attrs[k]
	o.attrsMu.RUnlock()
	if ok {
		return v
	}
	var kv []attribute.KeyValue
	add := func(name, v string) {
		if v != "" {
			kv = append(kv, attribute.String(name, v))
		}
	}
	add("topic", k.topic)
	add("kind", k.kind)
	add("outcome", k.outcome)
	add("reason", k.reason)
	add("encoding", k.encoding)
	add("provider", k.provider)
	add("status", k.status)
	switch k.metric {
	case keyCall:
		add("result", k.what)
	case keyRetry:
		add("cause", k.what)
	case keyInbound:
		add("class", k.what)
	case keyPause:
		add("cause", k.what)
	}
	opt := metric.WithAttributeSet(attribute.NewSet(kv...))
	v = &attrOpts{add: []metric.AddOption{opt}, rec: []metric.RecordOption{opt}}
	o.attrsMu.Lock()
	defer o.attrsMu.Unlock()
	if old, ok := o.attrs[k]; ok {
		return old
	}
	o.attrs[k] = v
	return v
}

// reasonCode is a Result.Reason without the provider's own code.
func reasonCode(reason string) string {
	if i := strings.IndexByte(reason, ':'); i >= 0 {
		return reason[:i]
	}
	return reason
}

// topicOf is the topic a notification is counted under.
func topicOf(n *Notification) string { return cmp.Or(n.Topic, DefaultTopic) }

// registerOutboxGauges registers the outbox depth and oldest pending age,
// read at each collection from the Store's Counts of the notifications s
// runs. The callback holds s weakly, so a Service dropped without
// Shutdown is not kept alive by the meter provider.
func registerOutboxGauges(m metric.Meter, s *Service) {
	depth := must(m.Int64ObservableGauge("herald.outbox.depth", metric.WithUnit("{message}"),
		metric.WithDescription("Outbox rows of the notifications this Service runs, by state.")))
	age := must(m.Float64ObservableGauge("herald.outbox.oldest_pending_age", metric.WithUnit("s"),
		metric.WithDescription("Age of the oldest running notification that still has pending rows.")))
	pending := metric.WithAttributeSet(attribute.NewSet(attribute.String("state", "pending")))
	deferred := metric.WithAttributeSet(attribute.NewSet(attribute.String("state", "deferred")))
	ws := weak.Make(s)
	_, err := m.RegisterCallback(func(ctx context.Context, obs metric.Observer) error {
		s := ws.Value()
		if s == nil {
			return nil
		}
		st, ok := s.outboxState(ctx)
		if !ok {
			return nil
		}
		obs.ObserveInt64(depth, st.pending, pending)
		obs.ObserveInt64(depth, st.deferred, deferred)
		obs.ObserveFloat64(age, st.oldest.Seconds())
		return nil
	}, depth, age)
	if err != nil {
		otel.Handle(err)
	}
}

// outboxState is what the outbox gauges report.
type outboxState struct {
	pending, deferred int64
	oldest            time.Duration
}

// outboxState reads the Counts of the notifications s runs; ok is false
// after Shutdown.
func (s *Service) outboxState(ctx context.Context) (outboxState, bool) {
	type running struct {
		id      string
		created time.Time
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return outboxState{}, false
	}
	jobs := make([]running, 0, len(s.jobs))
	for id, j := range s.jobs {
		jobs = append(jobs, running{id, j.rec.CreatedAt})
	}
	s.mu.Unlock()
	var st outboxState
	now := s.now()
	for _, r := range jobs {
		c, err := s.store.Counts(ctx, r.id)
		if err != nil {
			continue // finished and forgotten meanwhile
		}
		st.pending += int64(c[OutcomePending])
		st.deferred += int64(c[OutcomeDeferred])
		if c[OutcomePending] > 0 && !r.created.IsZero() {
			st.oldest = max(st.oldest, now.Sub(r.created))
		}
	}
	return st, true
}
