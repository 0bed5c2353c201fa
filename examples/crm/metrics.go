package main

import (
	"context"
	"log"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/heraldsms/herald/notify"
)

// metrics is the CRM's Prometheus endpoint: Herald reports to an
// OpenTelemetry MeterProvider whose reader is the OpenTelemetry Prometheus
// exporter, and GET /metrics serves what it gathered (see METRICS.md for
// queries).
type metrics struct {
	provider *sdkmetric.MeterProvider
	handler  http.Handler
}

// newMetrics builds the MeterProvider and its Prometheus registry.
func newMetrics() (*metrics, error) {
	reg := prometheus.NewRegistry()
	exp, err := otelprom.New(otelprom.WithRegisterer(reg))
	if err != nil {
		return nil, err
	}
	return &metrics{
		provider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp)),
		handler:  promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
	}, nil
}

// mustMetrics is newMetrics for main: it exits on error.
func mustMetrics() *metrics {
	m, err := newMetrics()
	if err != nil {
		log.Fatal(err)
	}
	return m
}

// Option makes a Service report to m.
func (m *metrics) Option() notify.Option { return notify.WithMeterProvider(m.provider) }

// Mount serves GET /metrics and passes every other request to h.
func (m *metrics) Mount(h http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.handler)
	mux.Handle("/", h)
	return mux
}

// Shutdown stops the MeterProvider.
func (m *metrics) Shutdown(ctx context.Context) error { return m.provider.Shutdown(ctx) }
