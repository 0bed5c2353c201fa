package console

import (
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/heraldsms/herald/notify"
)

// testAuth signs in whoever the X-Test-User header names, with the roles
// in X-Test-Roles.
func testAuth(r *http.Request) (notify.Actor, error) {
	u := r.Header.Get("X-Test-User")
	if u == "" {
		return notify.Actor{}, errors.New("not signed in")
	}
	var roles []string
	if v := r.Header.Get("X-Test-Roles"); v != "" {
		roles = strings.Split(v, ",")
	}
	return notify.Actor{ID: u, Roles: roles}, nil
}

// session is one signed-in browser: it keeps the CSRF cookie and token.
type session struct {
	t     *testing.T
	h     http.Handler
	user  string
	roles string
	jar   []*http.Cookie
	token string
}

var tokenRE = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)

func newSession(t *testing.T, h http.Handler, user, roles string) *session {
	t.Helper()
	s := &session{t: t, h: h, user: user, roles: roles}
	rec := s.get("/send") // the one page every signed-in person may open
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /send: %d\n%s", rec.Code, rec.Body)
	}
	m := tokenRE.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no csrf token on the page:\n%s", rec.Body)
	}
	s.token = m[1]
	return s
}

func (s *session) do(req *http.Request) *httptest.ResponseRecorder {
	if s.user != "" {
		req.Header.Set("X-Test-User", s.user)
		req.Header.Set("X-Test-Roles", s.roles)
	}
	for _, c := range s.jar {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	s.jar = append(s.jar, rec.Result().Cookies()...)
	return rec
}

func (s *session) get(path string) *httptest.ResponseRecorder {
	return s.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends form with this session's CSRF token unless form sets one.
func (s *session) post(path string, form url.Values) *httptest.ResponseRecorder {
	form = maps.Clone(form) // the caller may reuse form with another session
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form[csrfField]; !ok {
		form.Set(csrfField, s.token)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(req)
}

func newTestHandler(t *testing.T, opts ...Option) (*handler, *stubBackend) {
	t.Helper()
	b := newStub()
	return newHandler(b, append([]Option{WithAuthenticator(testAuth)}, opts...)...), b
}

func wantContains(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("page does not contain %q:\n%s", s, body)
		}
	}
}

func wantNotContains(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("page contains %q:\n%s", s, body)
		}
	}
}

func TestNoAuthenticatorRefusesEverything(t *testing.T) {
	h := newHandler(newStub())
	for _, p := range []string{"/send", "/history", "/topics", "/optouts", "/replies", "/recent", "/message?id=x"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("GET %s without authenticator: %d, want 401", p, rec.Code)
		}
	}
}

func TestUnauthenticatedRequestIsRefused(t *testing.T) {
	h, b := newTestHandler(t)
	s := &session{t: t, h: h} // no user
	for _, p := range []string{"/send", "/history", "/topics", "/optouts", "/replies"} {
		if rec := s.get(p); rec.Code != http.StatusUnauthorized {
			t.Errorf("GET %s signed out: %d, want 401", p, rec.Code)
		}
	}
	rec := s.post("/send", url.Values{"from": {"support"}, "to": {"+14155552671"}, "body": {"hi"}, "step": {"confirm"}})
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("POST /send signed out: %d, want 401", rec.Code)
	}
	if len(b.sends) != 0 {
		t.Errorf("sent %d notifications for a signed-out request", len(b.sends))
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	h, _ := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	for _, p := range []string{"/send", "/history", "/recent", "/topics", "/optouts", "/replies", "/assets/app.js", "/assets/app.css", "/nope"} {
		rec := s.get(p)
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: Content-Security-Policy %q", p, csp)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q", p, got)
		}
	}
}

func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	h, _ := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	inline := regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|style="|\son[a-z]+="`)
	for _, p := range []string{"/send", "/history", "/recent", "/topics", "/optouts?number=%2B14155552671", "/replies"} {
		body := s.get(p).Body.String()
		if loc := inline.FindStringIndex(body); loc != nil {
			t.Errorf("GET %s has inline script or style at %q", p, body[loc[0]:min(loc[1]+40, len(body))])
		}
	}
}

func TestAssetsAreEmbedded(t *testing.T) {
	h, _ := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	for path, ctype := range map[string]string{"/assets/app.js": "javascript", "/assets/app.css": "text/css"} {
		rec := s.get(path)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Type"), ctype) {
			t.Errorf("GET %s: %d %q", path, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	if rec := s.get("/assets/../console.go"); rec.Code == http.StatusOK {
		t.Errorf("GET /assets/../console.go served a source file")
	}
}

func TestMountedUnderAPrefix(t *testing.T) {
	h, _ := newTestHandler(t)
	mux := http.NewServeMux()
	mux.Handle("/admin/sms/", http.StripPrefix("/admin/sms", h))
	mux.Handle("/admin/sms", http.StripPrefix("/admin/sms", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(p string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+p, nil)
		req.Header.Set("X-Test-User", "ann")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := get("/admin/sms"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/admin/sms/" {
		t.Errorf("GET /admin/sms: %d Location %q, want 301 /admin/sms/", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp := get("/admin/sms/")
	loc, _ := resp.Location()
	if resp.StatusCode != http.StatusSeeOther || loc == nil || loc.Path != "/admin/sms/send" {
		t.Errorf("GET /admin/sms/: %d Location %v, want 303 to /admin/sms/send", resp.StatusCode, loc)
	}
	for _, p := range []string{"/admin/sms/send", "/admin/sms/history", "/admin/sms/assets/app.js"} {
		if resp := get(p); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
}

func TestNavigationLinksAreRelative(t *testing.T) {
	h, _ := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	body := s.get("/history").Body.String()
	wantContains(t, body, `href="send"`, `href="topics"`, `src="assets/app.js"`, `href="assets/app.css"`)
	wantNotContains(t, body, `href="/`, `src="/`, `action="/`)
}
