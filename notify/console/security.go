package console

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
)

// contentSecurityPolicy allows nothing but the console's own scripts,
// styles and fetches: no inline script or style, no framing, forms posting
// back to the console only.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// csrfCookie names the cookie holding the per-browser CSRF secret.
const csrfCookie = "herald_console_csrf"

// csrfField names the form field (and header) carrying the CSRF token.
const csrfField = "csrf_token"

// csrfHeader lets the page's JavaScript send the token with fetch.
const csrfHeader = "X-CSRF-Token"

// ErrCSRF is why a POST without a valid CSRF token, or one a browser marked
// as cross-origin, is refused (403).
var ErrCSRF = errors.New("console: request failed the CSRF check")

// setSecurityHeaders sets the headers every response carries.
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}

// csrf signs and checks tokens.
type csrf struct {
	key    []byte
	origin *http.CrossOriginProtection
	secure bool
}

func newCSRF(key []byte, secure bool) *csrf {
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key) // crypto/rand.Read never fails
	}
	return &csrf{key: key, origin: http.NewCrossOriginProtection(), secure: secure}
}

// secret returns the browser's CSRF secret, minting one (and setting its
// cookie on w) when the request carries none.
func (c *csrf) secret(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(csrfCookie); err == nil && len(ck.Value) >= 32 {
		return ck.Value
	}
	b := make([]byte, 32)
	rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{
		Name:     csrfCookie,
		Value:    v,
		Path:     "/",
		HttpOnly: true,
		Secure:   c.secure || r.TLS != nil,
		SameSite: http.SameSiteStrictMode,
	})
	return v
}

// token is the value forms carry: HMAC(key, secret, actor).
func (c *csrf) token(secret, actorID string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte("herald-console-csrf\x00"))
	m.Write([]byte(secret))
	m.Write([]byte{0})
	m.Write([]byte(actorID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// check verifies a state-changing request: not cross-origin by the
// browser's own account, and carrying the token for this browser's secret
// and this actor, in the form field or the X-CSRF-Token header.
func (c *csrf) check(r *http.Request, actorID string) error {
	if err := c.origin.Check(r); err != nil {
		return errors.Join(ErrCSRF, err)
	}
	ck, err := r.Cookie(csrfCookie)
	if err != nil || ck.Value == "" {
		return errors.Join(ErrCSRF, errors.New("no CSRF cookie"))
	}
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	if got == "" {
		return errors.Join(ErrCSRF, errors.New("no CSRF token in the form"))
	}
	if !hmac.Equal([]byte(got), []byte(c.token(ck.Value, actorID))) {
		return errors.Join(ErrCSRF, errors.New("CSRF token does not match"))
	}
	return nil
}
