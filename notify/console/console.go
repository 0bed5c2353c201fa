package console

import (
	"context"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/heraldsms/herald/internal/mask"

	"github.com/heraldsms/herald/notify"
)

// errNoAuthenticator is why a console without WithAuthenticator refuses
// every request.
var errNoAuthenticator = errors.New("console: no authenticator configured (use console.WithAuthenticator)")

// handler is the console. It holds no per-request state.
type handler struct {
	b     backend
	cfg   config
	csrf  *csrf
	pages map[string]*template.Template
	mux   *http.ServeMux
	files http.Handler
}

// New returns the console for svc as an http.Handler. Mount it under any
// prefix with http.StripPrefix; without WithAuthenticator it refuses every
// request.
func New(svc *notify.Service, opts ...Option) http.Handler {
	return newHandler(serviceBackend{svc: svc}, opts...)
}

func newHandler(b backend, opts ...Option) *handler {
	cfg := config{now: time.Now, title: "Herald"}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.log == nil {
		cfg.log = slog.New(slog.DiscardHandler)
	} else {
		// Every line masks the numbers it quotes, whatever an
		// authenticator's error or a request says.
		cfg.log = slog.New(mask.Handler(cfg.log.Handler()))
	}
	if cfg.auth == nil {
		cfg.auth = func(*http.Request) (notify.Actor, error) { return notify.Actor{}, errNoAuthenticator }
	}
	if cfg.perms == nil {
		cfg.perms = defaultPermissions
	}
	if cfg.account == nil {
		cfg.account = func(*http.Request) string { return "" }
	}
	assets, _ := fs.Sub(embedded, "assets") // the directory is embedded, so Sub cannot fail
	h := &handler{
		b:     b,
		cfg:   cfg,
		csrf:  newCSRF(cfg.csrfKey, cfg.secureCookie),
		pages: parsePages(),
		mux:   http.NewServeMux(),
		files: http.StripPrefix("/assets", http.FileServerFS(assets)),
	}
	h.routes()
	return h
}

// routes maps every page. Pages live one level deep (/send, /history, ...)
// so relative links work under any mount prefix.
func (h *handler) routes() {
	h.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		// A relative Location, resolved by the browser against the URL it
		// asked for, so the redirect stays under the mount prefix
		// (http.Redirect would resolve it against the stripped path).
		w.Header().Set("Location", "send")
		w.WriteHeader(http.StatusSeeOther)
	})
	h.mux.HandleFunc("GET /assets/", h.serveAsset)
	h.mux.HandleFunc("GET /send", h.with(h.sendForm))
	h.mux.HandleFunc("POST /send", h.post(h.need(PermSend, h.sendSubmit)))
	h.mux.HandleFunc("POST /analyze", h.post(h.need(PermSend, h.analyze)))
	h.mux.HandleFunc("GET /history", h.with(h.need(PermView, h.history)))
	h.mux.HandleFunc("GET /recent", h.with(h.need(PermView, h.recent)))
	h.mux.HandleFunc("GET /message", h.with(h.need(PermView, h.message)))
	h.mux.HandleFunc("GET /topics", h.with(h.need(PermView, h.topics)))
	h.mux.HandleFunc("POST /topics", h.post(h.need(PermManageTopics, h.topicAction)))
	h.mux.HandleFunc("GET /optouts", h.with(h.need(PermView, h.optouts)))
	h.mux.HandleFunc("POST /optouts", h.post(h.need(PermRecordConsent, h.optOut)))
	h.mux.HandleFunc("POST /optins", h.post(h.need(PermRecordConsent, h.optIn)))
	h.mux.HandleFunc("GET /replies", h.with(h.need(PermView, h.replies)))
	h.mux.HandleFunc("POST /replies", h.post(h.need(PermSend, h.resolveReply)))
	h.mux.HandleFunc("POST /message-resend", h.post(h.need(PermSend, h.messageResend)))
	h.mux.HandleFunc("POST /message-settle", h.post(h.need(PermSend, h.messageSettle)))
	h.mux.HandleFunc("POST /notification-resume", h.post(h.need(PermSend, h.notificationResume)))
	h.mux.HandleFunc("GET /conversations", h.with(h.need(PermView, h.conversations)))
	h.mux.HandleFunc("GET /conversation", h.with(h.need(PermView, h.conversation)))
	h.mux.HandleFunc("GET /conversation-entries", h.with(h.need(PermView, h.conversationEntries)))
	h.mux.HandleFunc("POST /conversation", h.post(h.need(PermSend, h.conversationReply)))
	h.mux.HandleFunc("POST /conversation-resolve", h.post(h.need(PermSend, h.conversationResolve)))
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	if r.URL.Path == "" {
		// Mounted at "/x" and asked for "/x": add the slash so relative
		// links resolve under the mount point.
		p := r.URL.EscapedPath()
		if u := r.RequestURI; u != "" && !strings.Contains(u, "://") {
			p, _, _ = strings.Cut(u, "?")
		}
		p = "/" + strings.TrimLeft(p, "/") // never a protocol-relative "//host"
		w.Header().Set("Location", p+"/")
		w.WriteHeader(http.StatusMovedPermanently)
		return
	}
	h.mux.ServeHTTP(w, r)
}

func (h *handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	h.files.ServeHTTP(w, r)
}

// request is what a page handler knows about the request beyond r.
type request struct {
	actor         notify.Actor
	account       string
	token         string // CSRF token for the forms on the page
	contactPoints []string
	perms         permissions
}

type pageFunc func(w http.ResponseWriter, r *http.Request, q request)

// with authenticates the request before calling fn.
func (h *handler) with(fn pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		actor, err := h.cfg.auth(r)
		if err != nil {
			h.cfg.log.InfoContext(r.Context(), "console: request not authenticated", "path", r.URL.Path, "err", err)
			h.fail(w, r, request{}, http.StatusUnauthorized, "Not signed in", "Sign in to use the console.")
			return
		}
		q := request{actor: actor, account: h.cfg.account(r)}
		q.token = h.csrf.token(h.csrf.secret(w, r), actor.ID)
		cps, err := h.b.ContactPoints(r.Context(), q.account, actor)
		if err != nil && !errors.Is(err, ErrNotProvided) {
			h.cfg.log.ErrorContext(r.Context(), "console: listing contact points failed", "actor", actor.ID, "err", err)
			h.fail(w, r, q, http.StatusInternalServerError, "Console unavailable", "The console could not read your contact points: "+err.Error())
			return
		}
		for _, cp := range cps {
			q.contactPoints = append(q.contactPoints, cp.Name)
		}
		q.perms = permissions{}
		for _, p := range allPermissions {
			q.perms[p] = h.cfg.perms(actor, q.contactPoints, p)
		}
		fn(w, r, q)
	}
}

// post authenticates the request and checks its CSRF protection before
// calling fn.
func (h *handler) post(fn pageFunc) http.HandlerFunc {
	return h.with(func(w http.ResponseWriter, r *http.Request, q request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if err := h.csrf.check(r, q.actor.ID); err != nil {
			h.cfg.log.WarnContext(r.Context(), "console: CSRF check failed", "path", r.URL.Path, "actor", q.actor.ID, "err", err)
			h.fail(w, r, q, http.StatusForbidden, "Request refused",
				"The form was stale or came from another site (CSRF check failed). Reload the page and try again.")
			return
		}
		fn(w, r, q)
	})
}

// ctx bounds the work one page does.
func (h *handler) ctx(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), 30*time.Second)
}
