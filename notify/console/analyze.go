package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"

	"github.com/heraldsms/herald/segment"
	"github.com/rivo/uniseg"
)

// maxUCS2Listed caps how many UCS-2-forcing characters the counter names.
const maxUCS2Listed = 20

// counter is the JSON the live counter shows.
type counter struct {
	Chars      int        `json:"chars"` // user-perceived characters (grapheme clusters)
	Units      int        `json:"units"` // septets or UTF-16 code units
	Encoding   string     `json:"encoding"`
	Segments   int        `json:"segments"`
	PerSegment int        `json:"perSegment"`
	Remaining  int        `json:"remaining"`
	UCS2       []ucs2Char `json:"ucs2"`     // the characters forcing UCS-2, in order
	UCS2More   int        `json:"ucs2More"` // how many more were not listed
	Invalid    bool       `json:"invalid"`  // the text holds a character that cannot be sent
	Smart      *smartText `json:"smart"`    // the smart-encoded alternative, when it saves segments or changes encoding
	NeedsAck   bool       `json:"needsAck"` // more than one segment: the sender must acknowledge
}

// ucs2Char names one character that forced UCS-2.
type ucs2Char struct {
	Char      string `json:"char"`
	CodePoint string `json:"codePoint"`
	Offset    int    `json:"offset"`
}

// smartText is the text with look-alike characters replaced by GSM-7 twins.
type smartText struct {
	Text     string `json:"text"`
	Encoding string `json:"encoding"`
	Segments int    `json:"segments"`
	Changes  int    `json:"changes"`
}

// count analyses text for the counter.
func count(text string) counter {
	a := segment.Analyze(text)
	c := counter{
		Chars:      uniseg.GraphemeClusterCount(text),
		Units:      a.Units,
		Encoding:   a.Encoding.String(),
		Segments:   a.Segments,
		PerSegment: a.PerSegment,
		Remaining:  a.Remaining,
		Invalid:    a.InvalidOffset >= 0,
		NeedsAck:   a.Segments > 1,
		UCS2:       []ucs2Char{},
	}
	if a.Encoding == segment.UCS2 {
		chars := segment.UCS2Chars(text)
		for i, ch := range chars {
			if i == maxUCS2Listed {
				c.UCS2More = len(chars) - i
				break
			}
			c.UCS2 = append(c.UCS2, ucs2Char{Char: string(ch.Rune), CodePoint: fmt.Sprintf("U+%04X", ch.Rune), Offset: ch.Offset})
		}
		smart, changes := segment.Normalize(text, segment.WithSmartEncoding())
		if len(changes) > 0 {
			sa := segment.Analyze(smart)
			c.Smart = &smartText{Text: smart, Encoding: sa.Encoding.String(), Segments: sa.Segments, Changes: len(changes)}
		}
	}
	return c
}

// analyze answers the live counter: POST text=..., JSON back.
func (h *handler) analyze(w http.ResponseWriter, r *http.Request, _ request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(count(expandSnippets(r.PostFormValue("text"), h.cfg.snippets)))
}

// snippetRE matches a {{> name}} snippet reference.
var snippetRE = regexp.MustCompile(`\{\{\s*>\s*([A-Za-z0-9_.-]+)\s*\}\}`)

// expandSnippets replaces each known {{> name}} with its text, so the
// counter and the segment check measure what will be sent.
func expandSnippets(text string, snippets map[string]string) string {
	if len(snippets) == 0 {
		return text
	}
	return snippetRE.ReplaceAllStringFunc(text, func(m string) string {
		if s, ok := snippets[snippetRE.FindStringSubmatch(m)[1]]; ok {
			return s
		}
		return m
	})
}
