package compliance

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

type labelledBody struct {
	label string // legit, restricted, banned
	kind  Kind
	text  string
	line  int
}

func readBodies(t *testing.T) []labelledBody {
	t.Helper()
	f, err := os.Open("testdata/content.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelledBody
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 || (parts[0] != "legit" && parts[0] != "restricted" && parts[0] != "banned") || (parts[1] != "service" && parts[1] != "marketing") {
			t.Fatalf("content.tsv:%d: want label<TAB>kind<TAB>text, got %q", n, line)
		}
		k := Service
		if parts[1] == "marketing" {
			k = Marketing
		}
		out = append(out, labelledBody{parts[0], k, parts[2], n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestContentCorpus measures the default content policy on the labelled
// corpus, with the sender's domain declared: legitimate service texts
// must be denied at most 1% of the time, and restricted or banned texts
// caught at least 95% of the time (marketing denied, restricted service
// warned about but not denied, banned denied in any kind).
func TestContentCorpus(t *testing.T) {
	rows := readBodies(t)
	if len(rows) < 200 {
		t.Fatalf("corpus has %d texts, want at least 200", len(rows))
	}
	p := NewContentPolicy()
	var legitSvc, deniedSvc, warnedSvc, legitMkt, deniedMkt, bad, caught int
	for _, r := range rows {
		var denied, flagged bool
		var rules []string
		for _, v := range p.Check(r.text, ContentContext{Kind: r.kind, SenderDomains: []string{"acme.com"}}) {
			if v.Rule == RuleBrand || v.Rule == RuleOptOutLanguage {
				continue // disclosures are tested elsewhere
			}
			rules = append(rules, v.Rule+":"+v.Severity.String())
			denied = denied || v.Severity == SeverityBlock
			flagged = flagged || v.Severity >= SeverityWarning
		}
		switch r.label {
		case "legit":
			if r.kind == Service {
				legitSvc++
				if denied {
					deniedSvc++
					t.Logf("false deny (line %d): %q %v", r.line, r.text, rules)
				} else if flagged {
					warnedSvc++
					t.Logf("warning on a legitimate service text (line %d): %q %v", r.line, r.text, rules)
				}
			} else {
				legitMkt++
				if denied {
					deniedMkt++
					t.Logf("false deny of marketing (line %d): %q %v", r.line, r.text, rules)
				}
			}
		case "restricted":
			bad++
			ok := denied
			if r.kind == Service {
				ok = flagged && !denied
			}
			if ok {
				caught++
			} else {
				t.Logf("missed restricted %v (line %d): %q %v", r.kind, r.line, r.text, rules)
			}
		case "banned":
			bad++
			if denied {
				caught++
			} else {
				t.Logf("missed banned (line %d): %q %v", r.line, r.text, rules)
			}
		}
	}
	falseDeny := float64(deniedSvc) / float64(legitSvc)
	recall := float64(caught) / float64(bad)
	t.Logf("texts %d: legitimate service denied %d/%d = %.1f%% (warned %d); legitimate marketing denied %d/%d; restricted and banned caught %d/%d = %.1f%%",
		len(rows), deniedSvc, legitSvc, 100*falseDeny, warnedSvc, deniedMkt, legitMkt, caught, bad, 100*recall)
	if falseDeny > 0.01 {
		t.Errorf("false-deny rate on legitimate service texts %.1f%% > 1%%", 100*falseDeny)
	}
	if recall < 0.95 {
		t.Errorf("recall on restricted texts %.1f%% < 95%%", 100*recall)
	}
	if float64(deniedMkt) > 0.05*float64(legitMkt) {
		t.Errorf("false-deny rate on legitimate marketing %d/%d > 5%%", deniedMkt, legitMkt)
	}
}
