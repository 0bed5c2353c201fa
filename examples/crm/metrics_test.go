package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/provider/twilio"
)

// TestMetricsEndpoint: after a text, GET /metrics serves Herald's metrics
// in the Prometheus text format: one recipient sent, one provider call,
// and no phone number anywhere; other paths still reach the app. (The
// Service is built here rather than through newApp, so the test does not
// depend on the app's configuration.)
func TestMetricsEndpoint(t *testing.T) {
	m, err := newMetrics()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown(context.Background()) })
	f := fake.New(fake.WithName(twilio.Name))
	t.Cleanup(func() { f.Close() })
	noon := time.Date(2025, 6, 4, 18, 0, 0, 0, time.UTC) // 14:00 in New York
	svc, err := notify.New(f, notify.WithClock(func() time.Time { return noon }), m.Option())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	srv := httptest.NewServer(m.Mount(app))
	t.Cleanup(srv.Close)

	rep, err := svc.Send(context.Background(), notify.Notification{From: "+13125550199", To: []string{"+12125550143"}, Body: "Your quote is ready", Topic: "account"})
	if err != nil || rep.Counts[notify.OutcomeSent] != 1 {
		t.Fatalf("send: %v %v", rep, err)
	}
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^herald_recipients_total\{[^}]*outcome="sent"[^}]*topic="account"[^}]*\} 1$`),
		regexp.MustCompile(`(?m)^herald_segments_sent_total\{[^}]*provider="twilio"[^}]*\} 1$`),
		regexp.MustCompile(`(?m)^herald_provider_duration_seconds_count\{[^}]*provider="twilio",result="ok"[^}]*\} 1$`),
		regexp.MustCompile(`(?m)^herald_outbox_depth\{[^}]*state="pending"[^}]*\} 0$`),
	} {
		if !want.MatchString(text) {
			t.Errorf("/metrics lacks %s:\n%s", want, text)
		}
	}
	if strings.Contains(text, "2125550143") || strings.Contains(text, "3125550199") {
		t.Errorf("/metrics holds a phone number:\n%s", text)
	}
	resp2, err := http.Get(srv.URL + "/contacts")
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusTeapot {
		t.Fatalf("GET /contacts through Mount: HTTP %d, want the app's answer", resp2.StatusCode)
	}
}
