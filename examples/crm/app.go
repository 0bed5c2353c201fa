package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/twilio"
)

// Contact is a CRM record with a phone number.
type Contact struct {
	ID, Name, Phone string
}

// Conversation is the CRM record a reply opens: an agent answers it.
type Conversation struct {
	ContactID      string    `json:"contact_id"` // "" when the number is no contact
	From           string    `json:"from"`
	Body           string    `json:"body"`
	NotificationID string    `json:"notification_id"` // the text it answers
	ReplyID        string    `json:"reply_id"`
	Opened         time.Time `json:"opened"`
}

// App is the CRM's texting side.
type App struct {
	svc      *notify.Service
	cfg      config
	contacts map[string]Contact

	mu            sync.Mutex
	conversations []Conversation
}

// contactPoint is the number the CRM texts from and receives replies on.
const contactPoint = "support"

// config is what the CRM needs to run safely.
type config struct {
	// AuthToken is Twilio's auth token: it checks the webhooks' signatures.
	AuthToken string
	// APIToken guards the CRM's own endpoints (notify, conversations,
	// tally): callers send "Authorization: Bearer <APIToken>".
	APIToken string
	// PublicURL is where Twilio reaches this server ("https://crm.example.com").
	// Twilio signs the URL it posts to, so the webhooks check signatures
	// against PublicURL + path, never against the request's Host header
	// (which a client chooses). It is also the base of the status callback
	// every text carries, so delivery receipts come back.
	PublicURL string
	// From is the number the CRM texts from and receives replies on.
	From string
	// Now is the CRM's clock (the demo clock); nil means time.Now.
	Now func() time.Time
}

// newApp builds the Service behind the CRM. opts are added last (tests pass
// a clock).
func newApp(p provider.Provider, cfg config, contacts map[string]Contact, opts ...notify.Option) (*App, error) {
	if cfg.APIToken == "" || cfg.AuthToken == "" || cfg.PublicURL == "" {
		return nil, errors.New("crm: the API token, the Twilio auth token and the public URL are required")
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &App{cfg: cfg, contacts: contacts}
	svc, err := notify.New(p, append([]notify.Option{
		notify.WithClock(cfg.Now),
		notify.WithStatusCallback(cfg.PublicURL + statusPath),
		notify.WithContactPoint(notify.ContactPoint{
			Name:    contactPoint,
			Numbers: []string{cfg.From},
			Brand:   "Acme",
			Help:    "Acme support: reply to this number or call 312-555-0100. Reply STOP to opt out.",
		}),
		notify.WithOnReply(a.openConversation),
	}, opts...)...)
	if err != nil {
		return nil, err
	}
	a.svc = svc
	return a, nil
}

// The webhook paths Twilio posts to.
const (
	statusPath  = "/webhooks/twilio/status"
	inboundPath = "/webhooks/twilio/inbound"
)

// Handler routes the CRM's endpoints (behind the API token) and the signed
// Twilio webhooks (checked against the public URL).
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /contacts/{id}/notify", a.authorized(a.notify))
	mux.Handle("GET /conversations", a.authorized(a.listConversations))
	mux.Handle("GET /tally", a.authorized(a.tally))
	public, clock := twilio.WithPublicURL(a.cfg.PublicURL), twilio.WithWebhookClock(a.cfg.Now)
	mux.Handle("POST "+statusPath, twilio.StatusHandler(a.cfg.AuthToken, a.svc.HandleStatus, public, clock))
	mux.Handle("POST "+inboundPath, twilio.InboundHandler(a.cfg.AuthToken, a.inbound, public, clock))
	return mux
}

// authorized lets through requests that carry the API token.
func (a *App) authorized(h http.HandlerFunc) http.Handler {
	want := []byte("Bearer " + a.cfg.APIToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", "Bearer")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h(w, r)
	})
}

// inbound handles a text to one of our numbers. A text to a number no
// account receives on is dropped, as the docs say, and answered 200 so
// Twilio does not retry it.
func (a *App) inbound(ctx context.Context, in provider.Inbound) error {
	err := a.svc.HandleInbound(ctx, in)
	if errors.Is(err, notify.ErrUnroutedReply) {
		log.Printf("reply from %s dropped: %v", provider.MaskNumber(in.From), err)
		return nil
	}
	return err
}

// tally is GET /tally: the account topic's counts over the last day, with
// the delivered count moving as receipts come back.
func (a *App) tally(w http.ResponseWriter, r *http.Request) {
	now := a.cfg.Now()
	t, err := a.svc.TopicTally(r.Context(), "", "account", now.Add(-24*time.Hour), now.Add(time.Minute))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, t)
}

// Shutdown stops the Service.
func (a *App) Shutdown(ctx context.Context) error { return a.svc.Shutdown(ctx) }

// notifyResponse is the answer of POST /contacts/{id}/notify.
type notifyResponse struct {
	Outcome   string `json:"outcome"`
	Reason    string `json:"reason,omitempty"`
	Detail    string `json:"detail,omitempty"`
	MessageID string `json:"message_id,omitempty"`
	// NotBefore is when a deferred text goes out (quiet hours).
	NotBefore *time.Time `json:"not_before,omitempty"`
}

// notify texts one contact: the form value body is the text.
func (a *App) notify(w http.ResponseWriter, r *http.Request) {
	c, ok := a.contacts[r.PathValue("id")]
	if !ok {
		http.Error(w, "no such contact", http.StatusNotFound)
		return
	}
	rep, err := a.svc.Send(r.Context(), notify.Notification{
		From:          contactPoint,
		To:            []string{c.Phone},
		Body:          r.FormValue("body"),
		Topic:         "account",
		Transactional: true,
		Metadata:      map[string]string{"contact_id": c.ID},
	})
	switch {
	case errors.Is(err, notify.ErrEmptyBody), errors.Is(err, notify.ErrMultipart), errors.Is(err, notify.ErrTemplate):
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	res := rep.Results[0]
	out := notifyResponse{Outcome: res.Outcome.String(), Reason: res.Reason, MessageID: res.MessageID}
	if res.Err != nil {
		out.Detail = provider.MaskNumbersIn(res.Err.Error())
	}
	if !res.NotBefore.IsZero() {
		nb := res.NotBefore.UTC()
		out.NotBefore = &nb
	}
	writeJSON(w, out)
}

// openConversation is the OnReply hook: a reply that is no keyword opens a
// conversation on the contact the answered notification was about.
func (a *App) openConversation(_ context.Context, r notify.ReplyRecord) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.conversations = append(a.conversations, Conversation{
		ContactID: r.Metadata["contact_id"], From: r.From, Body: r.Body,
		NotificationID: r.NotificationID, ReplyID: r.ID, Opened: r.Received,
	})
}

func (a *App) listConversations(w http.ResponseWriter, _ *http.Request) {
	a.mu.Lock()
	list := slices.Clone(a.conversations)
	a.mu.Unlock()
	writeJSON(w, list)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
