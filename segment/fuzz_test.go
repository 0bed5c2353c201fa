package segment

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// The seed corpora are in testdata/fuzz/<target>; go test runs them. Run a
// target with: go test -run '^$' -fuzz FuzzSplit -fuzztime 60s ./segment/

// fuzzOptions turns the bits of flags into options: 1 code point
// boundaries, 2 16-bit reference, 4 national languages, 8 smart encoding,
// 16 NFC, 32 the cedilla, Greek and accent folds.
func fuzzOptions(flags uint8) []Option {
	var opts []Option
	for bit, o := range []Option{
		WithCodePointBoundaries(), With16BitReference(), WithNationalLanguages(Turkish, Spanish, Portuguese),
		WithSmartEncoding(), WithNFC(),
	} {
		if flags&(1<<bit) != 0 {
			opts = append(opts, o)
		}
	}
	if flags&32 != 0 {
		opts = append(opts, WithCedillaFold(), WithGreekFold(), WithAccentFold())
	}
	return opts
}

// runeStarts reports the offsets where a rune of s starts, as
// utf8.DecodeRuneInString walks it (an invalid byte is a rune of its own).
func runeStarts(s string) map[int]bool {
	starts := map[int]bool{len(s): true}
	for i := 0; i < len(s); {
		starts[i] = true
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return starts
}

func FuzzSplit(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string, flags uint8) {
		opts := fuzzOptions(flags)
		cfg := newConfig(opts)
		a := Analyze(text, opts...)
		parts := Split(text, opts...)
		sent, _ := Normalize(text, opts...)
		if a.Transformed != (sent != text) {
			t.Fatalf("Transformed = %v, Normalize changed the text: %v", a.Transformed, sent != text)
		}
		if got := strings.Join(parts, ""); got != sent {
			t.Fatalf("Join(Split(%q)) = %q, want %q", text, got, sent)
		}
		if len(parts) != a.Segments {
			t.Fatalf("len(Split) = %d, Analyze.Segments = %d", len(parts), a.Segments)
		}
		starts, cut, total := runeStarts(sent), 0, 0
		for i, p := range parts {
			if p == "" {
				t.Fatalf("part %d is empty", i)
			}
			// A cut inside a character would split a surrogate pair (an
			// astral character) or an escape (an extension character).
			if cut += len(p); !starts[cut] {
				t.Fatalf("part %d ends inside a character: %q", i, p)
			}
			n := unitsOf(a, p)
			total += n
			if n > a.PerSegment {
				t.Fatalf("part %d holds %d units, capacity %d", i, n, a.PerSegment)
			}
		}
		if total != a.Units {
			t.Fatalf("parts hold %d units, Analyze.Units = %d", total, a.Units)
		}
		if len(parts) > 0 && a.Remaining != a.PerSegment-unitsOf(a, parts[len(parts)-1]) {
			t.Fatalf("Remaining = %d, last part holds %d of %d", a.Remaining, unitsOf(a, parts[len(parts)-1]), a.PerSegment)
		}
		if a.TooManyParts != (a.Segments > MaxParts) || (a.CheckParts() == nil) != (a.Segments <= MaxParts && !a.OverMax) {
			t.Fatalf("Segments %d, TooManyParts %v, OverMax %v, CheckParts %v", a.Segments, a.TooManyParts, a.OverMax, a.CheckParts())
		}
		// The cuts are those of the slow reference, and the work is linear:
		// part k+2 starts at or after where the scan of part k stopped, so
		// the scans cover the text at most twice, each examined at most three
		// times, plus one code point of lookahead per part.
		if len(sent) <= 4096 {
			if diff := cmp.Diff(referenceSplit(sent, a, cfg.codePoints), parts); a.Segments > 0 && diff != "" {
				t.Fatalf("Split(%q) (-reference +got):\n%s", text, diff)
			}
		}
		if a.Segments > 1 {
			st := newCutStats()
			m := measure{enc: a.Encoding, t: tableSet{lock: a.LockingShift, single: a.SingleShift}}
			for start := 0; start < len(sent); {
				start, _ = nextCut(sent, start, m, a.PerSegment, cfg.codePoints, &st)
			}
			if limit := 6*len(sent) + 4*len(parts); st.work > limit {
				t.Fatalf("%d bytes examined for %d bytes in %d parts, limit %d", st.work, len(sent), len(parts), limit)
			}
		}
	})
}

func FuzzValidate(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string) {
		want := -1 // the first offset the rule refuses
		for i := 0; i < len(text); {
			r, n := utf8.DecodeRuneInString(text[i:])
			if (r == utf8.RuneError && n == 1) || (unicode.IsControl(r) && !strings.ContainsRune("\t\n\f\r", r)) {
				want = i
				break
			}
			i += n
		}
		err := Validate(text)
		if want < 0 {
			if err != nil {
				t.Fatalf("Validate(%q) = %v, want nil", text, err)
			}
		} else {
			var e *Error
			if !errors.Is(err, ErrInvalidText) || !errors.As(err, &e) || e.Offset != want {
				t.Fatalf("Validate(%q) = %v, want an *Error at byte %d", text, err, want)
			}
			rest := text[want:]
			surrogate := len(rest) >= 3 && rest[0] == 0xED && rest[1] >= 0xA0 && rest[1] <= 0xBF && rest[2] >= 0x80 && rest[2] <= 0xBF
			if surrogate != (e.Rune >= 0xD800 && e.Rune <= 0xDFFF) {
				t.Fatalf("Validate(%q) = %v: surrogate %v, Rune %U", text, err, surrogate, e.Rune)
			}
		}
		if len(text) > 8192 {
			return
		}
		_, encErr := Encode(text, 1)
		switch {
		case err != nil && (encErr == nil || encErr.Error() != err.Error()):
			t.Fatalf("Validate(%q) = %v, Encode error = %v", text, err, encErr)
		case err == nil && encErr != nil && !errors.Is(encErr, ErrTooManyParts):
			t.Fatalf("Validate(%q) = nil, Encode error = %v", text, encErr)
		}
	})
}

func FuzzEncodeDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string, flags uint8) {
		if len(text) > 20000 {
			return
		}
		opts := fuzzOptions(flags)
		pdus, err := Encode(text, 0xABCD, opts...)
		if err != nil {
			if errors.Is(err, ErrTooManyParts) || (errors.Is(err, ErrInvalidText) && Validate(text) != nil) {
				return
			}
			t.Fatalf("Encode(%q): %v", text, err)
		}
		a := Analyze(text, opts...)
		if want := max(a.Segments, 1); len(pdus) != want {
			t.Fatalf("%d PDUs, want %d", len(pdus), want)
		}
		parts := Split(text, opts...)
		for i, p := range pdus {
			if len(p.UserData) > 140 || (p.Encoding == GSM7 && p.UDL > 160) || p.Encoding != a.Encoding {
				t.Fatalf("part %d: %v, UDL %d, %d octets", i, p.Encoding, p.UDL, len(p.UserData))
			}
			// Each PDU decodes on its own to its part of Split: no escape
			// or surrogate pair is split between two PDUs.
			h, err := p.Header()
			if err != nil {
				t.Fatalf("part %d header: %v", i, err)
			}
			got, err := decodeText(p, h, i+1)
			if err != nil {
				t.Fatalf("part %d: %v", i, err)
			}
			if len(parts) > 0 && got != parts[i] {
				t.Fatalf("part %d decodes to %q, Split gives %q", i, got, parts[i])
			}
		}
		back, err := Decode(pdus)
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if sent, _ := Normalize(text, opts...); back != sent {
			t.Fatalf("Decode(Encode(%q)) = %q, want %q", text, back, sent)
		}
	})
}
