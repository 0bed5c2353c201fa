// Package console is an embeddable web console for agents: a host mounts one
// http.Handler, the way it mounts net/http/pprof, and its people can send a
// notification, watch its delivery, manage topics, look up and record
// opt-outs, and answer replies.
//
//	h := console.New(svc, console.WithAuthenticator(func(r *http.Request) (notify.Actor, error) {
//		u, err := sessions.User(r) // the host's own sign-in
//		if err != nil {
//			return notify.Actor{}, err
//		}
//		return notify.Actor{ID: u.Email, Roles: u.Roles}, nil
//	}))
//	mux.Handle("/admin/sms/", http.StripPrefix("/admin/sms", h))
//
// The console works under any path prefix: every link it renders is relative
// to its own pages, so it only needs r.URL.Path relative to the mount point
// (http.StripPrefix does that).
//
// # Pages
//
//   - Send: a contact point the actor's roles allow, an active topic,
//     recipients separated by commas or new lines, the message with a live
//     counter of characters, encoding and segments (the characters forcing
//     UCS-2 are named and a smart-encoded alternative offered); a message
//     over one segment needs an acknowledgement; a preflight summary from
//     notify.Service.Plan comes before the confirmation, and the result
//     lists every problem number with its error. Recipients may also come
//     from a CSV (a phone column; every column a {{placeholder}} value;
//     a column the message needs and the file lacks is named before the
//     preflight); a snippet (WithSnippets) is inserted as {{> name}} and the
//     counter measures the expanded text; "Send at" schedules the send
//     (Notification.SendAfter, UTC).
//   - History: the account's paused notifications with why each paused
//     and a Resume button (notify.Service.Paused), per-topic tallies for
//     an interval (active or disabled topics), the recent 1000 messages
//     of a topic with a delivered
//     indicator, and one message's detail. A message whose outcome is
//     unknown can be resent once the agent ticks that a double text is
//     accepted (an idempotency key from the message id sends it once), or
//     marked as delivered once the agent confirms the customer received it
//     and says how they know (notify.Service.SettleUnknown: nothing is
//     sent, the history keeps who and why); a paused notification shows
//     why it paused and can be resumed.
//   - Topics: create, rename, disable and re-activate (the default topic is
//     not editable).
//   - Opt-outs: a number's consent trail, a manual opt-out with a reason,
//     and an opt-in recorded with its evidence (how it was given, the proof,
//     the consent text shown), refused without evidence.
//   - Replies: open replies, resolvable.
//   - Conversations: one thread per customer number and our number (the
//     notifications and replies in order, from notify.Service.Thread),
//     searchable by number in any format, open or resolved; a reply box
//     that sends a normal Send (the same compliance gate: an opted-out
//     customer is refused), and a resolve button. The page polls its
//     thread every two seconds, so new replies appear without a reload.
//
// # Security
//
// Authentication belongs to the host: WithAuthenticator supplies a function
// that turns a request into a notify.Actor. Without one every request is
// refused, so a console mounted by mistake shows nothing. The actor's roles
// are passed to notify on every call, which is where sending is
// enforced (a contact point the actor may not use is neither listed nor
// usable). The rest of the outbound area follows the same contact point
// permissions, checked on the server for every request: a person who may
// send from no contact point of the account gets 403 on History, Topics,
// Opt-outs and Replies and can change nothing. WithPermissions narrows
// this per role, one Permission at a time (PermView, PermSend,
// PermManageTopics, PermRecordConsent).
//
// Every page is rendered with html/template, so every value is escaped for
// its context. All assets (one CSS file, one JavaScript file) are embedded
// with package embed; there is no build step and no CDN. Each response
// carries a strict Content-Security-Policy (default-src 'none'; scripts,
// styles and fetches from the console's own origin only; no inline script
// or style; form-action 'self'; frame-ancestors 'none'), so even a value
// that escaped escaping could not run.
//
// Every POST is protected against cross-site request forgery twice:
//
//  1. net/http.CrossOriginProtection rejects requests a browser marks as
//     cross-origin (Sec-Fetch-Site, or an Origin that does not match Host).
//     It needs no state and stops the classic attack in every browser
//     released since 2023.
//  2. A token: a random per-browser secret in an HttpOnly, SameSite=Strict
//     cookie, and in each form a hidden field holding an HMAC-SHA256 of that
//     secret and the actor's ID under a key only the server knows. The token
//     covers what the header check cannot: older browsers that send neither
//     header, and a sibling subdomain that can plant cookies (a planted
//     cookie is useless without the server's key, and a token minted for one
//     actor does not work for another).
//
// The key is random per handler unless WithCSRFKey sets one; hosts that run
// several instances behind a load balancer set the same key on each.
package console
