package console

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/heraldsms/herald/notify"
)

// maxRecipients caps one console send; bigger lists belong in the API.
const maxRecipients = 10000

// sendForm is what the Send form posts.
type sendForm struct {
	From     string
	Topic    string
	NewTopic string
	To       string
	Body     string
	Ack      bool
	// SendAfter is the scheduled time, "2006-01-02T15:04" in UTC; "" sends now.
	SendAfter string
	// CSV is an uploaded recipients list, carried to the confirmation.
	CSV string
}

// topic is the topic the form sends to: a new one when typed.
func (f sendForm) topic() string {
	if t := strings.TrimSpace(f.NewTopic); t != "" {
		return t
	}
	if f.Topic == "" {
		return notify.DefaultTopic
	}
	return f.Topic
}

// recipients splits the typed list on commas, semicolons and new lines.
func (f sendForm) recipients() []string {
	fields := strings.FieldsFunc(f.To, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' })
	out := fields[:0]
	for _, s := range fields {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func readSendForm(r *http.Request) (sendForm, error) {
	f := sendForm{
		From:      r.PostFormValue("from"),
		Topic:     r.PostFormValue("topic"),
		NewTopic:  r.PostFormValue("new_topic"),
		To:        r.PostFormValue("to"),
		Body:      r.PostFormValue("body"),
		Ack:       r.PostFormValue("ack") != "",
		SendAfter: strings.TrimSpace(r.PostFormValue("send_after")),
	}
	var err error
	f.CSV, err = readCSVField(r)
	return f, err
}

// sendData is what send.html renders.
type sendData struct {
	Form          sendForm
	ContactPoints []contactPoint
	Topics        []notify.Topic // active ones only
	Counter       counter
	Snippets      []string // names the form offers
	Blocked       bool     // nothing the actor may send from, or no PermSend
	// NoContactPoint: the actor may send from no contact point at all.
	NoContactPoint bool
}

// preflightData is what preflight.html renders.
type preflightData struct {
	Form      sendForm
	Plan      preflight
	Topic     string
	NewTopic  bool
	Counter   counter
	PlanError string
}

// sentData is what sent.html renders.
type sentData struct {
	SendAfter string // the schedule, "" for now
	Report    *notify.Report
	Counts    []outcomeCount
	Problems  []problem
	Deferred  int
}

type outcomeCount struct {
	Outcome string
	N       int
}

// loadSendChoices fills the contact points and active topics of the form.
func (h *handler) loadSendChoices(ctx context.Context, q request, v *view, d *sendData) {
	cps, err := h.b.ContactPoints(ctx, q.account, q.actor)
	if err != nil {
		h.note(v, err)
	}
	d.ContactPoints = cps
	d.NoContactPoint = err == nil && len(cps) == 0
	d.Blocked = d.NoContactPoint || !q.perms[PermSend]
	topics, err := h.b.Topics(ctx, q.account)
	if err != nil {
		h.note(v, err)
	}
	for _, t := range topics {
		if !t.Disabled {
			d.Topics = append(d.Topics, t)
		}
	}
	d.Snippets = slices.Sorted(maps.Keys(h.cfg.snippets))
}

// note records a page-level error: a missing notify operation as a notice,
// anything else as the page's error.
func (h *handler) note(v *view, err error) {
	if errors.Is(err, ErrNotProvided) {
		v.Missing = append(v.Missing, strings.TrimPrefix(err.Error(), ErrNotProvided.Error()+": "))
		return
	}
	if v.Error == "" {
		v.Error = err.Error()
	}
}

func (h *handler) sendForm(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	d := sendData{Form: sendForm{Topic: r.URL.Query().Get("topic")}}
	v := view{Title: "Send", Data: &d}
	h.loadSendChoices(ctx, q, &v, &d)
	if len(d.ContactPoints) > 0 {
		d.Form.From = d.ContactPoints[0].Name
	}
	d.Counter = count("")
	h.render(w, r, q, http.StatusOK, "send", v)
}

// formError re-renders the Send form with the values typed and an error.
func (h *handler) formError(w http.ResponseWriter, r *http.Request, q request, status int, f sendForm, msg string) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	d := sendData{Form: f, Counter: count(expandSnippets(f.Body, h.cfg.snippets))}
	v := view{Title: "Send", Data: &d}
	h.loadSendChoices(ctx, q, &v, &d)
	v.Error = msg
	h.render(w, r, q, status, "send", v)
}

// sendSubmit handles the three steps of the form: preview (the preflight
// summary), edit (back to the form) and confirm (the send).
func (h *handler) sendSubmit(w http.ResponseWriter, r *http.Request, q request) {
	f, err := readSendForm(r)
	if err != nil {
		h.formError(w, r, q, http.StatusUnprocessableEntity, f, err.Error())
		return
	}
	step := r.PostFormValue("step")
	if step == "edit" {
		h.formError(w, r, q, http.StatusOK, f, "")
		return
	}
	ctx, cancel := h.ctx(r)
	defer cancel()

	// Never trust the form: the contact point must be one the actor may
	// use, the topic active, and a multipart body acknowledged.
	cps, err := h.b.ContactPoints(ctx, q.account, q.actor)
	switch {
	case errors.Is(err, ErrNotProvided):
		// notify enforces permissions itself on Plan and Send.
	case err != nil:
		h.formError(w, r, q, http.StatusInternalServerError, f, err.Error())
		return
	case !slices.ContainsFunc(cps, func(c contactPoint) bool { return c.Name == f.From }):
		h.formError(w, r, q, http.StatusForbidden, f, fmt.Sprintf("You may not send from contact point %q.", f.From))
		return
	}
	topic := f.topic()
	newTopic := false
	topics, err := h.b.Topics(ctx, q.account)
	if err != nil && !errors.Is(err, ErrNotProvided) {
		h.formError(w, r, q, http.StatusInternalServerError, f, err.Error())
		return
	}
	if err == nil {
		i := slices.IndexFunc(topics, func(t notify.Topic) bool { return t.Name == topic })
		switch {
		case i >= 0 && topics[i].Disabled:
			h.formError(w, r, q, http.StatusConflict, f, fmt.Sprintf("Topic %q is disabled; re-activate it on the Topics page to send to it.", topic))
			return
		case i < 0 && strings.TrimSpace(f.NewTopic) == "":
			h.formError(w, r, q, http.StatusUnprocessableEntity, f, fmt.Sprintf("Topic %q does not exist.", topic))
			return
		case i < 0:
			newTopic = true
		}
	}
	var recipients []notify.Recipient
	for _, t := range f.recipients() {
		recipients = append(recipients, notify.Recipient{To: t})
	}
	if strings.TrimSpace(f.CSV) != "" {
		rows, header, err := parseRecipientsCSV(f.CSV)
		if err != nil {
			h.formError(w, r, q, http.StatusUnprocessableEntity, f, err.Error())
			return
		}
		if missing := missingColumns(expandSnippets(f.Body, h.cfg.snippets), header); len(missing) > 0 {
			h.formError(w, r, q, http.StatusUnprocessableEntity, f, fmt.Sprintf(
				"The message needs the column(s) %s, which the CSV lacks (its columns: %s).", strings.Join(missing, ", "), strings.Join(header, ", ")))
			return
		}
		recipients = append(recipients, rows...)
	}
	var sendAfter time.Time
	if f.SendAfter != "" {
		t, err := time.Parse(inputLayout, f.SendAfter)
		switch {
		case err != nil:
			h.formError(w, r, q, http.StatusUnprocessableEntity, f, "The schedule is not a date and time (UTC).")
			return
		case !t.After(h.cfg.now()):
			h.formError(w, r, q, http.StatusUnprocessableEntity, f, "The schedule is in the past; leave it empty to send now.")
			return
		}
		sendAfter = t
	}
	to := recipients
	switch {
	case len(to) == 0:
		h.formError(w, r, q, http.StatusUnprocessableEntity, f, "Type at least one recipient.")
		return
	case len(to) > maxRecipients:
		h.formError(w, r, q, http.StatusUnprocessableEntity, f, fmt.Sprintf("At most %d recipients per send from the console (%d typed).", maxRecipients, len(to)))
		return
	case strings.TrimSpace(f.Body) == "":
		h.formError(w, r, q, http.StatusUnprocessableEntity, f, "Type a message.")
		return
	}
	c := count(expandSnippets(f.Body, h.cfg.snippets))
	if c.Segments > 1 && !f.Ack {
		h.formError(w, r, q, http.StatusUnprocessableEntity, f,
			fmt.Sprintf("This message is %d segments (%s) and is billed as %d texts per recipient: tick the acknowledgement to send it.", c.Segments, c.Encoding, c.Segments))
		return
	}
	n := notify.Notification{
		Account:              q.account,
		From:                 f.From,
		Body:                 f.Body,
		SendAfter:            sendAfter,
		Topic:                topic,
		Actor:                q.actor,
		AcknowledgeMultipart: f.Ack,
		Metadata:             map[string]string{"source": "console", "actor": q.actor.ID},
	}
	if strings.TrimSpace(f.CSV) == "" {
		n.To = f.recipients() // typed numbers only
	} else {
		n.Recipients = to // typed numbers and the CSV's rows with their values
	}
	if step != "confirm" {
		h.preview(w, r, q, f, n, newTopic, c)
		return
	}
	if newTopic {
		if err := h.b.CreateTopic(ctx, q.account, topic, topic, q.actor); err != nil {
			h.formError(w, r, q, statusFor(err), f, err.Error())
			return
		}
	}
	// A send is not abandoned because the agent closed the tab.
	rep, err := h.b.Send(context.WithoutCancel(r.Context()), n)
	if err != nil {
		h.formError(w, r, q, statusFor(err), f, err.Error())
		return
	}
	d := reportData(rep)
	d.SendAfter = f.SendAfter
	h.render(w, r, q, http.StatusOK, "sent", view{Title: "Sent", Flash: "Notification " + rep.NotificationID + " accepted.", Data: d})
}

func (h *handler) preview(w http.ResponseWriter, r *http.Request, q request, f sendForm, n notify.Notification, newTopic bool, c counter) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	d := preflightData{Form: f, Topic: n.Topic, NewTopic: newTopic, Counter: c}
	v := view{Title: "Preflight", Data: &d}
	pf, err := h.b.Plan(ctx, n)
	switch {
	case errors.Is(err, ErrNotProvided):
		h.note(&v, err)
		pf = preflight{Recipients: len(n.To) + len(n.Recipients), Segments: c.Segments, Encoding: c.Encoding, Partial: true}
		for _, u := range c.UCS2 {
			pf.UCS2Chars = append(pf.UCS2Chars, u.Char)
		}
	case err != nil:
		h.formError(w, r, q, statusFor(err), f, err.Error())
		return
	}
	d.Plan = pf
	h.render(w, r, q, http.StatusOK, "preflight", v)
}

// reportData summarises a report: counts by outcome and every recipient
// that did not get the message, with its error.
func reportData(rep *notify.Report) sentData {
	d := sentData{Report: rep}
	for o := notify.OutcomePending; o <= notify.OutcomeCanceled; o++ {
		if n := rep.Counts[o]; n > 0 {
			d.Counts = append(d.Counts, outcomeCount{o.String(), n})
		}
	}
	for _, res := range rep.Results {
		switch res.Outcome {
		case notify.OutcomeSent, notify.OutcomePending:
			continue
		case notify.OutcomeDeferred:
			d.Deferred++
		}
		d.Problems = append(d.Problems, problemOf(res))
	}
	return d
}

// problemOf describes a recipient that was not sent.
func problemOf(res notify.Result) problem {
	p := problem{Given: res.Given, Outcome: res.Outcome.String(), Reason: res.Reason}
	if res.Err != nil {
		p.Error = res.Err.Error()
	}
	return p
}

// statusFor maps an error from notify to an HTTP status.
func statusFor(err error) int {
	switch {
	case errors.Is(err, ErrNotProvided):
		return http.StatusNotImplemented
	case errors.Is(err, notify.ErrNotFound):
		return http.StatusNotFound
	}
	return http.StatusUnprocessableEntity
}
