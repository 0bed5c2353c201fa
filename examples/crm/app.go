package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
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
	svc       *notify.Service
	authToken string
	contacts  map[string]Contact

	mu            sync.Mutex
	conversations []Conversation
}

// contactPoint is the number the CRM texts from and receives replies on.
const contactPoint = "support"

// newApp builds the Service behind the CRM. opts are added last (tests pass
// a clock).
func newApp(p provider.Provider, authToken, from string, contacts map[string]Contact, opts ...notify.Option) (*App, error) {
	a := &App{authToken: authToken, contacts: contacts}
	svc, err := notify.New(p, append([]notify.Option{
		notify.WithContactPoint(notify.ContactPoint{
			Name:    contactPoint,
			Numbers: []string{from},
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

// Handler routes the CRM's endpoints and the signed Twilio webhooks.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /contacts/{id}/notify", a.notify)
	mux.Handle("POST /webhooks/twilio/status", twilio.StatusHandler(a.authToken, a.svc.HandleStatus))
	mux.Handle("POST /webhooks/twilio/inbound", twilio.InboundHandler(a.authToken, a.svc.HandleInbound))
	mux.HandleFunc("GET /conversations", a.listConversations)
	return mux
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
