package segment

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateAccepts(t *testing.T) {
	for _, text := range []string{
		"", "Hello", "line\nbreak\r\nand\ttab\fpage", "€{}[]~^|\\", "Привет 😀 👨\u200d👩\u200d👧",
		"e\u0301", "\uFFFD is a character", "\u2028\u00a0\u00a9", "\U0010FFFD", "\u00a0",
	} {
		if err := Validate(text); err != nil {
			t.Errorf("Validate(%q) = %v, want nil", text, err)
		}
	}
}

func TestValidateRefuses(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		want   error
		offset int
		r      rune
		reason string
	}{
		{"NUL", "ab\x00", ErrForbiddenChar, 2, 0, ""},
		{"raw ESC", "a\x1b(", ErrForbiddenChar, 1, 0x1B, ""},
		{"SOH", "\x01", ErrForbiddenChar, 0, 0x01, ""},
		{"vertical tab", "a\vb", ErrForbiddenChar, 1, 0x0B, ""},
		{"unit separator", "ж\x1f", ErrForbiddenChar, 2, 0x1F, ""},
		{"DEL", "abc\x7f", ErrForbiddenChar, 3, 0x7F, ""},
		{"C1 NEL", "ok\u0085", ErrForbiddenChar, 2, 0x85, ""},
		{"C1 APC", "\u009f", ErrForbiddenChar, 0, 0x9F, ""},
		{"invalid byte", "ab\xffc", ErrInvalidUTF8, 2, 0, "byte 0xFF"},
		{"truncated euro", "ab\xe2\x82", ErrInvalidUTF8, 2, 0, "byte 0xE2"},
		{"overlong slash", "\xc0\xaf", ErrInvalidUTF8, 0, 0, "byte 0xC0"},
		{"beyond U+10FFFF", "x\xf4\x90\x80\x80", ErrInvalidUTF8, 1, 0, "byte 0xF4"},
		{"lone high surrogate (WTF-8)", "a\xed\xa0\x80b", ErrInvalidUTF8, 1, 0xD800, "surrogate"},
		{"lone low surrogate (WTF-8)", "ж\xed\xbf\xbf", ErrInvalidUTF8, 2, 0xDFFF, "surrogate"},
		{"surrogate pair (CESU-8)", "\xed\xa0\xbd\xed\xb8\x80", ErrInvalidUTF8, 0, 0xD83D, "surrogate"},
		{"first problem wins", "a\xff\x00", ErrInvalidUTF8, 1, 0, "byte 0xFF"},
		{"after a long valid prefix", strings.Repeat("abcdefgh", 100) + "\x07", ErrForbiddenChar, 800, 0x07, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.text)
			if !errors.Is(err, ErrInvalidText) {
				t.Fatalf("Validate(%q) = %v, want ErrInvalidText", tt.text, err)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Validate(%q) = %v, want %v", tt.text, err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if e.Offset != tt.offset || e.Rune != tt.r || !strings.Contains(e.Detail, tt.reason) {
				t.Errorf("Offset, Rune, Detail = %d, %U, %q; want %d, %U, %q", e.Offset, e.Rune, e.Detail, tt.offset, tt.r, tt.reason)
			}
			if errors.Is(err, ErrTooManyParts) {
				t.Errorf("%v matches ErrTooManyParts", err)
			}
			// Encode refuses the same texts with the same error.
			if _, encErr := Encode(tt.text, 1); encErr == nil || encErr.Error() != err.Error() {
				t.Errorf("Encode error = %v, want %v", encErr, err)
			}
		})
	}
}

func TestValidateMessage(t *testing.T) {
	if got, want := Validate("a\xed\xa0\x80").Error(),
		"segment: invalid UTF-8 U+D800 at byte 1: UTF-16 surrogate encoded in UTF-8 (CESU-8 or WTF-8)"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestValidateDoesNotAllocate(t *testing.T) {
	text := strings.Repeat("Hello ж 😀\n", 50)
	if n := testing.AllocsPerRun(100, func() { _ = Validate(text) }); n != 0 {
		t.Errorf("Validate allocates %v times", n)
	}
}

func TestCheckParts(t *testing.T) {
	if err := Analyze(strings.Repeat("a", 153*255)).CheckParts(); err != nil {
		t.Errorf("255 parts: %v", err)
	}
	if err := Analyze("").CheckParts(); err != nil {
		t.Errorf("empty text: %v", err)
	}
	err := Analyze(strings.Repeat("a", 153*255+1)).CheckParts()
	var e *Error
	if !errors.Is(err, ErrTooManyParts) || !errors.As(err, &e) || e.Part != MaxParts+1 || e.Detail != "the text needs 256 parts" {
		t.Errorf("256 parts: %#v", err)
	}
	if errors.Is(err, ErrInvalidText) {
		t.Errorf("%v matches ErrInvalidText", err)
	}
	err = Analyze(strings.Repeat("a", 400), WithMaxSegments(2)).CheckParts()
	if !errors.Is(err, ErrTooManySegments) || err.Error() != "segment: more parts than allowed: the text needs 3 parts, at most 2 allowed" {
		t.Errorf("max segments: %v", err)
	}
	// Over both limits: the header limit is reported.
	err = Analyze(strings.Repeat("a", 153*300), WithMaxSegments(2)).CheckParts()
	if !errors.Is(err, ErrTooManyParts) {
		t.Errorf("over both limits: %v", err)
	}
}

func TestCheck(t *testing.T) {
	a, err := Check("Hi \u2019there\u2019", WithSmartEncoding())
	if err != nil || a.Encoding != GSM7 || !a.Transformed {
		t.Errorf("Check = %+v, %v", a, err)
	}
	if _, err := Check("a\x00"); !errors.Is(err, ErrInvalidText) {
		t.Errorf("NUL: %v", err)
	}
	if a, err := Check(strings.Repeat("ж", 67*255+1)); !errors.Is(err, ErrTooManyParts) || a.Segments != 256 {
		t.Errorf("256 parts: %d parts, %v", a.Segments, err)
	}
}

func TestValidateLength(t *testing.T) {
	if err := Validate(strings.Repeat("a", MaxTextBytes)); err != nil {
		t.Errorf("MaxTextBytes bytes: %v", err)
	}
	err := Validate(strings.Repeat("a", MaxTextBytes+1))
	var e *Error
	if !errors.Is(err, ErrTooManyParts) || errors.Is(err, ErrInvalidText) || !errors.As(err, &e) || e.Offset != MaxTextBytes {
		t.Errorf("MaxTextBytes+1 bytes: %v", err)
	}
	// The densest texts (most bytes a part) still fit MaxParts parts below
	// MaxTextBytes: euro signs, one septet each in a locking shift table,
	// and Hangul syllables written as three jamo each, which WithNFC
	// composes into one UCS-2 unit.
	dense := []struct {
		name string
		unit string
		opts []Option
	}{
		{"euro, Turkish locking shift", "€", []Option{WithNationalLanguages(Turkish)}},
		{"decomposed Hangul with NFC", "\u1100\u1161\u11a8", []Option{WithNFC()}},
		{"decomposed é with NFC", "e\u0301", []Option{WithNFC()}},
		{"Greek with three marks, NFC", "\u03c9\u0314\u0342\u0345", []Option{WithNFC()}},
		{"astral emoji", "😀", nil},
		{"CJK", "中", nil},
	}
	for _, d := range dense {
		// As many units as MaxParts parts carry.
		a := Analyze(strings.Repeat(d.unit, 1000), d.opts...)
		text := strings.Repeat(d.unit, MaxParts*(a.PerSegment/(a.Units/1000)))
		if got := Analyze(text, d.opts...).Segments; got != MaxParts {
			t.Fatalf("%s: %d parts, want %d", d.name, got, MaxParts)
		}
		if len(text) > MaxTextBytes {
			t.Errorf("%s: %d bytes fit %d parts, over MaxTextBytes (%d)", d.name, len(text), MaxParts, MaxTextBytes)
		}
	}
}
