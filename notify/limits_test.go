package notify

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/segment"
	"github.com/heraldsms/herald/throttle"
)

func TestUnsendableBodiesAreRefusedBeforeQueuing(t *testing.T) {
	ctx := context.Background()
	fp := fake.New()
	s := startService(t, fp)
	to := []string{usNumber(1)}
	for _, tc := range []struct {
		name string
		body string
		want error
		off  int
	}{
		{"NUL", "Your code\x00 is 1234", segment.ErrInvalidText, 9},
		{"ESC", "Hi \x1b[31mthere", segment.ErrInvalidText, 3},
		{"invalid UTF-8", "Hi \xff there", segment.ErrInvalidText, 3},
		{"lone surrogate", "Hi \xed\xa0\x80 there", segment.ErrInvalidText, 3},
		{"1 MiB", strings.Repeat("a", 1<<20), segment.ErrTooManyParts, -1},
	} {
		for _, plan := range []bool{false, true} {
			var err error
			n := Notification{From: "+14155550100", To: to, Body: tc.body, AcknowledgeMultipart: true}
			if plan {
				_, err = s.Plan(ctx, n)
			} else {
				_, err = s.Send(ctx, n)
			}
			var be *BodyError
			var se *segment.Error
			if !errors.Is(err, tc.want) || !errors.As(err, &be) {
				t.Fatalf("%s (plan %v): err = %v, want a *BodyError matching %v", tc.name, plan, err, tc.want)
			}
			if tc.off >= 0 && (!errors.As(err, &se) || se.Offset != tc.off) {
				t.Errorf("%s: error %v does not name byte %d", tc.name, err, tc.off)
			}
			if len(err.Error()) > 300 {
				t.Errorf("%s: error text is %d bytes", tc.name, len(err.Error()))
			}
		}
	}
	if fp.Attempts() != 0 {
		t.Fatalf("%d provider calls", fp.Attempts())
	}
	// A value that brings a control character fails its recipient only.
	rep, err := s.Send(ctx, Notification{From: "+14155550100", Body: "Hi {{name}}", Recipients: []Recipient{
		{To: usNumber(1), Vars: map[string]string{"name": "Ann"}},
		{To: usNumber(2), Vars: map[string]string{"name": "Bob\x00"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Results[1]; r.Outcome != OutcomeFailed || r.Reason != "invalid_body" || !errors.Is(r.Err, segment.ErrInvalidText) {
		t.Fatalf("row with a NUL value: %v %q %v", r.Outcome, r.Reason, r.Err)
	}
	back, _ := s.Report(ctx, rep.NotificationID)
	if !errors.Is(back.Results[1].Err, segment.ErrInvalidText) {
		t.Fatalf("read back: %v", back.Results[1].Err)
	}
}

func TestInvalidValuesAreErrorsNotOff(t *testing.T) {
	ctx := context.Background()
	s := startService(t, fake.New())
	_, err := s.Send(ctx, Notification{From: "+14155550100", To: []string{usNumber(1)}, Body: "Hi", MaxSegments: -1})
	if !errors.Is(err, ErrInvalidNotification) {
		t.Fatalf("MaxSegments -1: %v", err)
	}
	for name, opt := range map[string]Option{
		"negative daily":    WithLimits(Limits{Daily: -1}),
		"negative rate":     WithLimits(Limits{Sender: throttle.Limit{Rate: -5, Burst: 1}}),
		"zero concurrency":  WithConcurrency(0),
		"negative lease":    WithLease(-1),
		"no attempts":       WithRetry(RetryPolicy{MaxAttempts: 0}),
		"negative poll":     WithPollInterval(-1),
		"zero lookup TTL":   WithLookupTTL(0),
		"unknown lookup op": WithLookupFailure(9),
	} {
		if _, err := New(fake.New(), opt); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

func TestHugeRecipientGivesAShortError(t *testing.T) {
	s := startService(t, fake.New())
	huge := strings.Repeat("4", 1<<20)
	rep, err := s.Send(context.Background(), Notification{From: "+14155550100", To: []string{huge, usNumber(1)}, Body: "Hi"})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	if r.Outcome != OutcomeInvalid || len(r.Err.Error()) > 200 {
		t.Fatalf("outcome %v, error of %d bytes", r.Outcome, len(r.Err.Error()))
	}
}

// TestLogsNeverHoldAFullNumber: every line the Service logs is masked,
// also the text of errors that quote a number.
func TestLogsNeverHoldAFullNumber(t *testing.T) {
	var buf strings.Builder
	var mu sync.Mutex
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return buf.Write(p) })
	fp := fake.New(fake.FailNumber(usNumber(2), fake.OptedOut()))
	s := startService(t, fp, WithLogger(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if _, err := s.Send(context.Background(), Notification{From: "+14155550100", To: []string{usNumber(1), usNumber(2)}, Body: "Hi"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	if out == "" {
		t.Fatal("nothing logged")
	}
	if full := regexp.MustCompile(`\+?\d{10,}`).FindString(out); full != "" {
		t.Fatalf("a log line holds %s:\n%s", full, out)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
