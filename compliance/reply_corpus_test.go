package compliance

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// labelledReply is one row of testdata/replies.tsv.
type labelledReply struct {
	want Reply
	text string
	line int
}

// readReplies reads the hand-labelled reply corpus. "\n" and "\u200b" in a
// text stand for a line break and a zero-width space.
func readReplies(t *testing.T) []labelledReply {
	t.Helper()
	f, err := os.Open("testdata/replies.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	unescape := strings.NewReplacer(`\n`, "\n", `\u200b`, "\u200b")
	labels := map[string]Reply{"optout": ReplyOptOut, "other": ReplyOther, "help": ReplyHelp, "optin": ReplyOptIn}
	var out []labelledReply
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		want, known := labels[label]
		if !ok || !known {
			t.Fatalf("replies.tsv:%d: want label<TAB>text, got %q", n, line)
		}
		out = append(out, labelledReply{want, unescape.Replace(text), n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReplyCorpus measures the classifier on the labelled corpus: recall
// on opt-outs must be at least 99% and the rate of other replies read as
// opt-outs at most 2%; help and opt-in keywords must all be read right.
func TestReplyCorpus(t *testing.T) {
	rows := readReplies(t)
	if len(rows) < 300 {
		t.Fatalf("corpus has %d replies, want at least 300", len(rows))
	}
	k := NewKeywords(WithYesOptIn())
	var optOuts, caught, rest, falseOut, keywords, keywordsRight, ambiguous int
	for _, r := range rows {
		c := k.Interpret(r.text)
		if c.Ambiguous {
			ambiguous++
		}
		switch r.want {
		case ReplyOptOut:
			optOuts++
			if c.Reply == ReplyOptOut {
				caught++
			} else {
				t.Logf("missed opt-out (line %d): %q -> %v", r.line, r.text, c.Reply)
			}
		default:
			rest++
			if c.Reply == ReplyOptOut {
				falseOut++
				t.Logf("false opt-out (line %d): %q (keyword %q, ambiguous %v)", r.line, r.text, c.Keyword, c.Ambiguous)
			}
			if r.want != ReplyOther {
				keywords++
				if c.Reply == r.want {
					keywordsRight++
				} else {
					t.Errorf("line %d: %q -> %v, want %v", r.line, r.text, c.Reply, r.want)
				}
			}
		}
		// The default set agrees on opt-outs (it differs only on YES).
		if got := ClassifyReply(r.text); (got == ReplyOptOut) != (c.Reply == ReplyOptOut) {
			t.Errorf("line %d: ClassifyReply(%q) = %v, WithYesOptIn set = %v", r.line, r.text, got, c.Reply)
		}
	}
	recall := float64(caught) / float64(optOuts)
	falseRate := float64(falseOut) / float64(rest)
	t.Logf("replies %d: opt-out recall %d/%d = %.1f%%; false opt-outs %d/%d = %.1f%%; help/opt-in %d/%d; ambiguous %d",
		len(rows), caught, optOuts, 100*recall, falseOut, rest, 100*falseRate, keywordsRight, keywords, ambiguous)
	if recall < 0.99 {
		t.Errorf("opt-out recall %.1f%% < 99%%", 100*recall)
	}
	if falseRate > 0.02 {
		t.Errorf("false opt-out rate %.1f%% > 2%%", 100*falseRate)
	}
}
