package console

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/heraldsms/herald/compliance"
)

// optInSources are the ways an agent can have received an opt-in.
var optInSources = []compliance.Source{compliance.SourcePaper, compliance.SourceAgent, compliance.SourceWebForm, compliance.SourceIVR, compliance.SourceInApp}

// normalize turns a typed number into E.164 (US numbers may omit +1).
func normalize(number string) (string, error) {
	n, err := phonenumbers.Parse(number, "US")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", fmt.Errorf("%q is not a valid phone number", number)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// optIn records an opt-in with its evidence: how it was given, what the
// person was shown, and what proves it (a form's reference, a call's
// recording id). An opt-in without evidence is refused: the ledger is the
// host's proof of consent.
func (h *handler) optIn(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	typed := strings.TrimSpace(r.PostFormValue("number"))
	evidence := strings.TrimSpace(r.PostFormValue("evidence"))
	number, err := normalize(typed)
	switch {
	case typed == "":
		h.renderOptouts(w, r, q, http.StatusUnprocessableEntity, typed, "", "Type the number that opted in.")
		return
	case err != nil:
		h.renderOptouts(w, r, q, http.StatusUnprocessableEntity, typed, "", err.Error())
		return
	case evidence == "":
		h.renderOptouts(w, r, q, http.StatusUnprocessableEntity, typed, "",
			"Say what proves the opt-in (a signed form's reference, a call recording, the web form's submission id): the consent ledger is your proof.")
		return
	}
	kind := compliance.Service
	if r.PostFormValue("kind") == "marketing" {
		kind = compliance.Marketing
	}
	source := compliance.SourceAgent
	for _, s := range optInSources {
		if string(s) == r.PostFormValue("source") {
			source = s
		}
	}
	rec := compliance.Record{
		Number:     number,
		Kind:       kind,
		Action:     compliance.ActionOptIn,
		At:         h.cfg.now().UTC(),
		Level:      compliance.LevelExpress,
		Source:     source,
		Disclosure: strings.TrimSpace(r.PostFormValue("disclosure")),
		URL:        strings.TrimSpace(r.PostFormValue("url")),
		Text:       evidence,
		Channel:    string(source),
		Actor:      q.actor.ID,
	}
	if err := h.b.OptIn(ctx, q.account, rec); err != nil {
		h.renderOptouts(w, r, q, statusFor(err), typed, "", err.Error())
		return
	}
	h.renderOptouts(w, r, q, http.StatusOK, number, fmt.Sprintf("%s opted in to %s messages.", number, kind), "")
}
