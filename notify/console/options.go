package console

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/heraldsms/herald/notify"
)

// Authenticator turns a request into the actor making it. It is the host's
// sign-in: return an error for a request that is not signed in, and the
// console answers 401 without showing anything.
type Authenticator func(r *http.Request) (notify.Actor, error)

// config holds what the options set.
type config struct {
	auth         Authenticator
	account      func(r *http.Request) string
	csrfKey      []byte
	log          *slog.Logger
	now          func() time.Time
	title        string
	secureCookie bool
	perms        PermissionFunc
	snippets     map[string]string
}

// Option configures the console.
type Option func(*config)

// WithAuthenticator sets how the console learns who is asking. Without it
// every request is refused with 401.
func WithAuthenticator(fn Authenticator) Option { return func(c *config) { c.auth = fn } }

// WithAccount scopes the console to one account (tenant) of the Service;
// the default is the default account "".
func WithAccount(account string) Option {
	return func(c *config) { c.account = func(*http.Request) string { return account } }
}

// WithAccountFunc picks the account per request, for hosts that mount one
// console for several tenants. It is called after authentication.
func WithAccountFunc(fn func(r *http.Request) string) Option {
	return func(c *config) { c.account = fn }
}

// WithCSRFKey sets the key the CSRF tokens are signed with. The default is
// a random key per handler, which is right for one instance; hosts running
// several instances behind a load balancer give each the same key of at
// least 32 random bytes.
func WithCSRFKey(key []byte) Option {
	return func(c *config) { c.csrfKey = append([]byte(nil), key...) }
}

// WithLogger sets where the console logs refused requests and errors; the
// default discards everything. Phone numbers are masked.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithClock sets the clock the History page's default interval is computed
// from; the default is time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithTitle sets the name shown in the console's header; the default is
// "Herald".
func WithTitle(title string) Option { return func(c *config) { c.title = title } }

// WithSecureCookie marks the CSRF cookie Secure even when the request
// arrived over plain HTTP, for hosts behind a TLS-terminating proxy. A
// request that arrived over TLS always gets a Secure cookie.
func WithSecureCookie() Option { return func(c *config) { c.secureCookie = true } }

// WithSnippets lists the snippets the Send form offers, by name: pass the
// same map as notify.WithSnippets. Choosing one inserts {{> name}} into the
// message, and the live counter measures the text with every snippet
// expanded, as it will be sent.
func WithSnippets(snippets map[string]string) Option {
	return func(c *config) {
		c.snippets = make(map[string]string, len(snippets))
		for k, v := range snippets {
			c.snippets[k] = v
		}
	}
}
