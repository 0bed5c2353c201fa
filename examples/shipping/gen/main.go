// Command gen writes the shipping example's bundled data: testdata/recipients.csv
// (the customers to text) and testdata/world.csv (what the fake carrier and
// the consent ledger already know about some of them). It is deterministic:
// running it again rewrites the same bytes.
//
//	go run ./examples/shipping/gen -dir examples/shipping/testdata
//
// Phone numbers are written with a time-zone token in place of their prefix,
// {daytime} or {night}; the example replaces each token at start-up with the
// prefix of a zone where it is day (or night) at that moment, so the run
// always shows quiet hours at work and its composition is known in advance:
//
//	2000 rows: 1776 sent (10 of them undelivered), 100 deferred by quiet
//	hours, 35 opted out, 25 invalid, 15 landlines, 40 duplicates,
//	6 refused by the carrier, 3 ambiguous timeouts.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// The composition of the bundled data. examples/shipping's test checks the
// report against these same figures.
const (
	rows        = 2000
	invalid     = 25
	duplicates  = 40
	landlines   = 15
	optedOut    = 35
	night       = 100
	rejected    = 6
	timeouts    = 3
	undelivered = 10
)

var firstNames = []string{"Ava", "Ben", "Chloe", "Diego", "Emma", "Farah", "Gus", "Hana", "Ivan", "Jade",
	"Kofi", "Lena", "Marco", "Nina", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vera", "Wes", "Yuki", "Zoe"}

var lastNames = []string{"Adams", "Brown", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jones",
	"Khan", "Lopez", "Miller", "Nakamura", "Okafor", "Patel", "Rossi", "Smith", "Tanaka", "Walsh"}

// badNumbers are what a real export contains now and then; %d makes each
// one distinct.
var badNumbers = []string{"%d", "+1 (212) 555-%05d", "n/a (%d)", "555-01%02d", "+0 000 000 %04d",
	"tel:%d", "000000%04d", "+1 212 555 0134%d 9", "(999) 999-%02d", "call office x%d"}

func main() {
	dir := flag.String("dir", "examples/shipping/testdata", "directory to write recipients.csv and world.csv into")
	flag.Parse()
	if err := write(*dir); err != nil {
		log.Fatal(err)
	}
}

type row struct{ order, name, phone string }

func write(dir string) error {
	rng := rand.New(rand.NewPCG(2024, 9))
	// Distinct subscriber numbers, shuffled deterministically.
	subs := rng.Perm(10000)
	next := 0
	number := func(token string) string {
		n := fmt.Sprintf("{%s}%04d", token, subs[next])
		next++
		return n
	}
	name := func() string {
		return firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))]
	}

	kinds := make([]string, 0, rows-duplicates)
	add := func(kind string, n int) {
		for range n {
			kinds = append(kinds, kind)
		}
	}
	add("invalid", invalid)
	add("landline", landlines)
	add("opted-out", optedOut)
	add("night", night)
	add("rejected", rejected)
	add("timeout", timeouts)
	add("undelivered", undelivered)
	add("ok", rows-duplicates-len(kinds))
	rng.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })

	var recipients []row
	var world [][]string
	var daytime []row // rows with a plain daytime number, for duplicates
	for i, kind := range kinds {
		r := row{order: fmt.Sprintf("NW-%06d", 300000+i*7), name: name()}
		switch kind {
		case "invalid":
			r.phone = fmt.Sprintf(badNumbers[i%len(badNumbers)], i)
		case "night":
			r.phone = number("night")
		default:
			r.phone = number("daytime")
			if kind == "ok" {
				daytime = append(daytime, r)
			} else {
				world = append(world, []string{r.phone, kind})
			}
		}
		recipients = append(recipients, r)
	}
	// Duplicates: the same customer with a second order, later in the file.
	for range duplicates {
		src := daytime[rng.IntN(len(daytime))]
		at := len(recipients)/2 + rng.IntN(len(recipients)/2)
		dup := row{order: fmt.Sprintf("NW-%06d", 400000+at), name: src.name, phone: src.phone}
		recipients = append(recipients[:at], append([]row{dup}, recipients[at:]...)...)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	out := [][]string{{"order_id", "name", "phone"}}
	for _, r := range recipients {
		out = append(out, []string{r.order, r.name, r.phone})
	}
	if err := writeCSV(filepath.Join(dir, "recipients.csv"), out); err != nil {
		return err
	}
	return writeCSV(filepath.Join(dir, "world.csv"), append([][]string{{"phone", "trait"}}, world...))
}

func writeCSV(path string, records [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(records); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
