package telnyx_test

import (
	"bytes"
	"crypto/ed25519"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/heraldsms/herald/provider/telnyx"
)

// How a fuzzed webhook request is signed.
const (
	sigNone     = iota // no signature headers
	sigValid           // signed with the account's key over the body sent, now
	sigWrongKey        // signed with another key
	sigTampered        // signed over the body, then the body changed
	sigStale           // a valid signature over a timestamp 10 minutes old
	sigGarbage         // headers that are no signature at all
	sigModes
)

var otherKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))

// fuzzRequest builds a POST of body signed as mode says, and reports
// whether it carries a valid, fresh signature.
func fuzzRequest(body []byte, mode uint8) (*http.Request, bool) {
	stamp := strconv.FormatInt(hookNow.Unix(), 10)
	sent := body
	sig, valid := "", false
	switch mode % sigModes {
	case sigValid:
		sig, valid = telnyx.Sign(privKey, body, stamp), true
	case sigWrongKey:
		sig = telnyx.Sign(otherKey, body, stamp)
	case sigTampered:
		sig = telnyx.Sign(privKey, body, stamp)
		sent = append(bytes.Clone(body), ' ')
	case sigStale:
		stamp = strconv.FormatInt(hookNow.Add(-10*time.Minute).Unix(), 10)
		sig = telnyx.Sign(privKey, body, stamp)
	case sigGarbage:
		sig = "bm90IGEgc2lnbmF0dXJl"
	}
	r := httptest.NewRequest(http.MethodPost, "/telnyx", bytes.NewReader(sent))
	if sig != "" {
		r.Header.Set("telnyx-timestamp", stamp)
		r.Header.Set("telnyx-signature-ed25519", sig)
	}
	return r, valid
}

func FuzzWebhookHandler(f *testing.F) {
	f.Add([]byte(finalized), uint8(sigValid))
	f.Add([]byte(received), uint8(sigNone))
	f.Add([]byte(received), uint8(sigWrongKey))
	f.Add([]byte(finalized), uint8(sigTampered))
	f.Add([]byte(finalized), uint8(sigStale))
	f.Add([]byte(`{"data":{"event_type":"message.sent","id":"e","payload":{"id":"m","to":[]}}}`), uint8(sigGarbage))
	f.Fuzz(func(t *testing.T, body []byte, mode uint8) {
		var s sink
		r, valid := fuzzRequest(body, mode)
		w := httptest.NewRecorder()
		s.handler(telnyx.WithDedupCapacity(1)).ServeHTTP(w, r)
		processed := len(s.updates) + len(s.inbound)
		if !valid && (processed != 0 || w.Code == http.StatusOK) {
			t.Fatalf("request without a valid signature: status %d, %d events processed", w.Code, processed)
		}
		if w.Code != http.StatusOK && processed != 0 {
			t.Fatalf("status %d but the callback ran", w.Code)
		}
		if processed > 1 {
			t.Fatalf("one request processed as %d events", processed)
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(finalized))
	f.Add([]byte(received))
	f.Add([]byte(`{"data":{"event_type":"message.sent","id":"e","payload":{"id":"m","to":[]}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := telnyx.ParseEvent(body)
		if err != nil {
			return
		}
		if ev.ID == "" || (ev.Status != nil && ev.Inbound != nil) {
			t.Fatalf("bad event %+v from %q", ev, body)
		}
		if u := ev.Status; u != nil && (u.ID == "" || (u.Err == nil) != (u.Code == "")) {
			t.Fatalf("bad status %+v from %q", u, body)
		}
	})
}
