package console

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/heraldsms/herald/notify"
)

// messageSettle marks an unknown message delivered on the agent's word (the
// customer confirmed by phone, say): the agent ticks that they know the
// customer received the text and says how; notify records who decided,
// when and why, and nothing is sent. It needs the same permission as the
// resend beside it.
func (h *handler) messageSettle(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	id, d, ok := h.postedMessage(ctx, w, r, q)
	if !ok {
		return
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	switch {
	case d.Message.Outcome != notify.OutcomeUnknown:
		h.renderMessage(w, r, q, http.StatusConflict, id, "", settledText(d.Message))
		return
	case r.PostFormValue("confirm_delivered") != "yes":
		h.renderMessage(w, r, q, http.StatusUnprocessableEntity, id, "",
			"Tick that the customer received this text: marking it delivered tells everyone it arrived, and it will not be resent.")
		return
	case note == "":
		h.renderMessage(w, r, q, http.StatusUnprocessableEntity, id, "",
			"Say how you know the customer received it (for example: the customer confirmed by phone).")
		return
	}
	_, err := h.b.SettleUnknown(ctx, q.account, id, notify.Settlement{Actor: q.actor, Note: note})
	var se *notify.SettleError
	switch {
	case errors.As(err, &se):
		m := d.Message
		m.Outcome = se.Outcome
		if se.Previous != nil {
			m.Statuses = append(m.Statuses, *se.Previous)
		}
		h.renderMessage(w, r, q, http.StatusConflict, id, "", settledText(m))
		return
	case errors.Is(err, notify.ErrForbidden):
		h.renderMessage(w, r, q, http.StatusForbidden, id, "", fmt.Sprintf("You may not settle this message: no contact point of yours holds %s.", d.Message.From))
		return
	case err != nil:
		h.renderMessage(w, r, q, statusFor(err), id, "", err.Error())
		return
	}
	h.cfg.log.InfoContext(r.Context(), "console: unknown outcome marked delivered", "message", id, "actor", q.actor.ID)
	h.renderMessage(w, r, q, http.StatusOK, id, "Marked as delivered. Nothing was sent.", "")
}

// settledText says why m, whose outcome is not unknown, cannot be marked
// delivered: who settled it, or what its outcome is.
func settledText(m notify.Message) string {
	for i := len(m.Statuses) - 1; i >= 0; i-- {
		if c := m.Statuses[i]; c.Code == notify.SettledCode {
			return fmt.Sprintf("%s already marked this message as delivered at %s.", c.By, formatWhen(c.At))
		}
	}
	return fmt.Sprintf("Only a message whose outcome is unknown can be marked as delivered; this one is %s.", m.Outcome)
}
