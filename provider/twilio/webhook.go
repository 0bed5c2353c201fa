package twilio

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/heraldsms/herald/provider"
)

// WebhookOption configures a webhook handler.
type WebhookOption func(*webhookConfig)

type webhookConfig struct {
	publicURL string
	maxBytes  int64
	dedup     int
	now       func() time.Time
}

// WithPublicURL sets the scheme and host Twilio uses to reach the handler
// ("https://hooks.example.com"). The request's path and query are appended
// to it, and the signature is checked against that URL.
//
// Set it in production. Without it the URL is rebuilt from the request
// (Host, TLS or X-Forwarded-Proto), which the client chooses: a request
// signed for another application that shares the auth token (a subaccount,
// a second app on the same account) would then be accepted by sending it
// with that application's Host. It is also needed behind a proxy or load
// balancer, where the request's own URL is not the one Twilio signed.
func WithPublicURL(base string) WebhookOption {
	return func(c *webhookConfig) { c.publicURL = strings.TrimRight(base, "/") }
}

// WithMaxBodyBytes caps the request body (default
// provider.DefaultMaxWebhookBytes); larger requests get 413.
func WithMaxBodyBytes(n int64) WebhookOption { return func(c *webhookConfig) { c.maxBytes = n } }

// WithDedupCapacity sets how many recent events the handler remembers to
// drop replays and Twilio's retries (default 4096; 0 keeps the default).
func WithDedupCapacity(n int) WebhookOption { return func(c *webhookConfig) { c.dedup = n } }

// WithWebhookClock sets the clock stamping events that carry no time of
// their own (default time.Now).
func WithWebhookClock(now func() time.Time) WebhookOption {
	return func(c *webhookConfig) { c.now = now }
}

func newWebhookConfig(opts []WebhookOption) webhookConfig {
	c := webhookConfig{maxBytes: provider.DefaultMaxWebhookBytes, dedup: 4096, now: time.Now}
	for _, o := range opts {
		o(&c)
	}
	if c.dedup <= 0 {
		c.dedup = 4096
	}
	return c
}

// StatusFunc receives a verified status callback. A non-nil error makes the
// handler answer 500 so Twilio retries.
type StatusFunc func(ctx context.Context, u provider.StatusUpdate) error

// InboundFunc receives a verified inbound message. A non-nil error makes
// the handler answer 500 so Twilio retries.
type InboundFunc func(ctx context.Context, in provider.Inbound) error

// StatusHandler returns an http.Handler for Twilio status callbacks
// (Message.StatusCallback). Give it WithPublicURL in production (see
// there). It verifies X-Twilio-Signature with authToken
// and answers 403 without processing anything when it fails, 413 for a body
// over the cap, 400 for a callback without MessageSid, and hands each new
// event to fn once (replays of an event already processed are answered 200
// and dropped).
func StatusHandler(authToken string, fn StatusFunc, opts ...WebhookOption) http.Handler {
	c := newWebhookConfig(opts)
	seen := provider.NewSeenSet(c.dedup)
	return c.handler(authToken, seen, func(form url.Values) (string, func(context.Context) error, error) {
		u, err := ParseStatusCallback(form, c.now())
		if err != nil {
			return "", nil, err
		}
		return u.ID + "/" + u.Raw, func(ctx context.Context) error { return fn(ctx, u) }, nil
	}, "")
}

// InboundHandler returns an http.Handler for inbound messages (the phone
// number's messaging webhook), with the same checks as StatusHandler. It
// answers an empty TwiML <Response/>, so Twilio sends no reply of its own.
func InboundHandler(authToken string, fn InboundFunc, opts ...WebhookOption) http.Handler {
	c := newWebhookConfig(opts)
	seen := provider.NewSeenSet(c.dedup)
	return c.handler(authToken, seen, func(form url.Values) (string, func(context.Context) error, error) {
		in, err := ParseInbound(form, c.now())
		if err != nil {
			return "", nil, err
		}
		return in.ID, func(ctx context.Context) error { return fn(ctx, in) }, nil
	}, emptyTwiML)
}

// StatusHandler is StatusHandler with the provider's auth token.
func (p *Provider) StatusHandler(fn StatusFunc, opts ...WebhookOption) http.Handler {
	return StatusHandler(p.authToken, fn, opts...)
}

// InboundHandler is InboundHandler with the provider's auth token.
func (p *Provider) InboundHandler(fn InboundFunc, opts ...WebhookOption) http.Handler {
	return InboundHandler(p.authToken, fn, opts...)
}

const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

// parser parses one verified form into the event's dedup key and a
// function that hands the event to the host's callback.
type parser func(form url.Values) (key string, deliver func(context.Context) error, err error)

func (c webhookConfig) handler(authToken string, seen *provider.SeenSet, parse parser, okBody string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := provider.ReadWebhookPost(w, r, c.maxBytes)
		if !ok {
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "malformed form body", http.StatusBadRequest)
			return
		}
		if err := VerifySignature(authToken, c.fullURL(r), form, r.Header.Get("X-Twilio-Signature")); err != nil {
			http.Error(w, "invalid signature", http.StatusForbidden)
			return
		}
		key, deliver, err := parse(form)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		// A replay or a retry of an event already handed on is acknowledged
		// and dropped; a failed callback releases the key so Twilio's retry
		// is processed.
		if seen.Add(key) {
			if err := deliver(r.Context()); err != nil {
				seen.Remove(key)
				http.Error(w, "processing failed", http.StatusInternalServerError)
				return
			}
		}
		if okBody != "" {
			w.Header().Set("Content-Type", "text/xml")
			w.Write([]byte(okBody))
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// fullURL rebuilds the URL Twilio requested.
func (c webhookConfig) fullURL(r *http.Request) string {
	if c.publicURL != "" {
		return c.publicURL + r.URL.RequestURI()
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.RequestURI()
}

// ParseStatusCallback turns a status callback's form into a StatusUpdate.
// now stamps the event when it carries no RawDlrDoneDate.
func ParseStatusCallback(form url.Values, now time.Time) (provider.StatusUpdate, error) {
	sid := form.Get("MessageSid")
	if sid == "" {
		sid = form.Get("SmsSid")
	}
	if sid == "" {
		return provider.StatusUpdate{}, errors.New("twilio: status callback without MessageSid")
	}
	raw := form.Get("MessageStatus")
	if raw == "" {
		raw = form.Get("SmsStatus")
	}
	u := provider.StatusUpdate{Provider: Name, ID: sid, Status: ParseStatus(raw), Raw: raw,
		Code: form.Get("ErrorCode"), From: form.Get("From"), To: form.Get("To"), At: now}
	if u.Code == "0" {
		u.Code = ""
	}
	if u.Code != "" {
		info := callbackCode(u.Code)
		u.Err, u.Retryable, u.Detail = info.reason, info.class == provider.RejectedRetryable, info.text
	}
	if t, ok := parseDlrDate(form.Get("RawDlrDoneDate")); ok {
		u.At = t
	}
	if n, err := strconv.Atoi(form.Get("NumSegments")); err == nil {
		u.Segments = n
	}
	return u, nil
}

// parseDlrDate reads RawDlrDoneDate, YYMMDDhhmm in UTC.
func parseDlrDate(s string) (time.Time, bool) {
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.Parse("0601021504", s)
	return t, err == nil
}

// ParseInbound turns an inbound message webhook's form into an Inbound.
// now is the received time (Twilio sends none).
func ParseInbound(form url.Values, now time.Time) (provider.Inbound, error) {
	sid := form.Get("MessageSid")
	if sid == "" {
		sid = form.Get("SmsSid")
	}
	if sid == "" {
		return provider.Inbound{}, errors.New("twilio: inbound message without MessageSid")
	}
	in := provider.Inbound{Provider: Name, ID: sid, From: form.Get("From"), To: form.Get("To"),
		Body: form.Get("Body"), Received: now}
	if n, err := strconv.Atoi(form.Get("NumSegments")); err == nil {
		in.Segments = n
	}
	if n, err := strconv.Atoi(form.Get("NumMedia")); err == nil && n > 0 {
		for i := range min(n, 10) {
			if m := form.Get("MediaUrl" + strconv.Itoa(i)); m != "" {
				in.Media = append(in.Media, m)
			}
		}
	}
	return in, nil
}
