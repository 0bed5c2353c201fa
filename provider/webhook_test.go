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
