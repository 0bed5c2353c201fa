package console

import (
	"net/http"

	"github.com/heraldsms/herald/notify"
)

// Permission is one thing the console's outbound area lets a person do.
// Each is checked on the server for every request that needs it; the pages
// only leave out the links and forms a person may not use.
type Permission uint8

const (
	// PermView opens History, recent messages, a message's detail, Topics,
	// a number's consent trail, the replies and the conversations.
	PermView Permission = iota + 1
	// PermSend sends (the Send form, its preflight and the live counter),
	// answers and resolves replies and conversations, resends an unknown
	// message or marks it delivered, and resumes a paused notification.
	PermSend
	// PermManageTopics creates, renames, disables and re-activates topics.
	PermManageTopics
	// PermRecordConsent records opt-outs and opt-ins (with their evidence)
	// in the consent ledger.
	PermRecordConsent
)

// String names the permission.
func (p Permission) String() string {
	switch p {
	case PermView:
		return "view"
	case PermSend:
		return "send"
	case PermManageTopics:
		return "manage topics"
	case PermRecordConsent:
		return "record consent"
	}
	return "unknown"
}

var allPermissions = []Permission{PermView, PermSend, PermManageTopics, PermRecordConsent}

// PermissionFunc decides whether actor a holds permission p, given the
// names of the contact points of the account a may send from (what
// notify.ContactPoint.Allows says of a's roles).
type PermissionFunc func(a notify.Actor, contactPoints []string, p Permission) bool

// defaultPermissions follows the contact points: a person who may send
// from at least one contact point of the account holds every permission,
// anyone else none.
func defaultPermissions(_ notify.Actor, contactPoints []string, _ Permission) bool {
	return len(contactPoints) > 0
}

// WithPermissions sets who may do what in the outbound area. The default
// follows the contact point permissions: a person with at least one contact
// point they may send from may view, send, manage topics and record consent;
// a person with none may do none of these. fn can only narrow what a
// contact point grants in practice, since Send itself still refuses a
// contact point the actor's roles do not allow.
func WithPermissions(fn PermissionFunc) Option { return func(c *config) { c.perms = fn } }

// permissions is what one request's actor may do.
type permissions map[Permission]bool

// Can reports whether p is granted (templates call it as .Can "send").
func (ps permissions) Can(name string) bool {
	for p, ok := range ps {
		if ok && p.String() == name {
			return true
		}
	}
	return false
}

// need wraps fn so it runs only when the request's actor holds p; anyone
// else gets 403 and nothing is read or changed.
func (h *handler) need(p Permission, fn pageFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, q request) {
		if !q.perms[p] {
			h.cfg.log.InfoContext(r.Context(), "console: permission refused", "path", r.URL.Path, "actor", q.actor.ID, "permission", p.String())
			msg := "You may not " + p.String() + " here: it needs a contact point your roles allow, and the console's permission to " + p.String() + "."
			if len(q.contactPoints) == 0 {
				msg = "You may not send from any contact point of this account, so the outbound area is closed to you. Ask an administrator for a role a contact point allows."
			}
			h.fail(w, r, q, http.StatusForbidden, "Not permitted", msg)
			return
		}
		fn(w, r, q)
	}
}
