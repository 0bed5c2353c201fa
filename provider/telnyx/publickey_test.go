package telnyx_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/telnyx"
)

// TestParsePublicKey: the portal shows the key as base64 of the raw 32
// bytes; the parsed key verifies a webhook signed with its private half.
func TestParsePublicKey(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	shown := base64.StdEncoding.EncodeToString(pub)
	for _, s := range []string{shown, " " + shown + "\n"} {
		got, err := telnyx.ParsePublicKey(s)
		if err != nil {
			t.Fatalf("ParsePublicKey(%q): %v", s, err)
		}
		if !got.Equal(pub) {
			t.Fatalf("ParsePublicKey(%q) = %x, want %x", s, got, pub)
		}
	}

	key, _ := telnyx.ParsePublicKey(shown)
	var updates int
	h := telnyx.NewWebhookHandler(key, telnyx.WithWebhookClock(func() time.Time { return hookNow }),
		telnyx.OnStatus(func(context.Context, provider.StatusUpdate) error { updates++; return nil }))
	stamp := strconv.FormatInt(hookNow.Unix(), 10)
	r := httptest.NewRequest(http.MethodPost, "/telnyx", strings.NewReader(finalized))
	r.Header.Set("telnyx-timestamp", stamp)
	r.Header.Set("telnyx-signature-ed25519", telnyx.Sign(priv, []byte(finalized), stamp))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK || updates != 1 {
		t.Errorf("status %d, %d updates; want the signed webhook accepted", w.Code, updates)
	}
}

func TestParsePublicKeyRejects(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	for name, s := range map[string]string{
		"empty":       "",
		"not base64":  "not a key!",
		"too short":   base64.StdEncoding.EncodeToString(pub[:31]),
		"too long":    base64.StdEncoding.EncodeToString(append(append([]byte{}, pub...), 0)),
		"hex":         strings.Repeat("ab", 32),
		"PEM":         "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA" + base64.StdEncoding.EncodeToString(pub) + "\n-----END PUBLIC KEY-----",
		"private key": base64.StdEncoding.EncodeToString(ed25519.NewKeyFromSeed(make([]byte, 32))),
	} {
		if _, err := telnyx.ParsePublicKey(s); !errors.Is(err, provider.ErrInvalidSignature) {
			t.Errorf("%s: err = %v, want an error wrapping provider.ErrInvalidSignature", name, err)
		}
	}
}
