package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/provider/twilio"
)

// TestMetricsEndpoint: after one text through the CRM, GET /metrics serves
// Herald's metrics in the Prometheus text format: one recipient sent, one
// provider call, and no phone number anywhere.
func TestMetricsEndpoint(t *testing.T) {
	m, err := newMetrics()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown(t.Context()) })
	clk := &clock{now: time.Date(2025, 6, 4, 18, 0, 0, 0, time.UTC)}
	f := fake.New(fake.WithName(twilio.Name))
	t.Cleanup(func() { f.Close() })
	app, err := newApp(f, testToken, testFrom, demoContacts(), notify.WithClock(clk.Now), m.Option())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Shutdown(t.Context()) })
	srv := httptest.NewServer(m.Mount(app.Handler()))
	t.Cleanup(srv.Close)

	resp, err := http.PostForm(srv.URL+"/contacts/C-1001/notify", url.Values{"body": {"Your quote is ready"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("notify: HTTP %d", resp.StatusCode)
	}
	resp, err = http.Get(srv.URL + "/metrics")
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
	// Other paths still reach the CRM.
	resp2, err := http.Get(srv.URL + "/conversations")
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusOK {
		t.Fatalf("GET /conversations through Mount: HTTP %d", resp2.StatusCode)
	}
}
