package console

import (
	"context"
	"net/http"
	"slices"

	"github.com/heraldsms/herald/notify"
)

// pausedResume resumes one of the account's paused notifications, listed
// on the History page, and shows that page again. Only a notification the
// account's paused list holds is resumed: never another account's.
func (h *handler) pausedResume(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	id := r.PostFormValue("notification")
	paused, err := h.b.Paused(ctx, q.account)
	if err != nil {
		h.renderHistory(w, r, q, statusFor(err), "", err.Error())
		return
	}
	if !slices.ContainsFunc(paused, func(rec notify.NotificationRecord) bool { return rec.ID == id }) {
		h.renderHistory(w, r, q, http.StatusConflict, "", "Notification "+id+" is not paused in this account.")
		return
	}
	if _, err := h.b.Resume(context.WithoutCancel(r.Context()), id); err != nil {
		h.renderHistory(w, r, q, statusFor(err), "", err.Error())
		return
	}
	h.renderHistory(w, r, q, http.StatusOK, "Resumed notification "+id+".", "")
}
