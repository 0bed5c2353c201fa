package console

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

//go:embed assets templates
var embedded embed.FS

// pageNames lists the templates under templates/, each rendered inside
// layout.html.
var pageNames = []string{"send", "preflight", "sent", "history", "recent", "message", "topics", "optouts", "replies", "conversations", "conversation", "error"}

// navItem is one link of the header.
type navItem struct {
	Href, Label string
}

var nav = []navItem{{"send", "Send"}, {"history", "History"}, {"topics", "Topics"}, {"optouts", "Opt-outs"}, {"replies", "Replies"}, {"conversations", "Conversations"}}

// navFor is the header's links the actor may follow: Send needs PermSend,
// the others PermView.
func navFor(ps permissions) []navItem {
	var out []navItem
	for _, n := range nav {
		if n.Href == "send" && ps[PermSend] || n.Href != "send" && ps[PermView] {
			out = append(out, n)
		}
	}
	return out
}

// view is what layout.html renders; Data is the page's own.
type view struct {
	Site    string
	Title   string
	Page    string
	Nav     []navItem
	Actor   notify.Actor
	CSRF    string
	Flash   string
	Error   string
	Missing []string // operations notify does not provide, shown as a notice
	Perms   permissions
	Data    any
}

var funcs = template.FuncMap{
	"when":      formatWhen,
	"delivered": isDelivered,
	"status":    formatStatus,
	"inputTime": func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04") },
	"cost":      formatCost,
	"mask":      provider.MaskNumber,
}

func parsePages() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(embedded, "templates/layout.html"))
	pages := make(map[string]*template.Template, len(pageNames))
	for _, n := range pageNames {
		pages[n] = template.Must(template.Must(layout.Clone()).ParseFS(embedded, "templates/"+n+".html"))
	}
	return pages
}

// render writes page name with data, or a 500 when the template fails
// (rendered to a buffer first, so a failure never sends half a page).
func (h *handler) render(w http.ResponseWriter, r *http.Request, q request, status int, name string, v view) {
	v.Site, v.Page, v.Nav, v.Actor, v.CSRF, v.Perms = h.cfg.title, name, navFor(q.perms), q.actor, q.token, q.perms
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, "layout.html", v); err != nil {
		h.cfg.log.ErrorContext(r.Context(), "console: rendering failed", "page", name, "err", err)
		http.Error(w, "the console could not render this page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// fail renders the error page.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, q request, status int, title, msg string) {
	h.render(w, r, q, status, "error", view{Title: title, Error: msg})
}

// isDelivered reports whether a delivery receipt said the message arrived.
func isDelivered(m notify.Message) bool { return m.Status == provider.StatusDelivered }

// formatWhen shows a time in UTC to the second.
func formatWhen(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// formatStatus names a delivery status, "—" for none.
func formatStatus(s provider.Status) string {
	if v := s.String(); v != "" {
		return v
	}
	return "—"
}

// formatCost shows a cost with its currency; "" when no prices are set (no
// currency and nothing to show), so no bare "0.0000" appears.
func formatCost(v float64, currency string) string {
	if currency == "" && v == 0 {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', 4, 64)
	if currency != "" {
		s += " " + currency
	}
	return s
}
