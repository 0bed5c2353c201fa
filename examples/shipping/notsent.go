package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/heraldsms/herald/notify"
)

// notSentPath is the CSV of the rows not sent, next to the database.
func notSentPath(db string) string {
	return strings.TrimSuffix(db, filepath.Ext(db)) + "-not-sent.csv"
}

// writeNotSent writes the refused and unknown rows of rep, unmasked, to the
// CSV next to db: row (1 is the first row after the header), the number as
// given, its E.164 form, outcome, reason, the error, then the row's own
// columns. The terminal masks numbers, as logs must; this file is what an
// operator corrects and re-sends from. Deferred rows are not in it (they go
// out in their morning). It returns the path, or "" and removes an older
// file when every row was sent or deferred.
func writeNotSent(db string, header []string, rep *notify.Report, rs []notify.Recipient) (string, error) {
	path := notSentPath(db)
	var rows [][]string
	for _, r := range rep.Results {
		switch r.Outcome {
		case notify.OutcomeSent, notify.OutcomeDeferred, notify.OutcomePending:
			continue
		}
		detail := ""
		if r.Err != nil {
			detail = r.Err.Error()
		}
		row := []string{strconv.Itoa(r.Index + 1), r.Given, r.To, r.Outcome.String(), r.Reason, detail}
		for _, h := range header {
			v := ""
			if r.Index >= 0 && r.Index < len(rs) {
				v = rs[r.Index].Vars[strings.TrimSpace(h)]
			}
			row = append(row, v)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			return "", err
		}
		return "", nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	w := csv.NewWriter(f)
	head := []string{"row", "given", "phone", "outcome", "reason", "detail"}
	for _, h := range header {
		h = strings.TrimSpace(h)
		if !isPhoneColumn(h) {
			head = append(head, h)
		}
	}
	_ = w.Write(head)
	for _, row := range rows {
		_ = w.Write(append(row[:6], pickColumns(header, row[6:])...))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// pickColumns drops the phone column's value (it is "given" already).
func pickColumns(header, values []string) []string {
	var out []string
	for i, h := range header {
		if !isPhoneColumn(strings.TrimSpace(h)) {
			out = append(out, values[i])
		}
	}
	return out
}

// isPhoneColumn reports whether a header names the recipient column.
func isPhoneColumn(h string) bool {
	switch strings.ToLower(h) {
	case "phone", "to", "number", "mobile":
		return true
	}
	return false
}
