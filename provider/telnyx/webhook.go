package telnyx

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/heraldsms/herald/provider"
)

// DefaultTolerance is how far a webhook's telnyx-timestamp may be from the
// receiver's clock, as in Telnyx's own libraries.
const DefaultTolerance = 5 * time.Minute

// VerifySignature checks a Telnyx webhook: signature is the base64
// telnyx-signature-ed25519 header, timestamp the telnyx-timestamp header
// (Unix seconds), body the raw request body. The signed message is
// timestamp + "|" + body. A timestamp more than tolerance away from now
// fails with provider.ErrStaleWebhook (a replay); any other failure wraps
// provider.ErrInvalidSignature.
func VerifySignature(publicKey ed25519.PublicKey, body []byte, signature, timestamp string, now time.Time, tolerance time.Duration) error {
	if len(publicKey) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: public key is %d bytes, want %d", provider.ErrInvalidSignature, len(publicKey), ed25519.PublicKeySize)
	}
	if signature == "" || timestamp == "" {
		return fmt.Errorf("%w: missing telnyx-signature-ed25519 or telnyx-timestamp", provider.ErrInvalidSignature)
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return fmt.Errorf("%w: signature is not base64", provider.ErrInvalidSignature)
	}
	secs, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q is not Unix seconds", provider.ErrInvalidSignature, timestamp)
	}
	msg := make([]byte, 0, len(timestamp)+1+len(body))
	msg = append(append(append(msg, timestamp...), '|'), body...)
	if !ed25519.Verify(publicKey, msg, sig) {
		return fmt.Errorf("%w: ed25519 signature does not match", provider.ErrInvalidSignature)
	}
	if d := now.Sub(time.Unix(secs, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: timestamp %s is %v from now", provider.ErrStaleWebhook, timestamp, d.Round(time.Second))
	}
	return nil
}

// Sign returns the telnyx-signature-ed25519 value for body at timestamp,
// for tests and local tooling.
func Sign(privateKey ed25519.PrivateKey, body []byte, timestamp string) string {
	msg := append([]byte(timestamp+"|"), body...)
	return base64.StdEncoding.EncodeToString(ed25519.Sign(privateKey, msg))
}

// WebhookOption configures the webhook handler.
type WebhookOption func(*webhookConfig)

type webhookConfig struct {
	onStatus  func(context.Context, provider.StatusUpdate) error
	onInbound func(context.Context, provider.Inbound) error
	maxBytes  int64
	tolerance time.Duration
	dedup     int
	now       func() time.Time
}

// OnStatus sets the callback for message.sent and message.finalized
// events. A non-nil error makes the handler answer 500 so Telnyx retries.
func OnStatus(fn func(ctx context.Context, u provider.StatusUpdate) error) WebhookOption {
	return func(c *webhookConfig) { c.onStatus = fn }
}

// OnInbound sets the callback for message.received events. A non-nil error
// makes the handler answer 500 so Telnyx retries.
func OnInbound(fn func(ctx context.Context, in provider.Inbound) error) WebhookOption {
	return func(c *webhookConfig) { c.onInbound = fn }
}

// WithMaxBodyBytes caps the request body (default
// provider.DefaultMaxWebhookBytes); larger requests get 413.
func WithMaxBodyBytes(n int64) WebhookOption { return func(c *webhookConfig) { c.maxBytes = n } }

// WithTolerance sets the allowed clock difference (default 5 minutes).
func WithTolerance(d time.Duration) WebhookOption { return func(c *webhookConfig) { c.tolerance = d } }

// WithDedupCapacity sets how many recent event ids are remembered to drop
// replays within the tolerance window (default 4096).
func WithDedupCapacity(n int) WebhookOption { return func(c *webhookConfig) { c.dedup = n } }

// WithWebhookClock sets the clock for the timestamp check (default
// time.Now).
func WithWebhookClock(now func() time.Time) WebhookOption {
	return func(c *webhookConfig) { c.now = now }
}

// NewWebhookHandler returns an http.Handler for Telnyx messaging webhooks
// signed with publicKey (the account's public key from the portal). It
// answers 403 and processes nothing when the signature fails or the
// timestamp is outside the tolerance, 413 for a body over the cap, 400 for
// a malformed event, and 200 for event types it does not handle. Each event
// id is handed on once; replays are acknowledged and dropped.
func NewWebhookHandler(publicKey ed25519.PublicKey, opts ...WebhookOption) http.Handler {
	c := webhookConfig{maxBytes: provider.DefaultMaxWebhookBytes, tolerance: DefaultTolerance, dedup: 4096, now: time.Now}
	for _, o := range opts {
		o(&c)
	}
	seen := provider.NewSeenSet(c.dedup)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := provider.ReadWebhookPost(w, r, c.maxBytes)
		if !ok {
			return
		}
		if err := VerifySignature(publicKey, body, r.Header.Get("telnyx-signature-ed25519"),
			r.Header.Get("telnyx-timestamp"), c.now(), c.tolerance); err != nil {
			http.Error(w, "invalid signature", http.StatusForbidden)
			return
		}
		ev, err := ParseEvent(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var deliver func(context.Context) error
		switch {
		case ev.Status != nil && c.onStatus != nil:
			u := *ev.Status
			deliver = func(ctx context.Context) error { return c.onStatus(ctx, u) }
		case ev.Inbound != nil && c.onInbound != nil:
			in := *ev.Inbound
			deliver = func(ctx context.Context) error { return c.onInbound(ctx, in) }
		}
		if deliver != nil && seen.Add(ev.ID) {
			if err := deliver(r.Context()); err != nil {
				seen.Remove(ev.ID)
				http.Error(w, "processing failed", http.StatusInternalServerError)
				return
			}
		}
		w.WriteHeader(http.StatusOK)
	})
}

// Event is a parsed Telnyx messaging webhook: exactly one of Status and
// Inbound is set for the event types Herald handles, neither for others.
type Event struct {
	ID      string // the event id (data.id), unique per event
	Type    string // data.event_type, e.g. "message.finalized"
	Status  *provider.StatusUpdate
	Inbound *provider.Inbound
}

type eventDoc struct {
	Data struct {
		EventType  string    `json:"event_type"`
		ID         string    `json:"id"`
		OccurredAt time.Time `json:"occurred_at"`
		Payload    struct {
			ID   string `json:"id"`
			From struct {
				PhoneNumber string `json:"phone_number"`
			} `json:"from"`
			To []struct {
				PhoneNumber string `json:"phone_number"`
				Status      string `json:"status"`
			} `json:"to"`
			Text   string `json:"text"`
			Parts  int    `json:"parts"`
			Errors []struct {
				Code string `json:"code"`
			} `json:"errors"`
			Cost *struct {
				Amount   string `json:"amount"`
				Currency string `json:"currency"`
			} `json:"cost"`
			Media []struct {
				URL string `json:"url"`
			} `json:"media"`
		} `json:"payload"`
	} `json:"data"`
}

// ParseEvent parses a webhook body (already verified).
func ParseEvent(body []byte) (Event, error) {
	var doc eventDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return Event{}, fmt.Errorf("telnyx: malformed webhook: %w", err)
	}
	d := doc.Data
	if d.ID == "" || d.EventType == "" {
		return Event{}, errors.New("telnyx: webhook without data.id or data.event_type")
	}
	ev := Event{ID: d.ID, Type: d.EventType}
	pl := d.Payload
	switch d.EventType {
	case "message.sent", "message.finalized":
		if pl.ID == "" {
			return Event{}, errors.New("telnyx: status event without payload.id")
		}
		u := provider.StatusUpdate{Provider: Name, ID: pl.ID, From: pl.From.PhoneNumber, At: d.OccurredAt, Segments: pl.Parts}
		if len(pl.To) > 0 {
			u.To, u.Raw = pl.To[0].PhoneNumber, pl.To[0].Status
			u.Status = ParseStatus(u.Raw)
		}
		if len(pl.Errors) > 0 && pl.Errors[0].Code != "" {
			u.Code = pl.Errors[0].Code
			info := eventCode(u.Code)
			u.Err, u.Retryable, u.Detail = info.reason, info.class == provider.RejectedRetryable, info.text
		}
		if pl.Cost != nil && pl.Cost.Amount != "" {
			u.Price = &provider.Price{Amount: pl.Cost.Amount, Currency: pl.Cost.Currency}
		}
		ev.Status = &u
	case "message.received":
		in := provider.Inbound{Provider: Name, ID: pl.ID, From: pl.From.PhoneNumber, Body: pl.Text,
			Received: d.OccurredAt, Segments: pl.Parts}
		if len(pl.To) > 0 {
			in.To = pl.To[0].PhoneNumber
		}
		for _, m := range pl.Media {
			in.Media = append(in.Media, m.URL)
		}
		ev.Inbound = &in
	}
	return ev, nil
}
