package notify

import (
	"strings"
	"sync"
)

// A body is a template: {{name}} is replaced by the recipient's
// Recipient.Vars["name"], and {{> name}} by the named snippet given with
// WithSnippets (snippets may hold placeholders, not other snippets). Spaces
// inside the braces are ignored. A body without "{{" is sent as is.

// template is a parsed body: literal text and placeholders, alternating.
type template struct {
	parts  []tmplPart
	static string // the whole text when there are no placeholders
	vars   []string
	minLen int // bytes of literal text
}

type tmplPart struct {
	lit string
	v   string // placeholder name; "" for a literal part
}

// parseTemplate parses body, inserting snippets.
func parseTemplate(body string, snippets map[string]string) (*template, error) {
	t := &template{}
	if err := t.parse(body, snippets, 0); err != nil {
		return nil, err
	}
	// Merge adjacent literals and collect the variables.
	var merged []tmplPart
	for _, p := range t.parts {
		if p.v == "" && len(merged) > 0 && merged[len(merged)-1].v == "" {
			merged[len(merged)-1].lit += p.lit
			continue
		}
		merged = append(merged, p)
	}
	t.parts = merged
	for _, p := range merged {
		if p.v != "" {
			t.vars = append(t.vars, p.v)
		} else {
			t.minLen += len(p.lit)
		}
	}
	if len(t.vars) == 0 {
		if len(merged) == 1 {
			t.static = merged[0].lit
		}
		t.parts = nil
	}
	return t, nil
}

func (t *template) parse(s string, snippets map[string]string, depth int) error {
	off := 0
	for {
		i := strings.Index(s[off:], "{{")
		if i < 0 {
			if off < len(s) {
				t.parts = append(t.parts, tmplPart{lit: s[off:]})
			}
			return nil
		}
		i += off
		if i > off {
			t.parts = append(t.parts, tmplPart{lit: s[off:i]})
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			return &TemplateError{Offset: i, Msg: "unclosed {{"}
		}
		inner := strings.TrimSpace(s[i+2 : i+2+j])
		off = i + 2 + j + 2
		if name, ok := strings.CutPrefix(inner, ">"); ok {
			name = strings.TrimSpace(name)
			snip, ok := snippets[name]
			if !ok {
				return &TemplateError{Offset: i, Msg: "unknown snippet " + quote(name)}
			}
			if depth > 0 {
				return &TemplateError{Offset: i, Msg: "snippet inside snippet " + quote(name)}
			}
			if err := t.parse(snip, snippets, depth+1); err != nil {
				return err
			}
			continue
		}
		if !validVarName(inner) {
			return &TemplateError{Offset: i, Msg: "bad placeholder " + quote(inner)}
		}
		t.parts = append(t.parts, tmplPart{v: inner})
	}
}

func quote(s string) string { return "\"" + s + "\"" }

func validVarName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// render fills the placeholders from vars. A missing variable fails with a
// *MissingVariableError naming it and the recipient.
func (t *template) render(vars map[string]string, given string) (string, error) {
	if t.parts == nil {
		return t.static, nil
	}
	n := t.minLen
	for _, v := range t.vars {
		val, ok := vars[v]
		if !ok {
			return "", &MissingVariableError{Name: v, Recipient: given}
		}
		n += len(val)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range t.parts {
		if p.v == "" {
			b.WriteString(p.lit)
		} else {
			b.WriteString(vars[p.v])
		}
	}
	return b.String(), nil
}

// templateCache keeps parsed bodies so a body is parsed once per Service.
type templateCache struct {
	mu sync.Mutex
	m  map[string]*template
}

const templateCacheSize = 256

func (c *templateCache) get(body string, snippets map[string]string) (*template, error) {
	c.mu.Lock()
	t, ok := c.m[body]
	c.mu.Unlock()
	if ok {
		return t, nil
	}
	t, err := parseTemplate(body, snippets)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= templateCacheSize {
		c.m = make(map[string]*template)
	}
	c.m[body] = t
	c.mu.Unlock()
	return t, nil
}
