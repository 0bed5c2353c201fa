package notify

import (
	"context"
	"time"

	"github.com/heraldsms/herald/provider"
)

// telemetry is where the pipeline reports what an operator wants to see:
// decisions, provider calls, retries, throttle waits, receipts, replies,
// guard pauses and the outbox. The zero value reports nothing; the
// OpenTelemetry implementation lives in telemetry_otel.go.
//
// Attributes are low-cardinality only: topic, kind, outcome, reason code,
// provider, encoding; never a phone number or a body.
type telemetry struct {
	otel *otelTelemetry // nil: nothing configured
}

// notificationStarted is called when a Send or SendStream starts running a
// notification; the returned context carries its span and end closes it.
func (t *telemetry) notificationStarted(ctx context.Context, rec NotificationRecord) (context.Context, func(rep *Report, err error)) {
	if t.otel == nil {
		return ctx, func(*Report, error) {}
	}
	return t.otel.notificationStarted(ctx, rec)
}

// decided is called once per row that reached an outcome (or a deferral).
func (t *telemetry) decided(ctx context.Context, n *Notification, m *Message) {
	if t.otel != nil {
		t.otel.decided(ctx, n, m)
	}
}

// providerCall wraps one provider call: it returns the context for the
// call (with its span) and the function to call with the result.
// messageID is the outbox row's ID (the span attribute; never the number).
func (t *telemetry) providerCall(ctx context.Context, prov, messageID string, m *provider.Message) (context.Context, func(rc provider.Receipt, err error)) {
	if t.otel == nil {
		return ctx, noCall
	}
	return t.otel.providerCall(ctx, prov, messageID, m)
}

func noCall(provider.Receipt, error) {}

// retried is called when a provider call will be retried (after its
// back-off is chosen; never after the last attempt), with its cause.
func (t *telemetry) retried(ctx context.Context, prov string, err error) {
	if t.otel != nil {
		t.otel.retried(ctx, prov, err)
	}
}

// throttled is called after a throttle wait of d.
func (t *telemetry) throttled(ctx context.Context, n *Notification, d time.Duration) {
	if t.otel != nil {
		t.otel.throttled(ctx, n, d)
	}
}

// receipt is called for every delivery receipt applied.
func (t *telemetry) receipt(ctx context.Context, u provider.StatusUpdate, m *Message) {
	if t.otel != nil {
		t.otel.receipt(ctx, u, m)
	}
}

// inbound is called for every inbound message handled, with its class
// ("opt-out", "opt-in", "help", "other").
func (t *telemetry) inbound(ctx context.Context, in provider.Inbound, class string) {
	if t.otel != nil {
		t.otel.inbound(ctx, in, class)
	}
}

// paused is called when the reputation guard or a sender error pauses a
// notification.
func (t *telemetry) paused(ctx context.Context, rec NotificationRecord, why string) {
	if t.otel != nil {
		t.otel.paused(ctx, rec, why)
	}
}
