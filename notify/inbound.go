package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
)

// ErrUnroutedReply is returned by HandleInbound for a reply that is not a
// keyword and was sent to a number no account receives replies on (a shared
// one-way sender, or a number never registered). It is dropped: a reply
// never reaches an account that does not own the number.
var ErrUnroutedReply = errors.New("notify: reply to a number no account receives replies on")

// threadLookback is how many recent messages of a thread HandleInbound looks
// through for the notification a reply answers.
const threadLookback = 20

// WithOnReply sets the hook called with every reply that is not a keyword
// (STOP, START, HELP) and reached its account: the reply carries the topic,
// account, notification, message and metadata of the notification it
// answers, when there is one, so the host can open a conversation. The reply
// is already stored as open (see Service.Replies). The hook runs on the
// HandleInbound caller's goroutine; it should return quickly.
func WithOnReply(fn func(ctx context.Context, r ReplyRecord)) Option {
	return func(c *config) { c.dir.onReply = fn }
}

// WithClarifyingReplies makes an ambiguous reply ("I want to cancel",
// "not interested") get the one clarifying text the FCC allows
// (compliance.DefaultClarifyingText, or the contact point's
// ClarifyingText) instead of the plain opt-out confirmation. Either way the
// reply is recorded as an opt-out: Herald reads an unclear reply as a
// request to stop, the reading that texts fewer people.
func WithClarifyingReplies(on bool) Option {
	return func(c *config) { c.dir.clarify = on }
}

// HandleInbound processes a message a recipient sent to one of the host's
// numbers, typically from a provider's webhook:
//
//   - an opt-out, exact ("STOP") or inferred ("please stop texting me"),
//     revokes consent at once in the account owning the number (in every
//     account using it, for a shared one-way sender) and sends the single
//     allowed confirmation, unless the number had already opted out;
//   - START (or another opt-in keyword) opts back in to service messages
//     and confirms;
//   - HELP answers with the contact point's help text;
//   - any other reply is stored as an open reply of the owning account,
//     tied to the notification it answers (the latest one of the thread),
//     and handed to the OnReply hook.
//
// A message whose provider ID was already processed is never processed
// again: a webhook delivered twice, or a signed request captured and
// replayed later. When the Store implements InboundLog (MemoryStore and
// notify/sqlstore do) the IDs are kept there, so the guard holds across
// restarts and instances and whatever the volume: for at least the
// provider's retry window, and for good for replies that changed consent.
func (s *Service) HandleInbound(ctx context.Context, in provider.Inbound) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	if in.ID == "" {
		return s.handleInbound(ctx, in)
	}
	key := in.Provider + "\x00" + in.ID
	if !s.dir.seen.Add(key) {
		return nil
	}
	log, durable := s.store.(InboundLog)
	if durable {
		first, err := log.RecordInbound(ctx, in.Provider, in.ID, s.now())
		if err != nil {
			s.dir.seen.Remove(key)
			return fmt.Errorf("notify: inbound %s %s: %w", in.Provider, in.ID, err)
		}
		if !first {
			return nil
		}
	}
	err := s.handleInbound(ctx, in)
	if err != nil {
		s.dir.seen.Remove(key)
		if durable {
			// Let the provider's retry process it.
			if ferr := log.ForgetInbound(context.WithoutCancel(ctx), in.Provider, in.ID); ferr != nil {
				s.log.Error("notify: inbound failed and its id stays recorded; a retry will be dropped", "provider", in.Provider, "id", in.ID, "err", ferr)
			}
		}
		return err
	}
	if durable {
		switch s.dir.policy.Keywords().Interpret(in.Body).Reply {
		case compliance.ReplyOptOut, compliance.ReplyOptIn:
			if err := log.PinInbound(ctx, in.Provider, in.ID); err != nil {
				s.log.Warn("notify: pin a consent reply's id", "provider", in.Provider, "id", in.ID, "err", err)
			}
		}
	}
	return nil
}

// InboundLog remembers the provider IDs of inbound messages already
// processed, so a replayed webhook is dropped whatever the restarts, the
// instances or the volume. A Store that implements it is used for it.
type InboundLog interface {
	// RecordInbound records the ID and reports whether it was new.
	RecordInbound(ctx context.Context, providerName, providerID string, at time.Time) (first bool, err error)
	// PinInbound keeps the ID for good (a reply that changed consent).
	PinInbound(ctx context.Context, providerName, providerID string) error
	// ForgetInbound removes an ID whose message failed to process, so the
	// provider's retry is processed.
	ForgetInbound(ctx context.Context, providerName, providerID string) error
}

func (s *Service) handleInbound(ctx context.Context, in provider.Inbound) error {
	now := s.cfg.now()
	at := in.Received
	if at.IsZero() || at.After(now) {
		// Never record an event in the future: a send decided now must
		// already see it.
		at = now
	}
	account, owned, err := s.senderOwner(ctx, in.To)
	if err != nil {
		return fmt.Errorf("notify: inbound to %s: %w", provider.MaskNumber(in.To), err)
	}
	accounts := []string{account}
	if !owned {
		accounts = s.oneWayAccounts(in.To)
	}
	cp, _ := s.contactFor(account, in.To)
	if !owned && len(accounts) > 0 {
		cp, _ = s.contactFor(accounts[0], in.To)
	}
	if len(accounts) == 0 {
		// A number no account registered: a keyword is honoured for the
		// default account, whose scope covers every scope.
		accounts = []string{""}
	}
	// The policy classifies the reply with its keyword set and records an
	// opt-out or opt-in in each account using the number.
	var match compliance.Match
	fresh := false
	for _, a := range accounts {
		st, err := s.consentStore().State(ctx, in.From, consentScope(a), compliance.Service, at)
		if err != nil {
			return fmt.Errorf("notify: consent of %s: %w", provider.MaskNumber(in.From), err)
		}
		match, err = s.dir.policy.RecordReply(ctx, in.From, consentScope(a), in.Body, at)
		if err != nil {
			return fmt.Errorf("notify: recording reply of %s: %w", provider.MaskNumber(in.From), err)
		}
		fresh = fresh || st.Status != compliance.StatusOptedOut
		if match.Reply != compliance.ReplyOptOut && match.Reply != compliance.ReplyOptIn {
			break
		}
	}
	s.tel.inbound(ctx, in, replyClass(match.Reply))
	switch match.Reply {
	case compliance.ReplyOptOut:
		s.log.InfoContext(ctx, "notify: opt-out by reply", "from", provider.MaskNumber(in.From), "to", provider.MaskNumber(in.To), "exact", match.Exact, "keyword", match.Keyword)
		if !fresh {
			return nil // the single confirmation went out with the first opt-out
		}
		if s.cfg.dir.clarify && s.dir.policy.Keywords().Interpret(in.Body).Ambiguous {
			return s.autoReply(ctx, accounts[0], in, brandPrefix(cp)+compliance.DefaultClarifyingText, now)
		}
		return s.autoReply(ctx, accounts[0], in, optOutText(cp), now)
	case compliance.ReplyOptIn:
		return s.autoReply(ctx, accounts[0], in, optInText(cp), now)
	case compliance.ReplyHelp:
		return s.autoReply(ctx, accounts[0], in, helpText(cp), now)
	}
	if !owned {
		s.log.InfoContext(ctx, "notify: reply dropped, number takes no replies", "from", provider.MaskNumber(in.From), "to", provider.MaskNumber(in.To))
		return fmt.Errorf("%w: %s", ErrUnroutedReply, provider.MaskNumber(in.To))
	}
	r := ReplyRecord{
		Account: account, Topic: "", From: in.From, To: in.To, Body: in.Body,
		Received: at, State: ReplyOpen,
	}
	if m, ok, err := s.repliedTo(ctx, account, in.To, in.From); err != nil {
		return err
	} else if ok {
		r.Topic, r.NotificationID, r.MessageID, r.Metadata = m.Topic, m.NotificationID, m.ID, m.Metadata
	}
	r, err = s.store.AddReply(ctx, r)
	if err != nil {
		return fmt.Errorf("notify: storing reply from %s: %w", provider.MaskNumber(in.From), err)
	}
	if s.dir.onReply != nil {
		s.dir.onReply(ctx, r)
	}
	return nil
}

// repliedTo finds the message a reply from recipient to sender answers: the
// latest notification of account in their thread (automatic keyword answers
// skipped).
func (s *Service) repliedTo(ctx context.Context, account, sender, recipient string) (Message, bool, error) {
	msgs, err := s.store.Thread(ctx, account, sender, recipient, threadLookback)
	if err != nil {
		return Message{}, false, err
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Topic != AutoReplyTopic && msgs[i].Account == account {
			return msgs[i], true, nil
		}
	}
	return Message{}, false, nil
}

// autoReply sends one keyword answer straight through the provider (it is
// exempt from consent checks) and keeps it in account's history under
// AutoReplyTopic.
func (s *Service) autoReply(ctx context.Context, account string, in provider.Inbound, body string, now time.Time) error {
	id := "auto-" + randomID()
	msg := provider.Message{From: in.To, To: in.From, Body: body}
	rec, sendErr := s.provider.Send(ctx, msg)
	m := Message{
		ID: id + "/0", NotificationID: id, Account: account, Topic: AutoReplyTopic,
		Given: in.From, To: in.From, From: in.To, Body: body, Segments: rec.Segments,
		Outcome: OutcomeSent, Provider: rec.Provider, ProviderID: rec.ID, Status: rec.Status,
		Attempts: 1, CreatedAt: now, UpdatedAt: now,
	}
	if sendErr != nil {
		m.Outcome, m.Reason, m.Detail = OutcomeFailed, "provider_error", sendErr.Error()
		if provider.ClassOf(sendErr) == provider.Ambiguous {
			m.Outcome = OutcomeUnknown
		}
	}
	if _, _, err := s.store.CreateNotification(ctx, NotificationRecord{
		ID: id, Account: account, Topic: AutoReplyTopic, State: NotificationDone, Total: 1,
		Notification: Notification{Account: account, From: in.To, Body: body, Topic: AutoReplyTopic},
		CreatedAt:    now, UpdatedAt: now,
	}); err != nil {
		return errors.Join(sendErr, err)
	}
	if err := s.store.Enqueue(ctx, []Message{m}); err != nil {
		return errors.Join(sendErr, err)
	}
	if sendErr != nil {
		return fmt.Errorf("notify: keyword answer to %s: %w", provider.MaskNumber(in.From), sendErr)
	}
	// Frequency caps and the duplicate guard count the answer too.
	return s.dir.policy.RecordSend(ctx, compliance.Request{To: in.From, From: in.To, Scope: consentScope(account), Topic: AutoReplyTopic, Body: body, Now: now})
}

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func brandPrefix(cp ContactPoint) string {
	if cp.Brand == "" {
		return ""
	}
	return cp.Brand + ": "
}

func optOutText(cp ContactPoint) string {
	if cp.OptOutText != "" {
		return cp.OptOutText
	}
	return brandPrefix(cp) + "You are unsubscribed and will get no more messages. Reply START to resubscribe."
}

func optInText(cp ContactPoint) string {
	if cp.OptInText != "" {
		return cp.OptInText
	}
	return brandPrefix(cp) + "You are subscribed again. Msg & data rates may apply. Reply HELP for help, STOP to unsubscribe."
}

func helpText(cp ContactPoint) string {
	if cp.Help != "" {
		return cp.Help
	}
	return strings.TrimSpace(brandPrefix(cp) + "Reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.")
}

// Replies lists account's replies in the given state, newest first.
func (s *Service) Replies(ctx context.Context, account string, state ReplyState) ([]ReplyRecord, error) {
	return s.store.Replies(ctx, account, state)
}

// ResolveReply marks one of account's replies handled. A reply of another
// account is ErrNotFound.
func (s *Service) ResolveReply(ctx context.Context, account, id string) error {
	return s.store.ResolveReply(ctx, account, id)
}

// replyClass is the telemetry class of a reply.
func replyClass(r compliance.Reply) string {
	switch r {
	case compliance.ReplyOptOut:
		return "opt-out"
	case compliance.ReplyOptIn:
		return "opt-in"
	case compliance.ReplyHelp:
		return "help"
	}
	return "other"
}
