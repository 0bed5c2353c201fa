package console

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestCSRFRefusesForgedPosts(t *testing.T) {
	h, b := newTestHandler(t)
	ann := newSession(t, h, "ann", "")
	bob := newSession(t, h, "bob", "")
	send := func() url.Values {
		return url.Values{"from": {"support"}, "to": {"+14155552671"}, "body": {"hi"}, "step": {"confirm"}, "topic": {"default"}}
	}
	cases := []struct {
		name string
		do   func() *httptest.ResponseRecorder
	}{
		{"no token", func() *httptest.ResponseRecorder {
			f := send()
			f.Set(csrfField, "")
			return ann.post("/send", f)
		}},
		{"wrong token", func() *httptest.ResponseRecorder {
			f := send()
			f.Set(csrfField, strings.Repeat("A", 43))
			return ann.post("/send", f)
		}},
		{"another actor's token", func() *httptest.ResponseRecorder {
			f := send()
			f.Set(csrfField, bob.token)
			return ann.post("/send", f)
		}},
		{"no cookie", func() *httptest.ResponseRecorder {
			s := &session{t: t, h: h, user: "ann", token: ann.token}
			return s.post("/send", send())
		}},
		{"planted cookie with its own token", func() *httptest.ResponseRecorder {
			// An attacker who can set cookies (a sibling subdomain) plants
			// a secret but cannot sign a token for it.
			s := &session{t: t, h: h, user: "ann", jar: []*http.Cookie{{Name: csrfCookie, Value: strings.Repeat("x", 43)}}}
			f := send()
			f.Set(csrfField, strings.Repeat("x", 43))
			return s.post("/send", f)
		}},
		{"cross-site by Sec-Fetch-Site", func() *httptest.ResponseRecorder {
			f := send()
			f.Set(csrfField, ann.token)
			req := httptest.NewRequest(http.MethodPost, "/send", strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			return ann.do(req)
		}},
		{"cross-origin by Origin", func() *httptest.ResponseRecorder {
			f := send()
			f.Set(csrfField, ann.token)
			req := httptest.NewRequest(http.MethodPost, "http://console.example/send", strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://evil.example")
			return ann.do(req)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := tc.do()
			if rec.Code != http.StatusForbidden {
				t.Fatalf("status %d, want 403\n%s", rec.Code, rec.Body)
			}
			wantContains(t, rec.Body.String(), "CSRF check failed")
		})
	}
	if len(b.sends) != 0 {
		t.Errorf("forged requests sent %d notifications", len(b.sends))
	}
	// The genuine request goes through.
	if rec := ann.post("/send", send()); rec.Code != http.StatusOK || len(b.sends) != 1 {
		t.Errorf("genuine POST: %d, %d sends\n%s", rec.Code, len(b.sends), rec.Body)
	}
}

func TestEveryPostIsCSRFChecked(t *testing.T) {
	h, _ := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	for _, p := range []string{"/send", "/analyze", "/topics", "/optouts", "/replies"} {
		if rec := s.post(p, url.Values{csrfField: {"forged"}}); rec.Code != http.StatusForbidden {
			t.Errorf("POST %s with a forged token: %d, want 403", p, rec.Code)
		}
	}
}

func TestCSRFCookieAttributes(t *testing.T) {
	h, _ := newTestHandler(t)
	req := httptest.NewRequest(http.MethodGet, "/send", nil)
	req.Header.Set("X-Test-User", "ann")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	cs := rec.Result().Cookies()
	if len(cs) != 1 {
		t.Fatalf("cookies %v, want the CSRF cookie", cs)
	}
	c := cs[0]
	if c.Name != csrfCookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure {
		t.Errorf("cookie %+v", c)
	}
	h2, _ := newTestHandler(t, WithSecureCookie())
	rec = httptest.NewRecorder()
	h2.ServeHTTP(rec, req)
	if c := rec.Result().Cookies()[0]; !c.Secure {
		t.Errorf("WithSecureCookie: cookie not Secure: %+v", c)
	}
}

func TestCSRFKeySharedAcrossInstances(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	h1, _ := newTestHandler(t, WithCSRFKey(key))
	h2, b2 := newTestHandler(t, WithCSRFKey(key))
	s := newSession(t, h1, "ann", "")
	s.h = h2 // the load balancer sends the POST to the other instance
	rec := s.post("/send", url.Values{"from": {"support"}, "to": {"+14155552671"}, "body": {"hi"}, "step": {"confirm"}})
	if rec.Code != http.StatusOK || len(b2.sends) != 1 {
		t.Errorf("POST on a second instance with the same key: %d\n%s", rec.Code, rec.Body)
	}
	h3, _ := newTestHandler(t)
	s.h = h3
	if rec := s.post("/topics", url.Values{"action": {"create"}, "name": {"x"}}); rec.Code != http.StatusForbidden {
		t.Errorf("POST on an instance with another key: %d, want 403", rec.Code)
	}
}

func TestAnalyzeTakesTheTokenInAHeader(t *testing.T) {
	h, _ := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	req := httptest.NewRequest(http.MethodPost, "/analyze", strings.NewReader(url.Values{"text": {"hi"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(csrfHeader, s.token)
	if rec := s.do(req); rec.Code != http.StatusOK {
		t.Errorf("POST /analyze with X-CSRF-Token: %d\n%s", rec.Code, rec.Body)
	}
}
