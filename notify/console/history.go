package console

import (
	"errors"
	"net/http"
	"time"

	"github.com/heraldsms/herald/notify"
)

// recentLimit is how many messages "view recent" lists.
const recentLimit = 1000

// inputLayout is the format of <input type="datetime-local">, read as UTC.
const inputLayout = "2006-01-02T15:04"

// presets are the History page's quick intervals.
var presets = []struct {
	Key   string
	Label string
	D     time.Duration
}{{"1h", "Last hour", time.Hour}, {"24h", "Last 24 hours", 24 * time.Hour}, {"7d", "Last 7 days", 7 * 24 * time.Hour}, {"30d", "Last 30 days", 30 * 24 * time.Hour}}

// historyData is what history.html renders.
type historyData struct {
	From, To time.Time
	Show     string // "active" or "disabled"
	Preset   string
	Presets  []preset
	Rows     []tallyRow
	Total    notify.Tally
	// Paused are the account's paused notifications, with why each
	// paused; CanSend offers their Resume.
	Paused  []notify.NotificationRecord
	CanSend bool
}

type preset struct{ Key, Label string }

type tallyRow struct {
	Topic notify.Topic
	Tally notify.Tally
}

// interval reads from/to (UTC, datetime-local) or a preset; the default is
// the last 24 hours up to the end of the current minute.
func interval(r *http.Request, now time.Time) (from, to time.Time, key string) {
	end := now.UTC().Truncate(time.Minute).Add(time.Minute)
	key = r.URL.Query().Get("preset")
	for _, p := range presets {
		if p.Key == key {
			return end.Add(-p.D), end, key
		}
	}
	from, errF := time.Parse(inputLayout, r.URL.Query().Get("from"))
	to, errT := time.Parse(inputLayout, r.URL.Query().Get("to"))
	if errF != nil || errT != nil || !from.Before(to) {
		return end.Add(-24 * time.Hour), end, "24h"
	}
	return from, to, ""
}

func (h *handler) history(w http.ResponseWriter, r *http.Request, q request) {
	h.renderHistory(w, r, q, http.StatusOK, "", "")
}

// renderHistory shows the tallies and the paused notifications.
func (h *handler) renderHistory(w http.ResponseWriter, r *http.Request, q request, status int, flash, errMsg string) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	d := historyData{Show: "active", CanSend: q.perms[PermSend]}
	if r.URL.Query().Get("show") == "disabled" {
		d.Show = "disabled"
	}
	d.From, d.To, d.Preset = interval(r, h.cfg.now())
	for _, p := range presets {
		d.Presets = append(d.Presets, preset{p.Key, p.Label})
	}
	v := view{Title: "History", Data: &d, Flash: flash, Error: errMsg}
	paused, err := h.b.Paused(ctx, q.account)
	if err != nil {
		h.note(&v, err)
	}
	d.Paused = paused
	topics, err := h.b.Topics(ctx, q.account)
	if err != nil {
		h.note(&v, err)
	}
	for _, t := range topics {
		if t.Disabled != (d.Show == "disabled") {
			continue
		}
		tally, err := h.b.Tally(ctx, q.account, t.Name, d.From, d.To)
		if err != nil {
			h.note(&v, err)
			break
		}
		d.Rows = append(d.Rows, tallyRow{t, tally})
		d.Total = d.Total.Add(tally)
	}
	h.render(w, r, q, status, "history", v)
}

// recentData is what recent.html renders.
type recentData struct {
	Topic     string
	Rows      []recentRow
	Delivered int
}

// recentRow is one line of the recent list, formatted in Go: the page has
// up to 1000 of them, and plain strings keep the template's work small.
type recentRow struct {
	ID        string
	When      string
	To        string
	Outcome   string
	Status    string
	Delivered bool
	Segments  int
}

func (h *handler) recent(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	d := recentData{Topic: r.URL.Query().Get("topic")}
	if d.Topic == "" {
		d.Topic = notify.DefaultTopic
	}
	v := view{Title: "Recent messages", Data: &d}
	msgs, err := h.b.Recent(ctx, q.account, d.Topic, recentLimit)
	if err != nil {
		h.note(&v, err)
	}
	d.Rows = make([]recentRow, len(msgs))
	for i := range msgs {
		m := &msgs[i]
		to := m.To
		if to == "" {
			to = m.Given
		}
		d.Rows[i] = recentRow{ID: m.ID, When: formatWhen(m.UpdatedAt), To: to, Outcome: m.Outcome.String(),
			Status: formatStatus(m.Status), Delivered: isDelivered(*m), Segments: m.Segments}
		if d.Rows[i].Delivered {
			d.Delivered++
		}
	}
	h.render(w, r, q, http.StatusOK, "recent", v)
}

// messageData is what message.html renders.
type messageData struct {
	Detail  notify.MessageDetail
	Found   bool
	Unknown bool // the outcome is unknown: offer a confirmed resend
	Paused  bool // the notification is paused: show why, offer resume
	CanSend bool
}

func (h *handler) message(w http.ResponseWriter, r *http.Request, q request) {
	h.renderMessage(w, r, q, http.StatusOK, r.URL.Query().Get("id"), "", "")
}

// renderMessage shows one message, with what the actor may do about it.
func (h *handler) renderMessage(w http.ResponseWriter, r *http.Request, q request, status int, id, flash, errMsg string) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	d := messageData{CanSend: q.perms[PermSend]}
	v := view{Title: "Message", Data: &d, Flash: flash, Error: errMsg}
	m, err := h.b.Message(ctx, q.account, id)
	switch {
	case errors.Is(err, notify.ErrNotFound):
		h.fail(w, r, q, http.StatusNotFound, "Message not found", "No message "+id+" in this account.")
		return
	case err != nil:
		h.note(&v, err)
	default:
		d.Detail, d.Found = m, true
		d.Unknown = m.Message.Outcome == notify.OutcomeUnknown
		d.Paused = m.Notification.State == notify.NotificationPaused
	}
	h.render(w, r, q, status, "message", v)
}
