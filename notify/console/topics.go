package console

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/heraldsms/herald/notify"
)

// topicsData is what topics.html renders.
type topicsData struct {
	Topics  []notify.Topic
	Default string
}

func (h *handler) topics(w http.ResponseWriter, r *http.Request, q request) {
	h.renderTopics(w, r, q, http.StatusOK, "", "")
}

func (h *handler) renderTopics(w http.ResponseWriter, r *http.Request, q request, status int, flash, errMsg string) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	d := topicsData{Default: notify.DefaultTopic}
	v := view{Title: "Topics", Data: &d, Flash: flash, Error: errMsg}
	topics, err := h.b.Topics(ctx, q.account)
	if err != nil {
		h.note(&v, err)
	}
	d.Topics = topics
	h.render(w, r, q, status, "topics", v)
}

// topicAction creates, renames, disables or re-activates a topic.
func (h *handler) topicAction(w http.ResponseWriter, r *http.Request, q request) {
	ctx, cancel := h.ctx(r)
	defer cancel()
	name := strings.TrimSpace(r.PostFormValue("name"))
	title := strings.TrimSpace(r.PostFormValue("title"))
	action := r.PostFormValue("action")
	if name == "" {
		h.renderTopics(w, r, q, http.StatusUnprocessableEntity, "", "Type a topic name.")
		return
	}
	if name == notify.DefaultTopic && action != "create" {
		h.renderTopics(w, r, q, http.StatusForbidden, "", "The default topic cannot be renamed or disabled.")
		return
	}
	var err error
	var flash string
	switch action {
	case "create":
		if title == "" {
			title = name
		}
		err = h.b.CreateTopic(ctx, q.account, name, title, q.actor)
		flash = fmt.Sprintf("Topic %q created.", name)
	case "rename":
		if title == "" {
			h.renderTopics(w, r, q, http.StatusUnprocessableEntity, "", "Type the new title.")
			return
		}
		err = h.b.RenameTopic(ctx, q.account, name, title, q.actor)
		flash = fmt.Sprintf("Topic %q renamed to %q.", name, title)
	case "disable", "enable":
		err = h.b.SetTopicDisabled(ctx, q.account, name, action == "disable", q.actor)
		flash = fmt.Sprintf("Topic %q %sd.", name, map[string]string{"disable": "disable", "enable": "re-activate"}[action])
	default:
		h.renderTopics(w, r, q, http.StatusBadRequest, "", fmt.Sprintf("Unknown action %q.", action))
		return
	}
	if err != nil {
		h.renderTopics(w, r, q, statusFor(err), "", err.Error())
		return
	}
	h.renderTopics(w, r, q, http.StatusOK, flash, "")
}
