package provider_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/heraldsms/herald/provider"
)

func TestReadWebhookBody(t *testing.T) {
	r := httptest.NewRequest("POST", "/", strings.NewReader("abc"))
	if b, err := provider.ReadWebhookBody(httptest.NewRecorder(), r, 3); err != nil || string(b) != "abc" {
		t.Errorf("at the limit: %q, %v", b, err)
	}
	r = httptest.NewRequest("POST", "/", strings.NewReader("abcd"))
	if _, err := provider.ReadWebhookBody(httptest.NewRecorder(), r, 3); !errors.Is(err, provider.ErrBodyTooLarge) {
		t.Errorf("over the limit (Content-Length): %v", err)
	}
	r = httptest.NewRequest("POST", "/", strings.NewReader("abcd"))
	r.ContentLength = -1 // chunked: caught while reading
	if _, err := provider.ReadWebhookBody(httptest.NewRecorder(), r, 3); !errors.Is(err, provider.ErrBodyTooLarge) {
		t.Errorf("over the limit (chunked): %v", err)
	}
	r = httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", provider.DefaultMaxWebhookBytes+1)))
	r.ContentLength = -1
	if _, err := provider.ReadWebhookBody(httptest.NewRecorder(), r, 0); !errors.Is(err, provider.ErrBodyTooLarge) {
		t.Errorf("default limit: %v", err)
	}
}

func TestReadWebhookPost(t *testing.T) {
	for _, tc := range []struct {
		method, body string
		wantOK       bool
		wantCode     int
	}{
		{"POST", "abc", true, 200},
		{"GET", "", false, 405},
		{"POST", "abcd", false, 413},
	} {
		w := httptest.NewRecorder()
		b, ok := provider.ReadWebhookPost(w, httptest.NewRequest(tc.method, "/", strings.NewReader(tc.body)), 3)
		if ok != tc.wantOK || w.Code != tc.wantCode {
			t.Errorf("%s %q: ok=%v code=%d, want ok=%v code=%d", tc.method, tc.body, ok, w.Code, tc.wantOK, tc.wantCode)
		}
		if ok && string(b) != tc.body {
			t.Errorf("%s %q: body %q", tc.method, tc.body, b)
		}
	}
	if w := httptest.NewRecorder(); func() bool {
		_, ok := provider.ReadWebhookPost(w, httptest.NewRequest("PUT", "/", nil), 0)
		return ok || w.Header().Get("Allow") != "POST"
	}() {
		t.Error("a PUT was accepted or answered without Allow: POST")
	}
}

func TestSeenSet(t *testing.T) {
	s := provider.NewSeenSet(2)
	if !s.Add("a") || s.Add("a") {
		t.Fatal("Add did not report a as new exactly once")
	}
	s.Add("b")
	s.Add("c") // evicts a
	if !s.Add("a") {
		t.Error("oldest key not evicted")
	}
	s.Remove("a")
	if !s.Add("a") {
		t.Error("removed key still seen")
	}
	for range 2 {
		if !s.Add("") {
			t.Error("empty key must always be new")
		}
	}
	big := provider.NewSeenSet(0)
	for i := range 10 {
		if !big.Add(fmt.Sprint(i)) {
			t.Errorf("capacity-1 set: %d not new", i)
		}
	}
}
