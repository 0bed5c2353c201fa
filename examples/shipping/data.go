package main

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/heraldsms/herald/notify"
)

// The bundled data, written by ./gen.
var (
	//go:embed testdata/recipients.csv
	bundledRecipients []byte
	//go:embed testdata/world.csv
	bundledWorld []byte
)

// readRecipients reads a CSV with a header row. The column named phone (or
// to, number, mobile) is the recipient; every column, phone included, is a
// template value. expand rewrites each phone before use. It returns the
// header too.
func readRecipients(r io.Reader, name string, expand func(string) string) ([]notify.Recipient, []string, error) {
	records, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(records) < 2 {
		return nil, nil, fmt.Errorf("%s: no recipients (a header row and one row per recipient are needed)", name)
	}
	header := records[0]
	col := -1
	for i, h := range header {
		if isPhoneColumn(strings.TrimSpace(h)) {
			col = i
		}
	}
	if col < 0 {
		return nil, nil, fmt.Errorf("%s: no phone column in header %q", name, header)
	}
	out := make([]notify.Recipient, 0, len(records)-1)
	for _, rec := range records[1:] {
		vars := make(map[string]string, len(header))
		for i, h := range header {
			vars[strings.TrimSpace(h)] = rec[i]
		}
		out = append(out, notify.Recipient{To: expand(rec[col]), Vars: vars})
	}
	return out, header, nil
}

// world is what the fake carrier and the consent ledger already know about
// some numbers of the bundled list.
type world struct {
	Landlines   []string // the carrier's lookup says fixed line
	OptedOut    []string // replied STOP to an earlier text
	Rejected    []string // the carrier refuses them (permanent error)
	Timeouts    []string // the provider times out after the request went out
	Undelivered []string // accepted, then the handset never received it
}

// readWorld reads world.csv (phone,trait).
func readWorld(data []byte, expand func(string) string) (world, error) {
	var w world
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return w, fmt.Errorf("world.csv: %w", err)
	}
	for _, rec := range records[1:] {
		n := expand(rec[0])
		switch rec[1] {
		case "landline":
			w.Landlines = append(w.Landlines, n)
		case "opted-out":
			w.OptedOut = append(w.OptedOut, n)
		case "rejected":
			w.Rejected = append(w.Rejected, n)
		case "timeout":
			w.Timeouts = append(w.Timeouts, n)
		case "undelivered":
			w.Undelivered = append(w.Undelivered, n)
		default:
			return w, fmt.Errorf("world.csv: unknown trait %q", rec[1])
		}
	}
	return w, nil
}

// openCSV opens the recipients file, or the bundled list for "".
func openCSV(path string) (io.ReadCloser, string, error) {
	if path == "" {
		return io.NopCloser(bytes.NewReader(bundledRecipients)), "testdata/recipients.csv", nil
	}
	f, err := os.Open(path)
	return f, path, err
}
