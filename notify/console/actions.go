package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/heraldsms/herald/notify"
)

// messageResend sends an unknown message's text again. The provider may
// have delivered the first one (a timeout after the request went out), so
// the agent must tick that a double text is accepted; the resend carries an
// idempotency key from the message id, so posting the form twice sends once.
func (h *handler) messageResend(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	id, d, ok := h.postedMessage(ctx, w, r, q)
	if !ok {
		return
	}
	m := d.Message
	switch {
	case m.Outcome != notify.OutcomeUnknown:
		h.renderMessage(w, r, q, http.StatusConflict, id, "", "Only a message whose outcome is unknown can be resent from here.")
		return
	case r.PostFormValue("accept_double") != "yes":
		h.renderMessage(w, r, q, http.StatusUnprocessableEntity, id, "",
			"Tick that you accept the customer may get this text twice: the provider may have delivered the first one.")
		return
	}
	cps, err := h.b.ContactPoints(ctx, q.account, q.actor)
	if err != nil {
		h.renderMessage(w, r, q, statusFor(err), id, "", err.Error())
		return
	}
	i := slices.IndexFunc(cps, func(c contactPoint) bool { return slices.Contains(c.Senders, m.From) })
	if i < 0 {
		h.renderMessage(w, r, q, http.StatusForbidden, id, "", fmt.Sprintf("You may not send from %s: no contact point of yours holds it.", m.From))
		return
	}
	rep, err := h.b.Send(context.WithoutCancel(r.Context()), notify.Notification{
		Account:              q.account,
		From:                 cps[i].Name,
		To:                   []string{m.To},
		Body:                 m.Body,
		Topic:                m.Topic,
		Actor:                q.actor,
		AcknowledgeMultipart: m.Segments > 1,
		IdempotencyKey:       "console-resend-" + m.ID,
		Metadata:             map[string]string{"source": "console-resend", "resend_of": m.ID, "actor": q.actor.ID},
	})
	if err != nil {
		h.renderMessage(w, r, q, statusFor(err), id, "", err.Error())
		return
	}
	res := rep.Results[0]
	flash := fmt.Sprintf("Resent as notification %s: %s", rep.NotificationID, res.Outcome)
	if res.Reason != "" {
		flash += " (" + res.Reason + ")"
	}
	h.renderMessage(w, r, q, http.StatusOK, id, flash+".", "")
}

// notificationResume resumes the paused notification a message belongs to
// (form field id, from the message page) or a paused notification of the
// account (form field notification, from the History page's list).
func (h *handler) notificationResume(w http.ResponseWriter, r *http.Request, q request) {
	if r.PostFormValue("notification") != "" {
		h.pausedResume(w, r, q)
		return
	}
	ctx, cancel := h.ctx(r)
	defer cancel()
	id, d, ok := h.postedMessage(ctx, w, r, q)
	if !ok {
		return
	}
	if d.Notification.State != notify.NotificationPaused {
		h.renderMessage(w, r, q, http.StatusConflict, id, "", "The notification is not paused.")
		return
	}
	if _, err := h.b.Resume(context.WithoutCancel(r.Context()), d.Notification.ID); err != nil && !errors.Is(err, ErrNotProvided) {
		h.renderMessage(w, r, q, statusFor(err), id, "", err.Error())
		return
	} else if err != nil {
		h.renderMessage(w, r, q, http.StatusNotImplemented, id, "", err.Error())
		return
	}
	h.renderMessage(w, r, q, http.StatusOK, id, "Resumed notification "+d.Notification.ID+".", "")
}

// postedMessage loads the message the posted form names (field id), which
// is always the account's own, never another's. When it cannot, it renders
// the message page with the error and reports false.
func (h *handler) postedMessage(ctx context.Context, w http.ResponseWriter, r *http.Request, q request) (string, notify.MessageDetail, bool) {
	id := r.PostFormValue("id")
	d, err := h.b.Message(ctx, q.account, id)
	if err != nil {
		h.renderMessage(w, r, q, statusFor(err), id, "", err.Error())
		return id, d, false
	}
	return id, d, true
}
