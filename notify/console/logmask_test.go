package console

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider/fake"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// TestLogsMaskAnAuthenticatorsError: the console's log lines mask numbers
// even in text it does not write itself, such as an authenticator's error.
func TestLogsMaskAnAuthenticatorsError(t *testing.T) {
	svc, err := notify.New(fake.New())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(t.Context()) })
	var buf lockedBuffer
	h := New(svc, WithLogger(slog.New(slog.NewTextHandler(&buf, nil))), WithAuthenticator(func(*http.Request) (notify.Actor, error) {
		return notify.Actor{}, errors.New("no session for +14155552671")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/history", nil))
	buf.mu.Lock()
	out := buf.b.String()
	buf.mu.Unlock()
	if out == "" {
		t.Fatal("the refused request was not logged")
	}
	if regexp.MustCompile(`\d{10,}`).MatchString(out) {
		t.Fatalf("a log line holds a full number: %s", out)
	}
}
