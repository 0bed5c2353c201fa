package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// placeholderRE matches a {{name}} placeholder of a body (not a {{> snippet}}).
var placeholderRE = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}`)

// placeholders lists the distinct placeholders of body, in order.
func placeholders(body string) []string {
	var names []string
	for _, m := range placeholderRE.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	return names
}

// csvUsage is the -csv flag's usage text: it names the columns the default
// template needs.
func csvUsage() string {
	return fmt.Sprintf("recipients CSV with a phone column; the default -body also needs the columns %s "+
		"(every column is a {{placeholder}}) (default: the bundled list)", strings.Join(placeholders(defaultBody), ", "))
}

// checkColumns refuses a list that lacks a column the body needs, before
// anything is sent: every row would fail with "missing variable".
func checkColumns(name string, header []string, body string) error {
	have := make([]string, len(header))
	for i, h := range header {
		have[i] = strings.TrimSpace(h)
	}
	var missing []string
	for _, p := range placeholders(body) {
		if !slices.Contains(have, p) {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%s: the message template needs the column(s) %s, which the file lacks (its columns: %s);\n"+
		"add them, or pass -body with a text that uses only these columns as {{placeholders}}",
		name, strings.Join(missing, ", "), strings.Join(have, ", "))
}
