// Package twilio is a provider.Provider for Twilio Programmable Messaging
// (the 2010-04-01 Messages API), spoken over net/http with no Twilio SDK.
//
// It sends form-encoded requests with basic auth (account SID and auth
// token, or an API key), maps Twilio's error codes onto provider error
// classes, looks up line types with Lookup v2, and offers webhook handlers
// for status callbacks and inbound messages that verify
// X-Twilio-Signature. It never retries on its own.
package twilio

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/heraldsms/herald/provider"
)

// Name is the provider name in receipts, errors and events.
const Name = "twilio"

// Default endpoints.
const (
	DefaultBaseURL       = "https://api.twilio.com"
	DefaultLookupBaseURL = "https://lookups.twilio.com"
)

// maxResponseBytes caps how much of a response body is read.
const maxResponseBytes = 1 << 20

// Provider sends SMS through Twilio. Create it with New; it is safe for
// concurrent use.
type Provider struct {
	accountSID  string
	authToken   string
	auth        string // precomputed Authorization header
	baseURL     string
	lookupURL   string // "" until New: then WithLookupBaseURL's, else baseURL unless default
	messagesURL string
	serviceSID  string
	client      *http.Client
	now         func() time.Time
}

var (
	_ provider.Provider = (*Provider)(nil)
	_ provider.Lookuper = (*Provider)(nil)
	_ provider.Canceler = (*Provider)(nil)
)

// Option configures a Provider.
type Option func(*Provider)

// WithBaseURL sends API requests to url instead of https://api.twilio.com
// (a test server, a proxy, a mock). Lookups go there too unless
// WithLookupBaseURL says otherwise.
func WithBaseURL(url string) Option {
	return func(p *Provider) { p.baseURL = strings.TrimRight(url, "/") }
}

// WithLookupBaseURL sends Lookup requests to url instead of
// https://lookups.twilio.com.
func WithLookupBaseURL(url string) Option {
	return func(p *Provider) { p.lookupURL = strings.TrimRight(url, "/") }
}

// WithHTTPClient uses c for every request (default http.DefaultClient). Set
// its Timeout or pass a ctx deadline: a timeout after the request was
// written is reported as Ambiguous.
func WithHTTPClient(c *http.Client) Option { return func(p *Provider) { p.client = c } }

// WithAPIKey authenticates API requests with an API key SID (SK…) and its
// secret instead of the account SID and auth token. The auth token passed
// to New is still what webhook signatures are checked against.
func WithAPIKey(keySID, secret string) Option {
	return func(p *Provider) { p.auth = basicAuth(keySID, secret) }
}

// WithMessagingServiceSID sends through a Messaging Service (MG…). Every
// send names the service; a Message with an empty From lets the service
// pick the sender from its pool, and a Message with a From sends from that
// sender in the pool (Twilio's spec allows both together).
func WithMessagingServiceSID(sid string) Option { return func(p *Provider) { p.serviceSID = sid } }

// WithClock sets the clock used to interpret Retry-After dates (default
// time.Now).
func WithClock(now func() time.Time) Option { return func(p *Provider) { p.now = now } }

// New returns a Twilio provider for the account accountSID (AC…),
// authenticating with authToken unless WithAPIKey says otherwise.
func New(accountSID, authToken string, opts ...Option) *Provider {
	p := &Provider{
		accountSID: accountSID,
		authToken:  authToken,
		auth:       basicAuth(accountSID, authToken),
		baseURL:    DefaultBaseURL,
		client:     http.DefaultClient,
		now:        time.Now,
	}
	for _, o := range opts {
		o(p)
	}
	if p.client == nil {
		p.client = http.DefaultClient
	}
	if p.lookupURL == "" {
		p.lookupURL = DefaultLookupBaseURL
		if p.baseURL != DefaultBaseURL {
			p.lookupURL = p.baseURL
		}
	}
	p.messagesURL = p.baseURL + "/2010-04-01/Accounts/" + url.PathEscape(accountSID) + "/Messages"
	return p
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// AuthToken returns the auth token webhook signatures are checked against.
func (p *Provider) AuthToken() string { return p.authToken }

// messageResource is the part of Twilio's Message resource we read.
type messageResource struct {
	SID         string  `json:"sid"`
	Status      string  `json:"status"`
	NumSegments string  `json:"num_segments"`
	Price       *string `json:"price"`
	PriceUnit   *string `json:"price_unit"`
	ErrorCode   *int    `json:"error_code"`
}

// Send posts m to the Messages resource and returns Twilio's receipt.
// Message.ClientRef is not sent (Twilio has no such field) but is echoed in
// the receipt.
func (p *Provider) Send(ctx context.Context, m provider.Message) (provider.Receipt, error) {
	if m.To == "" {
		return provider.Receipt{}, &provider.Error{Provider: Name, Class: provider.Permanent,
			Err: fmt.Errorf("%w: empty To", provider.ErrInvalidNumber)}
	}
	if m.From == "" && p.serviceSID == "" {
		return provider.Receipt{}, &provider.Error{Provider: Name, Class: provider.Permanent,
			Err: fmt.Errorf("%w: empty From and no messaging service SID", provider.ErrInvalidRequest)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.messagesURL+".json",
		strings.NewReader(encodeMessage(m, p.serviceSID)))
	if err != nil {
		return provider.Receipt{}, &provider.Error{Provider: Name, Class: provider.Permanent,
			Err: fmt.Errorf("%w: %w", provider.ErrInvalidRequest, err)}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var res messageResource
	if err := p.do(req, &res); err != nil {
		return provider.Receipt{}, err
	}
	return receipt(&res, m.ClientRef), nil
}

// encodeMessage form-encodes m the way url.Values.Encode would (sorted
// keys), without building a map.
func encodeMessage(m provider.Message, serviceSID string) string {
	var b strings.Builder
	b.Grow(64 + len(m.Body)*3/2 + len(m.StatusCallback))
	add := func(k, v string) {
		if v == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	add("Body", m.Body)
	add("From", m.From)
	add("MessagingServiceSid", serviceSID)
	add("StatusCallback", m.StatusCallback)
	add("To", m.To)
	if m.ValidityPeriod > 0 {
		secs := int64((m.ValidityPeriod + time.Second - 1) / time.Second)
		add("ValidityPeriod", strconv.FormatInt(min(max(secs, 1), 36000), 10))
	}
	return b.String()
}

func receipt(res *messageResource, clientRef string) provider.Receipt {
	r := provider.Receipt{ID: res.SID, Provider: Name, Status: ParseStatus(res.Status), ClientRef: clientRef}
	if n, err := strconv.Atoi(res.NumSegments); err == nil {
		r.Segments = n
	}
	if res.Price != nil && *res.Price != "" {
		r.Price = &provider.Price{Amount: *res.Price}
		if res.PriceUnit != nil {
			r.Price.Currency = *res.PriceUnit
		}
	}
	return r
}

// do sends req with auth, and decodes a 2xx JSON body into out or maps the
// error response.
func (p *Provider) do(req *http.Request, out any) error {
	req.Header.Set("Authorization", p.auth)
	req.Header.Set("Accept", "application/json")
	resp, err := provider.DoHTTP(p.client, req, Name)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		// The request was answered: whatever it did has happened.
		e := provider.TransportError(Name, err, true)
		e.HTTPStatus = resp.StatusCode
		return e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiError(resp.StatusCode, resp.Header, body, p.now())
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &provider.Error{Provider: Name, HTTPStatus: resp.StatusCode, Class: provider.Ambiguous,
			Err: fmt.Errorf("%w: %w", provider.ErrBadResponse, err)}
	}
	return nil
}
