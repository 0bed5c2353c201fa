package console

import (
	"net/http"
	"strings"

	"github.com/heraldsms/herald/compliance"
)

// optoutsData is what optouts.html renders.
type optoutsData struct {
	Number string
	Looked bool
	Trail  []compliance.Record
	// OptedOut is set when the most recent record is an opt-out.
	OptedOut bool
}

func (h *handler) optouts(w http.ResponseWriter, r *http.Request, q request) {
	h.renderOptouts(w, r, q, http.StatusOK, strings.TrimSpace(r.URL.Query().Get("number")), "", "")
}

func (h *handler) renderOptouts(w http.ResponseWriter, r *http.Request, q request, status int, number, flash, errMsg string) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	d := optoutsData{Number: number}
	v := view{Title: "Opt-outs", Data: &d, Flash: flash, Error: errMsg}
	if number != "" {
		trail, err := h.b.ConsentTrail(ctx, q.account, number)
		if err != nil {
			h.note(&v, err)
		} else {
			d.Looked, d.Trail = true, trail
			d.OptedOut = len(trail) > 0 && trail[len(trail)-1].Action == compliance.ActionOptOut
		}
	}
	h.render(w, r, q, status, "optouts", v)
}

// optOut records a manual opt-out with its reason.
func (h *handler) optOut(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	number := strings.TrimSpace(r.PostFormValue("number"))
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	switch {
	case number == "":
		h.renderOptouts(w, r, q, http.StatusUnprocessableEntity, number, "", "Type the number to opt out.")
		return
	case reason == "":
		h.renderOptouts(w, r, q, http.StatusUnprocessableEntity, number, "", "Say why the number is opted out (for the consent record).")
		return
	}
	if err := h.b.OptOut(ctx, q.account, number, reason, q.actor); err != nil {
		h.renderOptouts(w, r, q, statusFor(err), number, "", err.Error())
		return
	}
	h.renderOptouts(w, r, q, http.StatusOK, number, number+" is opted out.", "")
}
