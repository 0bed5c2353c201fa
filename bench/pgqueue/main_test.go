package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestRunSmall runs every scenario once with 500 recipients or jobs on the
// PostgreSQL server named by HERALD_POSTGRES_DSN and checks that each one
// processed its items and that the table names them.
func TestRunSmall(t *testing.T) {
	dsn := os.Getenv("HERALD_POSTGRES_DSN")
	if testing.Short() || dsn == "" {
		t.Skip("needs HERALD_POSTGRES_DSN and no -short")
	}
	const n = 500
	// 24 connections per Herald instance keep the five pools within the
	// 200 connections scripts/test.sh's server allows.
	o := options{dsn: dsn, n: n, rounds: 1, heraldConns: 24, riverWorkers: 2000,
		riverCooldown: 2 * time.Millisecond, riverPoll: 20 * time.Millisecond, riverBatch: 100,
		latency: 5 * time.Millisecond, latencyWorkers: 8, latencyN: 200}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out bytes.Buffer
	results, err := run(ctx, o, &out)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"Herald, 1 instance, fast fake carrier, no throttle":                 n,
		"Herald, 3 instances on their own notifications":                     3 * n,
		"Herald, 3 instances joining one notification":                       n,
		"River v0.51.2 (riverpgxv5), 1 client, insert and work trivial jobs": n,
		"River, 3 clients":                           n,
		"Herald, 1 instance, 5ms carrier, 8 workers": 200,
		"Herald, 3 instances joining one notification, 5ms carrier, 8 workers each": 200,
	}
	if len(results) != len(want) {
		t.Fatalf("%d results, want %d", len(results), len(want))
	}
	for _, r := range results {
		if w, ok := want[r.name]; !ok || r.items != w {
			t.Errorf("%s: %d items, want %d", r.name, r.items, w)
		}
		if len(r.rates) != 1 || r.rates[0] <= 0 {
			t.Errorf("%s: rates %v, want one positive rate", r.name, r.rates)
		}
		if !strings.Contains(out.String(), "| "+r.name+" |") {
			t.Errorf("table lacks %q:\n%s", r.name, out.String())
		}
	}
	if !strings.Contains(out.String(), "runtime.NumCPU=") {
		t.Errorf("table lacks the machine:\n%s", out.String())
	}
}

func TestWithSearchPath(t *testing.T) {
	for _, tc := range []struct{ dsn, want string }{
		{"postgres://u@h:5432/db?sslmode=disable", "postgres://u@h:5432/db?search_path=s1&sslmode=disable"},
		{"host=h dbname=db", "host=h dbname=db search_path=s1"},
	} {
		got, err := withSearchPath(tc.dsn, "s1")
		if err != nil || got != tc.want {
			t.Errorf("withSearchPath(%q) = %q, %v; want %q", tc.dsn, got, err, tc.want)
		}
	}
}

func TestSpread(t *testing.T) {
	lo, hi, med := spread([]float64{30, 10, 20})
	if lo != 10 || hi != 30 || med != 20 {
		t.Errorf("spread odd = %v %v %v, want 10 30 20", lo, hi, med)
	}
	lo, hi, med = spread([]float64{40, 10, 20, 30})
	if lo != 10 || hi != 40 || med != 25 {
		t.Errorf("spread even = %v %v %v, want 10 40 25", lo, hi, med)
	}
}

func TestShorten(t *testing.T) {
	if got := shorten("SELECT  1\n\tFROM   t", 100); got != "SELECT 1 FROM t" {
		t.Errorf("shorten collapses spaces: %q", got)
	}
	if got := shorten(strings.Repeat("x", 20), 10); got != "xxxxxxx..." {
		t.Errorf("shorten cuts: %q", got)
	}
}

func TestRecipientsDistinct(t *testing.T) {
	to := append(recipients(0, 3), recipients(3, 3)...)
	seen := map[string]bool{}
	for _, r := range to {
		if seen[r] || len(r) != 12 || !strings.HasPrefix(r, "+1415") {
			t.Fatalf("recipients: %v", to)
		}
		seen[r] = true
	}
}
