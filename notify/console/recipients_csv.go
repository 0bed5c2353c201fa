package console

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/heraldsms/herald/notify"
)

// maxCSVBytes caps an uploaded recipients file (the whole POST is capped at
// 1 MiB too).
const maxCSVBytes = 900 << 10

// readCSVField returns the recipients CSV of the form: an uploaded file
// (field csv) on the first step, the text the preflight carried (csv_data)
// on the next.
func readCSVField(r *http.Request) (string, error) {
	f, _, err := r.FormFile("csv")
	if err != nil {
		return r.PostFormValue("csv_data"), nil
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxCSVBytes+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxCSVBytes {
		return "", fmt.Errorf("the CSV is larger than %d KiB; send big lists with the API", maxCSVBytes>>10)
	}
	return string(b), nil
}

// parseRecipientsCSV reads a CSV with a header row: the column named phone
// (or to, number, mobile) is the recipient, every column a {{placeholder}}
// value. It returns the recipients and the header.
func parseRecipientsCSV(data string) ([]notify.Recipient, []string, error) {
	rows, err := csv.NewReader(strings.NewReader(data)).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("the CSV does not parse: %w", err)
	}
	if len(rows) < 2 {
		return nil, nil, fmt.Errorf("the CSV needs a header row and one row per recipient")
	}
	header := rows[0]
	col := slices.IndexFunc(header, func(h string) bool {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "phone", "to", "number", "mobile":
			return true
		}
		return false
	})
	if col < 0 {
		return nil, nil, fmt.Errorf("the CSV has no phone column (its header: %s)", strings.Join(header, ", "))
	}
	out := make([]notify.Recipient, 0, len(rows)-1)
	for _, row := range rows[1:] {
		vars := make(map[string]string, len(header))
		for i, h := range header {
			vars[strings.TrimSpace(h)] = row[i]
		}
		out = append(out, notify.Recipient{To: strings.TrimSpace(row[col]), Vars: vars})
	}
	return out, header, nil
}

// placeholderRE matches a {{name}} placeholder (not a {{> snippet}}).
var placeholderRE = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}`)

// missingColumns lists the placeholders of body that the header lacks.
func missingColumns(body string, header []string) []string {
	var missing []string
	for _, m := range placeholderRE.FindAllStringSubmatch(body, -1) {
		if !slices.ContainsFunc(header, func(h string) bool { return strings.TrimSpace(h) == m[1] }) && !slices.Contains(missing, m[1]) {
			missing = append(missing, m[1])
		}
	}
	return missing
}
