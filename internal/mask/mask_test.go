package mask

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestNumber(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"+14155550671", "+1415****671"},
		{"+447911123456", "+4479*****456"},
		{"12345678", "******78"},
		{"12", "12"},
		{"", ""},
	} {
		if got := Number(tc.in); got != tc.want {
			t.Errorf("Number(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestIn(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"sender:+14155550671", "sender:+1415****671"},
		{"to +14155550671 and 14155550672.", "to +1415****671 and 14155***672."},
		{"campaign:42", "campaign:42"},
		{"short +1234567", "short +1234567"},
		{"", ""},
	} {
		if got := In(tc.in); got != tc.want {
			t.Errorf("In(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestInKeepsInputWhenNothingToMask(t *testing.T) {
	s := "brand:acme@2026-11-23"
	if got := In(s); got != s {
		t.Fatalf("In(%q) = %q", s, got)
	}
	if n := testing.AllocsPerRun(100, func() { In(s) }); n != 0 {
		t.Fatalf("In allocates %v times for a string without numbers", n)
	}
}

func TestHandlerMasksEveryLine(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(Handler(slog.NewTextHandler(&buf, nil)))
	log = log.With("sender", "+14155550100")
	log.WithGroup("g").Info("no session for +14155552671", "err", errors.New("number +447911123456 refused"),
		"to", "+12125550143", "n", 3, slog.Group("in", "from", "+13105550199"))
	out := buf.String()
	for _, full := range []string{"14155550100", "14155552671", "447911123456", "12125550143", "13105550199"} {
		if strings.Contains(out, full) {
			t.Fatalf("log line has a full number %s: %s", full, out)
		}
	}
	if !strings.Contains(out, "+1415****671") || !strings.Contains(out, "n=3") {
		t.Fatalf("log line lost its content: %s", out)
	}
}
