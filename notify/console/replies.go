package console

import (
	"net/http"

	"github.com/heraldsms/herald/notify"
)

// repliesData is what replies.html renders.
type repliesData struct {
	Replies []notify.ReplyRecord
}

func (h *handler) replies(w http.ResponseWriter, r *http.Request, q request) {
	h.renderReplies(w, r, q, http.StatusOK, "", "")
}

func (h *handler) renderReplies(w http.ResponseWriter, r *http.Request, q request, status int, flash, errMsg string) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	d := repliesData{}
	v := view{Title: "Replies", Data: &d, Flash: flash, Error: errMsg}
	rs, err := h.b.Replies(ctx, q.account)
	if err != nil {
		h.note(&v, err)
	}
	d.Replies = rs
	h.render(w, r, q, status, "replies", v)
}

// resolveReply marks one reply handled.
func (h *handler) resolveReply(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	id := r.PostFormValue("id")
	if err := h.b.ResolveReply(ctx, q.account, id, q.actor); err != nil {
		h.renderReplies(w, r, q, statusFor(err), "", err.Error())
		return
	}
	h.renderReplies(w, r, q, http.StatusOK, "Reply resolved.", "")
}
