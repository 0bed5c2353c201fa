package notify

import (
	"context"
	"time"

	"github.com/heraldsms/herald/provider"
)

// otelTelemetry reports to OpenTelemetry meters and tracers. (Implemented
// by the observability work: see WithMeterProvider, WithTracerProvider.)
type otelTelemetry struct{}

func (o *otelTelemetry) notificationStarted(ctx context.Context, rec NotificationRecord) (context.Context, func(*Report, error)) {
	return ctx, func(*Report, error) {}
}
func (o *otelTelemetry) decided(ctx context.Context, n *Notification, m *Message) {}
func (o *otelTelemetry) providerCall(ctx context.Context, prov, messageID string, m *provider.Message) (context.Context, func(provider.Receipt, error)) {
	return ctx, func(provider.Receipt, error) {}
}
func (o *otelTelemetry) retried(ctx context.Context, prov string, err error)              {}
func (o *otelTelemetry) throttled(ctx context.Context, n *Notification, d time.Duration)  {}
func (o *otelTelemetry) receipt(ctx context.Context, u provider.StatusUpdate, m *Message) {}
func (o *otelTelemetry) inbound(ctx context.Context, in provider.Inbound, class string)   {}
func (o *otelTelemetry) paused(ctx context.Context, rec NotificationRecord, why string)   {}
