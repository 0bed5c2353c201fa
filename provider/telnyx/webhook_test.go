package telnyx_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/telnyx"
)

// A fixed key pair: there is no published Telnyx vector, so the tests sign
// their own requests.
var (
	privKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	pubKey  = privKey.Public().(ed25519.PublicKey)
	hookNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

const finalized = `{"data":{"event_type":"message.finalized","id":"evt-1","occurred_at":"2026-03-01T11:59:30Z","payload":{"id":"msg-1","from":{"phone_number":"+14155550000"},"to":[{"phone_number":"+14155550001","status":"delivery_failed"}],"parts":1,"errors":[{"code":"40008","title":"Undeliverable"}],"cost":{"amount":"0.0040","currency":"USD"}}},"meta":{"attempt":1}}`

const received = `{"data":{"event_type":"message.received","id":"evt-2","occurred_at":"2026-03-01T11:59:00Z","payload":{"id":"msg-2","from":{"phone_number":"+14155550001"},"to":[{"phone_number":"+14155550000"}],"text":"STOP","parts":1,"media":[{"url":"https://m.example/1"}]}}}`

func signed(body string, ts time.Time) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/telnyx", strings.NewReader(body))
	stamp := strconv.FormatInt(ts.Unix(), 10)
	r.Header.Set("telnyx-timestamp", stamp)
	r.Header.Set("telnyx-signature-ed25519", telnyx.Sign(privKey, []byte(body), stamp))
	return r
}

type sink struct {
	mu      sync.Mutex
	updates []provider.StatusUpdate
	inbound []provider.Inbound
	fail    error
}

func (s *sink) handler(opts ...telnyx.WebhookOption) http.Handler {
	opts = append([]telnyx.WebhookOption{
		telnyx.WithWebhookClock(func() time.Time { return hookNow }),
		telnyx.OnStatus(func(_ context.Context, u provider.StatusUpdate) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.fail != nil {
				return s.fail
			}
			s.updates = append(s.updates, u)
			return nil
		}),
		telnyx.OnInbound(func(_ context.Context, in provider.Inbound) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.inbound = append(s.inbound, in)
			return nil
		}),
	}, opts...)
	return telnyx.NewWebhookHandler(pubKey, opts...)
}

func TestWebhookValid(t *testing.T) {
	var s sink
	h := s.handler()
	for _, body := range []string{finalized, received} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, signed(body, hookNow.Add(-time.Minute)))
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	wantU := []provider.StatusUpdate{{Provider: "telnyx", ID: "msg-1", Status: provider.StatusUndelivered,
		Raw: "delivery_failed", Code: "40008", Err: provider.ErrUnreachable, Detail: "undeliverable: the carrier did not accept the message", From: "+14155550000", To: "+14155550001",
		At: time.Date(2026, 3, 1, 11, 59, 30, 0, time.UTC), Segments: 1, Price: &provider.Price{Amount: "0.0040", Currency: "USD"}}}
	if d := cmp.Diff(wantU, s.updates, cmp.Comparer(func(a, b error) bool { return a == b })); d != "" {
		t.Errorf("updates (-want +got):\n%s", d)
	}
	wantI := []provider.Inbound{{Provider: "telnyx", ID: "msg-2", From: "+14155550001", To: "+14155550000", Body: "STOP",
		Received: time.Date(2026, 3, 1, 11, 59, 0, 0, time.UTC), Segments: 1, Media: []string{"https://m.example/1"}}}
	if d := cmp.Diff(wantI, s.inbound); d != "" {
		t.Errorf("inbound (-want +got):\n%s", d)
	}
}

func TestWebhookRejects(t *testing.T) {

	tampered := httptest.NewRequest(http.MethodPost, "/telnyx", strings.NewReader(strings.Replace(finalized, "delivery_failed", "delivered", 1)))
	tampered.Header = signed(finalized, hookNow).Header

	otherKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	wrongKey := httptest.NewRequest(http.MethodPost, "/telnyx", strings.NewReader(finalized))
	stamp := strconv.FormatInt(hookNow.Unix(), 10)
	wrongKey.Header.Set("telnyx-timestamp", stamp)
	wrongKey.Header.Set("telnyx-signature-ed25519", telnyx.Sign(otherKey, []byte(finalized), stamp))

	// The signature is valid but the timestamp was swapped for a fresh one.
	restamped := signed(finalized, hookNow.Add(-time.Hour))
	restamped.Header.Set("telnyx-timestamp", stamp)

	unsigned := httptest.NewRequest(http.MethodPost, "/telnyx", strings.NewReader(finalized))

	cases := []struct {
		name string
		req  *http.Request
		code int
	}{
		{"tampered", tampered, http.StatusForbidden},
		{"wrong key", wrongKey, http.StatusForbidden},
		{"replayed after tolerance", signed(finalized, hookNow.Add(-6*time.Minute)), http.StatusForbidden},
		{"from the future", signed(finalized, hookNow.Add(6*time.Minute)), http.StatusForbidden},
		{"restamped", restamped, http.StatusForbidden},
		{"unsigned", unsigned, http.StatusForbidden},
		{"oversized", signed(finalized+strings.Repeat(" ", 4096), hookNow), http.StatusRequestEntityTooLarge},
		{"GET", httptest.NewRequest(http.MethodGet, "/telnyx", nil), http.StatusMethodNotAllowed},
		{"malformed", signed(`{"data":{}}`, hookNow), http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s sink
			w := httptest.NewRecorder()
			s.handler(telnyx.WithMaxBodyBytes(2048)).ServeHTTP(w, tc.req)
			if w.Code != tc.code {
				t.Errorf("status = %d, want %d", w.Code, tc.code)
			}
			if len(s.updates)+len(s.inbound) != 0 {
				t.Error("an event was processed")
			}
		})
	}
}

func TestWebhookReplayWithinToleranceAndRetry(t *testing.T) {
	var s sink
	h := s.handler()
	s.fail = errors.New("db down")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, signed(finalized, hookNow))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("failing callback: %d, want 500", w.Code)
	}
	s.fail = nil
	for range 3 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, signed(finalized, hookNow))
		if w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
	}
	if len(s.updates) != 1 {
		t.Errorf("processed %d times, want once", len(s.updates))
	}
}

func TestWebhookIgnoresOtherEvents(t *testing.T) {
	var s sink
	w := httptest.NewRecorder()
	s.handler().ServeHTTP(w, signed(`{"data":{"event_type":"call.initiated","id":"evt-9","payload":{}}}`, hookNow))
	if w.Code != http.StatusOK || len(s.updates)+len(s.inbound) != 0 {
		t.Errorf("status %d, events %d", w.Code, len(s.updates)+len(s.inbound))
	}
}

func TestVerifySignatureErrors(t *testing.T) {
	stamp := strconv.FormatInt(hookNow.Unix(), 10)
	body := []byte(finalized)
	sig := telnyx.Sign(privKey, body, stamp)
	if err := telnyx.VerifySignature(pubKey, body, sig, stamp, hookNow.Add(5*time.Minute), telnyx.DefaultTolerance); err != nil {
		t.Errorf("at the tolerance edge: %v", err)
	}
	if err := telnyx.VerifySignature(pubKey, body, sig, stamp, hookNow.Add(5*time.Minute+time.Second), telnyx.DefaultTolerance); !errors.Is(err, provider.ErrStaleWebhook) {
		t.Errorf("past tolerance: %v, want ErrStaleWebhook", err)
	}
	for name, args := range map[string][3]string{
		"bad base64": {"!!", stamp, ""}, "bad timestamp": {sig, "yesterday", ""}, "empty": {"", "", ""},
	} {
		if err := telnyx.VerifySignature(pubKey, body, args[0], args[1], hookNow, telnyx.DefaultTolerance); !errors.Is(err, provider.ErrInvalidSignature) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := telnyx.VerifySignature(pubKey[:5], body, sig, stamp, hookNow, telnyx.DefaultTolerance); !errors.Is(err, provider.ErrInvalidSignature) {
		t.Errorf("short key: %v", err)
	}
}
