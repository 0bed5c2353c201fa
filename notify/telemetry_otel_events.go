package notify

import (
	"cmp"
	"context"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/heraldsms/herald/provider"
)

func (o *otelTelemetry) notificationStarted(ctx context.Context, rec NotificationRecord) (context.Context, func(*Report, error)) {
	if o.tracer == nil {
		return ctx, func(*Report, error) {}
	}
	ctx, span := o.tracer.Start(ctx, "herald.notification", trace.WithSpanKind(trace.SpanKindInternal))
	if !span.IsRecording() {
		return ctx, func(*Report, error) { span.End() }
	}
	span.SetAttributes(
		attribute.String("herald.notification.id", rec.ID),
		attribute.String("herald.topic", cmp.Or(rec.Topic, DefaultTopic)),
		attribute.String("herald.kind", rec.Notification.Kind.String()),
	)
	if rec.Total >= 0 {
		// A stream's count is known when its sequence is read: set at the end.
		span.SetAttributes(attribute.Int("herald.recipients", rec.Total))
	}
	o.spans.add(rec.ID, span.SpanContext())
	return ctx, func(rep *Report, err error) {
		o.spans.remove(rec.ID)
		if rep != nil {
			kv := make([]attribute.KeyValue, 0, len(rep.Counts)+3)
			total := 0
			for out, n := range rep.Counts {
				kv = append(kv, attribute.Int("herald.count."+out.String(), n))
				total += n
			}
			kv = append(kv, attribute.Int("herald.recipients", total))
			kv = append(kv, attribute.Int("herald.segments", rep.Segments))
			if rep.Paused {
				kv = append(kv, attribute.Bool("herald.paused", true))
			}
			span.SetAttributes(kv...)
		}
		if err != nil {
			span.SetStatus(codes.Error, provider.MaskNumbersIn(err.Error()))
		}
		span.End()
	}
}

func (o *otelTelemetry) decided(ctx context.Context, n *Notification, m *Message) {
	if !o.hasMetrics {
		return
	}
	// Enabled is false for a no-op instrument or one a view drops: the
	// attributes are not even looked up.
	topic, kind := cmp.Or(m.Topic, topicOf(n)), n.Kind.String()
	if o.recipients.Enabled(ctx) {
		o.recipients.Add(ctx, 1, o.opt(attrKey{metric: keyRecipients, topic: topic, kind: kind,
			outcome: m.Outcome.String(), reason: reasonCode(m.Reason), encoding: m.Encoding}).add...)
	}
	if m.Outcome == OutcomeSent && m.Segments > 0 && o.segments.Enabled(ctx) {
		o.segments.Add(ctx, int64(m.Segments), o.opt(attrKey{metric: keySegments, topic: topic, kind: kind,
			encoding: m.Encoding, provider: m.Provider}).add...)
	}
}

func (o *otelTelemetry) providerCall(ctx context.Context, prov, messageID string, m *provider.Message) (context.Context, func(provider.Receipt, error)) {
	var span trace.Span
	if o.tracer != nil {
		parent := ctx
		if sc, ok := o.spans.get(notificationOf(messageID)); ok {
			parent = trace.ContextWithSpanContext(ctx, sc)
		}
		ctx, span = o.tracer.Start(parent, "herald.provider.send", o.callStart...)
		if !span.IsRecording() {
			span = nil
		} else {
			span.SetAttributes(
				attribute.String("herald.message.id", messageID),
				attribute.String("herald.to", provider.MaskNumber(m.To)),
			)
		}
	}
	timed := o.hasMetrics && o.callTime.Enabled(ctx)
	if !timed && span == nil {
		return ctx, noCall
	}
	var t0 time.Time
	if timed {
		t0 = time.Now()
	}
	return ctx, func(rc provider.Receipt, err error) {
		result, reason, prov := "ok", "", cmp.Or(prov, rc.Provider)
		if err != nil {
			result, reason, prov = provider.ClassOf(err).String(), reasonCode(providerReason(err)), providerOf(err, prov)
		}
		if timed {
			o.callTime.Record(ctx, time.Since(t0).Seconds(), o.opt(attrKey{metric: keyCall, provider: prov, what: result, reason: reason}).rec...)
		}
		if span == nil {
			return
		}
		span.SetAttributes(attribute.String("herald.provider", prov))
		if err != nil {
			span.SetAttributes(attribute.String("herald.error.class", result), attribute.String("herald.reason", reason))
			span.SetStatus(codes.Error, provider.MaskNumbersIn(err.Error()))
		} else {
			span.SetAttributes(attribute.String("herald.provider.message_id", rc.ID))
			o.sentByRecpt.add(rc.ID, span.SpanContext())
		}
		span.End()
	}
}

// notificationOf is the notification ID of an outbox row ID.
func notificationOf(messageID string) string {
	if i := strings.LastIndexByte(messageID, '/'); i >= 0 {
		return messageID[:i]
	}
	return messageID
}

func (o *otelTelemetry) retried(ctx context.Context, prov string, err error) {
	if o.hasMetrics && o.retries.Enabled(ctx) {
		o.retries.Add(ctx, 1, o.opt(attrKey{metric: keyRetry, provider: providerOf(err, prov), what: reasonCode(providerReason(err))}).add...)
	}
}

func (o *otelTelemetry) throttled(ctx context.Context, n *Notification, d time.Duration) {
	if o.hasMetrics && o.throttle.Enabled(ctx) {
		o.throttle.Record(ctx, d.Seconds(), o.opt(attrKey{metric: keyThrottle, topic: topicOf(n), kind: n.Kind.String()}).rec...)
	}
}

func (o *otelTelemetry) receipt(ctx context.Context, u provider.StatusUpdate, m *Message) {
	if o.hasMetrics {
		o.receipts.Add(ctx, 1, o.opt(attrKey{metric: keyReceipt, provider: u.Provider, status: u.Status.String(), topic: m.Topic}).add...)
	}
	if o.tracer == nil {
		return
	}
	var opts []trace.SpanStartOption
	if sc, ok := o.sentByRecpt.get(u.ID); ok {
		opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
	}
	_, span := o.tracer.Start(ctx, "herald.receipt", opts...)
	if span.IsRecording() {
		span.SetAttributes(
			attribute.String("herald.provider", u.Provider),
			attribute.String("herald.provider.message_id", u.ID),
			attribute.String("herald.status", u.Status.String()),
			attribute.String("herald.message.id", m.ID),
			attribute.String("herald.notification.id", m.NotificationID),
		)
		if u.Code != "" {
			span.SetAttributes(attribute.String("herald.provider.code", u.Code))
		}
	}
	span.End()
}

func (o *otelTelemetry) inbound(ctx context.Context, in provider.Inbound, class string) {
	if o.hasMetrics {
		o.inbounds.Add(ctx, 1, o.opt(attrKey{metric: keyInbound, provider: in.Provider, what: class}).add...)
	}
	if o.tracer == nil {
		return
	}
	_, span := o.tracer.Start(ctx, "herald.inbound", trace.WithSpanKind(trace.SpanKindConsumer))
	if span.IsRecording() {
		span.SetAttributes(
			attribute.String("herald.provider", in.Provider),
			attribute.String("herald.reply.class", class),
			attribute.String("herald.from", provider.MaskNumber(in.From)),
		)
	}
	span.End()
}

func (o *otelTelemetry) paused(ctx context.Context, rec NotificationRecord, why string) {
	cause := pauseCause(why)
	if o.hasMetrics {
		o.pauses.Add(ctx, 1, o.opt(attrKey{metric: keyPause, what: cause}).add...)
	}
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.AddEvent("herald.paused", trace.WithAttributes(attribute.String("herald.pause.cause", cause)))
	}
}

// pauseCause is the low-cardinality cause of a pause reason (the reason
// itself quotes rates and provider details): the reputation guard's
// "filtering", "opt_outs", "permanent_failures" (as judge in
// reputation.go words them), a sender refusal's "sender_rejected", or
// "other".
func pauseCause(why string) string {
	switch {
	case strings.Contains(why, "carrier filtering at"):
		return "filtering"
	case strings.Contains(why, "carrier opt-outs at"):
		return "opt_outs"
	case strings.Contains(why, "permanent failures at"):
		return "permanent_failures"
	case strings.Contains(why, "refused the sender"):
		return "sender_rejected"
	}
	return "other"
}
