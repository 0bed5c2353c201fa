package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/heraldsms/herald/notify"
)

// threadLimit is how many entries a conversation shows (the most recent).
const threadLimit = 500

// conversation is one customer number's thread with one of our numbers.
type conversation struct {
	Number   string // the customer (E.164)
	Sender   string // our number they wrote to
	Last     string // the latest reply's text
	LastAt   time.Time
	Open     int // replies not yet resolved
	Replies  int
	Resolved bool // every reply resolved
}

// Link is the conversation page's address, relative to the console.
func (c conversation) Link() string {
	return "conversation?" + url.Values{"number": {c.Number}, "sender": {c.Sender}}.Encode()
}

// conversationsData is what conversations.html renders.
type conversationsData struct {
	Query string
	State string // "open", "resolved" or "all"
	List  []conversation
}

// digits keeps the digits of s, for matching a typed number in any format.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// listConversations groups the account's replies by customer number and
// our number, newest first, keeping those whose state and number match.
func (h *handler) listConversations(ctx context.Context, account, query, state string) ([]conversation, error) {
	byKey := map[string]*conversation{}
	for _, st := range []notify.ReplyState{notify.ReplyOpen, notify.ReplyResolved} {
		rs, err := h.b.RepliesIn(ctx, account, st)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			k := r.From + "\x00" + r.To
			c := byKey[k]
			if c == nil {
				c = &conversation{Number: r.From, Sender: r.To}
				byKey[k] = c
			}
			c.Replies++
			if r.State == notify.ReplyOpen {
				c.Open++
			}
			if !r.Received.Before(c.LastAt) {
				c.Last, c.LastAt = r.Body, r.Received
			}
		}
	}
	q := digits(query)
	var out []conversation
	for _, c := range byKey {
		c.Resolved = c.Open == 0
		switch {
		case q != "" && !strings.Contains(digits(c.Number), q):
		case state == "open" && c.Resolved, state == "resolved" && !c.Resolved:
		default:
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b conversation) int { return b.LastAt.Compare(a.LastAt) })
	return out, nil
}

func (h *handler) conversations(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	d := conversationsData{Query: strings.TrimSpace(r.URL.Query().Get("q")), State: r.URL.Query().Get("state")}
	if d.State != "resolved" && d.State != "all" {
		d.State = "open"
	}
	v := view{Title: "Conversations", Data: &d}
	list, err := h.listConversations(ctx, q.account, d.Query, d.State)
	if err != nil {
		h.note(&v, err)
	}
	d.List = list
	h.render(w, r, q, http.StatusOK, "conversations", v)
}

// threadData is what conversation.html renders.
type threadData struct {
	Number, Sender string
	Entries        []threadEntry
	Open           int
	CanSend        bool
	Body           string // the reply box, kept after an error
}

// threadEntry is one line of a thread, for the page and its JSON.
type threadEntry struct {
	At      string `json:"at"`
	Inbound bool   `json:"inbound"`
	Body    string `json:"body"`
	Status  string `json:"status"` // delivery status of our message, reply state of theirs
	ID      string `json:"id"`
}

// thread reads one conversation.
func (h *handler) thread(ctx context.Context, account, sender, number string) ([]threadEntry, int, error) {
	es, err := h.b.Thread(ctx, account, sender, number, threadLimit)
	if err != nil {
		return nil, 0, err
	}
	out := make([]threadEntry, 0, len(es))
	open := 0
	for _, e := range es {
		te := threadEntry{At: formatWhen(e.At), Inbound: e.Inbound, Body: e.Body, ID: e.MessageID, Status: formatStatus(e.Status)}
		if e.Inbound {
			te.ID, te.Status = e.ReplyID, "resolved"
			if e.State == notify.ReplyOpen {
				te.Status = "open"
				open++
			}
		}
		out = append(out, te)
	}
	return out, open, nil
}

func threadParams(r *http.Request) (number, sender string) {
	get := func(k string) string {
		if v := r.PostFormValue(k); v != "" {
			return strings.TrimSpace(v)
		}
		return strings.TrimSpace(r.URL.Query().Get(k))
	}
	return get("number"), get("sender")
}

func (h *handler) conversation(w http.ResponseWriter, r *http.Request, q request) {
	number, sender := threadParams(r)
	h.renderThread(w, r, q, http.StatusOK, number, sender, "", "", "")
}

func (h *handler) renderThread(w http.ResponseWriter, r *http.Request, q request, status int, number, sender, body, flash, errMsg string) {
	if number == "" || sender == "" {
		h.fail(w, r, q, http.StatusBadRequest, "No conversation", "A conversation needs a customer number and one of our numbers.")
		return
	}
	ctx, cancel := h.ctx(r)
	defer cancel()
	d := threadData{Number: number, Sender: sender, CanSend: q.perms[PermSend], Body: body}
	v := view{Title: "Conversation with " + number, Data: &d, Flash: flash, Error: errMsg}
	es, open, err := h.thread(ctx, q.account, sender, number)
	if err != nil {
		h.note(&v, err)
	}
	d.Entries, d.Open = es, open
	h.render(w, r, q, status, "conversation", v)
}

// conversationEntries answers the conversation page's polling: the thread
// as JSON, so new replies appear without a reload.
func (h *handler) conversationEntries(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	number, sender := threadParams(r)
	es, open, err := h.thread(ctx, q.account, sender, number)
	if err != nil {
		http.Error(w, err.Error(), statusFor(err))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(struct {
		Entries []threadEntry `json:"entries"`
		Open    int           `json:"open"`
	}{es, open})
}

// conversationReply sends the reply box's text to the customer: a normal
// Send from the contact point that owns our number, through the same
// compliance gate as every send (an opted-out number is refused).
func (h *handler) conversationReply(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	number, sender := threadParams(r)
	body := r.PostFormValue("body")
	fail := func(status int, msg string) { h.renderThread(w, r, q, status, number, sender, body, "", msg) }
	if strings.TrimSpace(body) == "" {
		fail(http.StatusUnprocessableEntity, "Type a reply.")
		return
	}
	cps, err := h.b.ContactPoints(ctx, q.account, q.actor)
	if err != nil {
		fail(statusFor(err), err.Error())
		return
	}
	i := slices.IndexFunc(cps, func(c contactPoint) bool { return slices.Contains(c.Senders, sender) })
	if i < 0 {
		fail(http.StatusForbidden, fmt.Sprintf("You may not send from %s: no contact point of yours holds it.", sender))
		return
	}
	c := count(body)
	if c.Segments > 1 && r.PostFormValue("ack") == "" {
		fail(http.StatusUnprocessableEntity, fmt.Sprintf("This reply is %d segments (%s): tick the acknowledgement to send it.", c.Segments, c.Encoding))
		return
	}
	rep, err := h.b.Send(context.WithoutCancel(r.Context()), notify.Notification{
		Account:              q.account,
		From:                 cps[i].Name,
		To:                   []string{number},
		Body:                 body,
		Actor:                q.actor,
		Transactional:        true,
		AcknowledgeMultipart: c.Segments > 1,
		Metadata:             map[string]string{"source": "console-conversation", "actor": q.actor.ID},
	})
	if err != nil {
		fail(statusFor(err), err.Error())
		return
	}
	if len(rep.Results) == 1 && rep.Results[0].Outcome != notify.OutcomeSent {
		res := rep.Results[0]
		msg := fmt.Sprintf("Not sent: %s %s.", res.Outcome, res.Reason)
		if res.Err != nil {
			msg = fmt.Sprintf("Not sent: %s %s (%v).", res.Outcome, res.Reason, res.Err)
		}
		fail(http.StatusOK, msg)
		return
	}
	h.renderThread(w, r, q, http.StatusOK, number, sender, "", "Reply sent.", "")
}

// conversationResolve marks every open reply of the thread resolved.
func (h *handler) conversationResolve(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	number, sender := threadParams(r)
	rs, err := h.b.RepliesIn(ctx, q.account, notify.ReplyOpen)
	for _, rep := range rs {
		if err != nil {
			break
		}
		if rep.From == number && rep.To == sender {
			err = h.b.ResolveReply(ctx, q.account, rep.ID, q.actor)
		}
	}
	if err != nil && !errors.Is(err, notify.ErrNotFound) {
		h.renderThread(w, r, q, statusFor(err), number, sender, "", "", err.Error())
		return
	}
	h.renderThread(w, r, q, http.StatusOK, number, sender, "", "Conversation resolved.", "")
}
