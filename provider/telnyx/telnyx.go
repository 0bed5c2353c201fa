// Package telnyx is a provider.Provider for Telnyx Messaging v2, spoken
// over net/http with no Telnyx SDK.
//
// It sends JSON with a bearer API key, maps Telnyx error codes onto
// provider error classes, and offers a webhook handler that verifies the
// ed25519 signature over timestamp|body with a 5-minute tolerance. Unlike
// telnyx-go it never retries a send on its own.
package telnyx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/heraldsms/herald/provider"
)

// Name is the provider name in receipts, errors and events.
const Name = "telnyx"

// DefaultBaseURL is the Telnyx API endpoint.
const DefaultBaseURL = "https://api.telnyx.com"

const maxResponseBytes = 1 << 20

// Provider sends SMS through Telnyx. Create it with New; it is safe for
// concurrent use.
type Provider struct {
	auth      string
	baseURL   string
	profileID string
	client    *http.Client
	now       func() time.Time
}

var _ provider.Provider = (*Provider)(nil)

// Option configures a Provider.
type Option func(*Provider)

// WithBaseURL sends requests to url instead of https://api.telnyx.com.
func WithBaseURL(url string) Option {
	return func(p *Provider) { p.baseURL = strings.TrimRight(url, "/") }
}

// WithHTTPClient uses c for every request (default http.DefaultClient).
func WithHTTPClient(c *http.Client) Option { return func(p *Provider) { p.client = c } }

// WithMessagingProfileID sends with the given messaging profile, which
// also lets a Message with an empty From use the profile's number pool.
func WithMessagingProfileID(id string) Option { return func(p *Provider) { p.profileID = id } }

// WithClock sets the clock used to interpret Retry-After dates (default
// time.Now).
func WithClock(now func() time.Time) Option { return func(p *Provider) { p.now = now } }

// New returns a Telnyx provider authenticating with the API key apiKey.
func New(apiKey string, opts ...Option) *Provider {
	p := &Provider{auth: "Bearer " + apiKey, baseURL: DefaultBaseURL, client: http.DefaultClient, now: time.Now}
	for _, o := range opts {
		o(p)
	}
	if p.client == nil {
		p.client = http.DefaultClient
	}
	return p
}

type sendRequest struct {
	From               string `json:"from,omitempty"`
	To                 string `json:"to"`
	Text               string `json:"text"`
	MessagingProfileID string `json:"messaging_profile_id,omitempty"`
	WebhookURL         string `json:"webhook_url,omitempty"`
}

type messageData struct {
	ID string `json:"id"`
	To []struct {
		PhoneNumber string `json:"phone_number"`
		Status      string `json:"status"`
	} `json:"to"`
	Parts int `json:"parts"`
	Cost  *struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	} `json:"cost"`
}

// Send posts m to /v2/messages, with Message.StatusCallback as webhook_url.
// Message.ValidityPeriod and ClientRef are not sent: the send endpoint has
// no such fields (its parameters are to, from, text, media_urls, subject,
// messaging_profile_id, type, auto_detect, encoding, send_at,
// webhook_url, webhook_failover_url, use_profile_webhooks, per Telnyx's
// API reference and its SDKs' MessageSendParams), so a message's expiry
// must be enforced before Send; ClientRef is echoed in the receipt.
func (p *Provider) Send(ctx context.Context, m provider.Message) (provider.Receipt, error) {
	if m.To == "" {
		return provider.Receipt{}, &provider.Error{Provider: Name, Class: provider.Permanent,
			Err: fmt.Errorf("%w: empty To", provider.ErrInvalidNumber)}
	}
	if m.From == "" && p.profileID == "" {
		return provider.Receipt{}, &provider.Error{Provider: Name, Class: provider.Permanent,
			Err: fmt.Errorf("%w: empty From and no messaging profile", provider.ErrInvalidRequest)}
	}
	body, err := json.Marshal(sendRequest{From: m.From, To: m.To, Text: m.Body,
		MessagingProfileID: p.profileID, WebhookURL: m.StatusCallback})
	if err != nil {
		return provider.Receipt{}, &provider.Error{Provider: Name, Class: provider.Permanent,
			Err: fmt.Errorf("%w: %w", provider.ErrInvalidRequest, err)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.baseURL+"/v2/messages", bytes.NewReader(body))
	if err != nil {
		return provider.Receipt{}, &provider.Error{Provider: Name, Class: provider.Permanent,
			Err: fmt.Errorf("%w: %w", provider.ErrInvalidRequest, err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", p.auth)
	resp, err := provider.DoHTTP(p.client, req, Name)
	if err != nil {
		return provider.Receipt{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		e := provider.TransportError(Name, err, true)
		e.HTTPStatus = resp.StatusCode
		return provider.Receipt{}, e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return provider.Receipt{}, apiError(resp.StatusCode, resp.Header, raw, p.now())
	}
	var doc struct {
		Data messageData `json:"data"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || doc.Data.ID == "" {
		if err == nil {
			err = fmt.Errorf("no data.id")
		}
		return provider.Receipt{}, &provider.Error{Provider: Name, HTTPStatus: resp.StatusCode, Class: provider.Ambiguous,
			Err: fmt.Errorf("%w: %w", provider.ErrBadResponse, err)}
	}
	r := provider.Receipt{ID: doc.Data.ID, Provider: Name, Status: provider.StatusQueued,
		Segments: doc.Data.Parts, ClientRef: m.ClientRef}
	if len(doc.Data.To) > 0 {
		if s := ParseStatus(doc.Data.To[0].Status); s != provider.StatusUnknown {
			r.Status = s
		}
	}
	if c := doc.Data.Cost; c != nil && c.Amount != "" {
		r.Price = &provider.Price{Amount: c.Amount, Currency: c.Currency}
	}
	return r, nil
}

// ParseStatus maps a Telnyx per-recipient status to a provider.Status.
func ParseStatus(s string) provider.Status {
	switch s {
	case "queued":
		return provider.StatusQueued
	case "sending":
		return provider.StatusSending
	case "sent", "delivery_unconfirmed":
		return provider.StatusSent
	case "delivered":
		return provider.StatusDelivered
	case "delivery_failed", "expired":
		return provider.StatusUndelivered
	case "sending_failed":
		return provider.StatusFailed
	}
	return provider.StatusUnknown
}
