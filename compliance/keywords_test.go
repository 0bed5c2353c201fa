package compliance

import (
	"strings"
	"testing"

	"golang.org/x/text/width"

	"github.com/google/go-cmp/cmp"
)

func TestClassifyReply(t *testing.T) {
	tests := []struct {
		text string
		want Match
	}{
		// Exact keywords, any case, whitespace and punctuation.
		{"STOP", Match{ReplyOptOut, true, "STOP"}},
		{"stop", Match{ReplyOptOut, true, "STOP"}},
		{"  Stop!!! ", Match{ReplyOptOut, true, "STOP"}},
		{"stop.\n", Match{ReplyOptOut, true, "STOP"}},
		{"\"STOP\"", Match{ReplyOptOut, true, "STOP"}},
		{"STOPALL", Match{ReplyOptOut, true, "STOPALL"}},
		{"stop all", Match{ReplyOptOut, true, "STOPALL"}},
		{"Unsubscribe", Match{ReplyOptOut, true, "UNSUBSCRIBE"}},
		{"unsub", Match{ReplyOptOut, true, "UNSUB"}},
		{"cancel", Match{ReplyOptOut, true, "CANCEL"}},
		{"END", Match{ReplyOptOut, true, "END"}},
		{"quit", Match{ReplyOptOut, true, "QUIT"}},
		{"revoke", Match{ReplyOptOut, true, "REVOKE"}},
		{"OPTOUT", Match{ReplyOptOut, true, "OPTOUT"}},
		{"opt out", Match{ReplyOptOut, true, "OPTOUT"}},
		{"Opt-Out", Match{ReplyOptOut, true, "OPTOUT"}},
		{"remove", Match{ReplyOptOut, true, "REMOVE"}},
		{"arrêt", Match{ReplyOptOut, true, "ARRET"}},
		{"TD", Match{ReplyOptOut, true, "TD"}},
		// Spanish.
		{"PARAR", Match{ReplyOptOut, true, "PARAR"}},
		{"alto", Match{ReplyOptOut, true, "ALTO"}},
		{"Baja", Match{ReplyOptOut, true, "BAJA"}},
		{"cancelar", Match{ReplyOptOut, true, "CANCELAR"}},
		{"No más", Match{ReplyOptOut, true, "NOMAS"}},
		{"ayuda", Match{ReplyHelp, true, "AYUDA"}},
		// Opt-in and help.
		{"START", Match{ReplyOptIn, true, "START"}},
		{"unstop", Match{ReplyOptIn, true, "UNSTOP"}},
		{"Resume", Match{ReplyOptIn, true, "RESUME"}},
		{"HELP", Match{ReplyHelp, true, "HELP"}},
		{"info?", Match{ReplyHelp, true, "INFO"}},
		// YES is opt-in only where configured.
		{"YES", Match{}},
		// Inferred: a keyword opening a longer reply.
		{"STOP PLEASE", Match{ReplyOptOut, false, "STOP"}},
		{"Stop it!", Match{ReplyOptOut, false, "STOP"}},
		{"unsubscribe me now", Match{ReplyOptOut, false, "UNSUBSCRIBE"}},
		// Inferred: sentences.
		{"please stop texting me", Match{ReplyOptOut, false, "STOP TEXTING"}},
		{"Can you stop sending these?", Match{ReplyOptOut, false, "STOP SENDING"}},
		{"Don't text me again", Match{ReplyOptOut, false, "DONT TEXT"}},
		{"don’t message me", Match{ReplyOptOut, false, "DONT MESSAGE"}},
		{"do not contact me", Match{ReplyOptOut, false, "DO NOT CONTACT"}},
		{"please remove me from this list", Match{ReplyOptOut, false, "REMOVE ME"}},
		{"take me off your list", Match{ReplyOptOut, false, "TAKE ME OFF"}},
		{"I want to opt out", Match{ReplyOptOut, false, "OPT OUT"}},
		{"wrong number", Match{ReplyOptOut, false, "WRONG NUMBER"}},
		{"no more messages please", Match{ReplyOptOut, false, "NO MORE MESSAGES"}},
		{"por favor no más mensajes", Match{ReplyOptOut, false, "NO MAS"}},
		{"dejen de enviarme mensajes", Match{ReplyOptOut, false, "DEJEN DE"}},
		// Not keywords.
		{"", Match{}},
		{"   ", Match{}},
		{"!!!", Match{}},
		{"Thanks!", Match{}},
		{"cancel my appointment", Match{}},
		{"the end is near", Match{}},
		{"stopwatch", Match{}},
		{"I'll stop by tomorrow", Match{}},
		{"help me", Match{}},
		{"Is the store open?", Match{}},
		{"ok 👍", Match{}},
	}
	for _, tt := range tests {
		got := NewKeywords().Classify(tt.text)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Classify(%q) (-want +got):\n%s", tt.text, diff)
		}
		if r := ClassifyReply(tt.text); r != tt.want.Reply {
			t.Errorf("ClassifyReply(%q) = %v, want %v", tt.text, r, tt.want.Reply)
		}
	}
}

func TestKeywordsOptions(t *testing.T) {
	k := NewKeywords(
		WithYesOptIn(),
		WithKeyword(ReplyOptOut, "Basta"),
		WithKeyword(ReplyHelp, "Hilfe"),
		WithoutKeyword("STOP", "TD", "info"),
		WithPhrase(ReplyOptOut, "go away"),
	)
	tests := []struct {
		text string
		want Match
	}{
		{"yes", Match{ReplyOptIn, true, "YES"}},
		{"basta!", Match{ReplyOptOut, true, "BASTA"}},
		{"HILFE", Match{ReplyHelp, true, "HILFE"}},
		{"stop", Match{ReplyOptOut, true, "STOP"}}, // protected, stays
		{"td", Match{}},
		{"info", Match{}},
		{"please go away", Match{ReplyOptOut, false, "GO AWAY"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, k.Classify(tt.text)); diff != "" {
			t.Errorf("Classify(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
	exact := NewKeywords(WithoutInference())
	if got := exact.Classify("please stop texting me"); got.Reply != ReplyOther {
		t.Errorf("WithoutInference: sentence classified as %v", got.Reply)
	}
	if got := exact.Classify("Stop!"); got != (Match{ReplyOptOut, true, "STOP"}) {
		t.Errorf("WithoutInference: exact keyword = %+v", got)
	}
	var zero Keywords
	if got := zero.Classify("stop"); got.Reply != ReplyOptOut {
		t.Errorf("zero Keywords: Classify(stop) = %v", got.Reply)
	}
}

func TestClassifyLongReply(t *testing.T) {
	long := ""
	for range 100 {
		long += "blah blah "
	}
	if got := ClassifyReply(long + "please stop texting me"); got != ReplyOptOut {
		t.Errorf("long reply ending in an opt-out = %v", got)
	}
	if got := ClassifyReply(long); got != ReplyOther {
		t.Errorf("long reply = %v", got)
	}
}

// FuzzClassifyReply checks that classification never panics, gives a
// consistent Match, and does not depend on case or on full-width versus
// half-width forms. Its seeds are in testdata/fuzz/FuzzClassifyReply and
// below; go test runs them.
func FuzzClassifyReply(f *testing.F) {
	for _, s := range []string{"STOP", "stop all", "please stop texting me", "No más", "", "\xff\xfe", "opt-out", "don't text",
		"Can you stop by at 5?", "ＳＴＯＰ", "I want to cancel", "no me envíen más mensajes"} {
		f.Add(s)
	}
	k := NewKeywords()
	f.Fuzz(func(t *testing.T, s string) {
		c := k.Interpret(s)
		m := c.Match
		if m.Reply < ReplyOther || m.Reply > ReplyHelp {
			t.Fatalf("Classify(%q) = invalid reply %d", s, m.Reply)
		}
		if (m.Reply == ReplyOther) != (m.Keyword == "") {
			t.Fatalf("Classify(%q) = %+v: keyword and reply disagree", s, m)
		}
		if c.Ambiguous && m.Reply != ReplyOptOut {
			t.Fatalf("Interpret(%q) = %+v: only an opt-out is ambiguous", s, c)
		}
		if got := ClassifyReply(s); got != m.Reply {
			t.Fatalf("ClassifyReply(%q) = %v, Interpret = %v", s, got, m.Reply)
		}
		// Surrounding punctuation never changes an exact answer.
		if m2 := k.Classify("  ¡" + s + "!  "); m2.Reply != m.Reply && m.Exact {
			t.Fatalf("Classify(%q) = %v but with punctuation %v", s, m.Reply, m2.Reply)
		}
		// Case and width never change the class.
		for name, v := range map[string]string{
			"upper": strings.ToUpper(s), "lower": strings.ToLower(s),
			"wide": width.Widen.String(s), "narrow": width.Narrow.String(s),
		} {
			if got := k.Classify(v).Reply; got != m.Reply {
				t.Fatalf("Classify(%q) = %v but %s form %q = %v", s, m.Reply, name, v, got)
			}
		}
	})
}

func BenchmarkClassifyReply(b *testing.B) {
	for _, s := range []string{"STOP", "Stop!", "please stop texting me", "Thanks, see you at 5pm tomorrow!"} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ClassifyReply(s)
			}
		})
	}
}
