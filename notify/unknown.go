package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/heraldsms/herald/provider"
)

// ErrAlreadySettled is returned by SettleUnknown for a message a person
// settled before: settling is not idempotent, so a second decision (from
// another agent, or a form posted twice) is reported instead of silently
// recorded. errors.Is(err, ErrNotUnknown) is true as well; the
// *SettleError says who settled it and when.
var ErrAlreadySettled = errors.New("notify: message already settled")

// ErrNoSettler is returned by SettleUnknown for a Settlement whose Actor
// has no ID: a settlement always records who decided.
var ErrNoSettler = errors.New("notify: settlement names nobody (Actor.ID is empty)")

// Settlement is a person's decision that a message whose outcome is
// unknown reached the customer (the customer confirmed by phone, say).
type Settlement struct {
	// Actor decided. Actor.ID is required and recorded; Actor.Roles must
	// allow the contact point the message was sent from, as for Send.
	Actor Actor
	// Note says how they know; recorded with the settlement.
	Note string
	// At is when they decided; zero means now (the Service clock).
	At time.Time
}

// SettleError is the error SettleUnknown returns for a message that cannot
// be settled because its outcome is not unknown. errors.Is(err,
// ErrNotUnknown) is true; errors.Is(err, ErrAlreadySettled) is true when a
// person settled it before.
type SettleError struct {
	MessageID string
	Outcome   Outcome // the message's outcome now
	// Previous is the earlier settlement (Code SettledCode) when there was
	// one, nil otherwise.
	Previous *StatusChange
}

// Error names the message and its outcome, and who settled it before.
func (e *SettleError) Error() string {
	if e.Previous != nil {
		return fmt.Sprintf("notify: message %s was already settled as delivered by %s at %s", e.MessageID, e.Previous.By, e.Previous.At.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("notify: message %s is %s, not unknown: only an unknown outcome can be settled", e.MessageID, e.Outcome)
}

// Is matches ErrNotUnknown, and ErrAlreadySettled when the message was
// settled before.
func (e *SettleError) Is(target error) bool {
	return target == ErrNotUnknown || target == ErrAlreadySettled && e.Previous != nil
}

// SettleUnknown records that the message messageID of account, whose
// outcome is OutcomeUnknown (the provider call was interrupted or timed
// out, so nobody knows whether the text went out), was delivered, on a
// person's word. The message becomes OutcomeSent with status Delivered, and
// its history (Statuses) ends with a StatusChange of Code SettledCode
// naming who decided, when, and their note; its Reason and Detail still say
// why the outcome was unknown, and its UpdatedAt is unchanged. The topic's
// tallies move it from unknown to sent in the minute it was counted
// unknown, and count it delivered in the minute of s.At, once: a delivery
// receipt arriving later for the same message changes nothing. The
// notification's Report counts it sent. The WithOnStatus hook is called
// with the settled message.
//
// Only an unknown outcome can be settled. Any other message, including one
// settled before (settling is not idempotent), is left alone and the error
// is a *SettleError matching ErrNotUnknown (and ErrAlreadySettled). A
// message of another account, or none, is ErrNotFound; a Settlement
// without Actor.ID is ErrNoSettler; an actor whose roles do not allow the
// contact point the message was sent from gets a *ForbiddenError.
//
// To send the text again instead, accepting that the customer may get it
// twice, Send it anew.
func (s *Service) SettleUnknown(ctx context.Context, account, messageID string, st Settlement) (Message, error) {
	if st.Actor.ID == "" {
		return Message{}, fmt.Errorf("settle message %s: %w", messageID, ErrNoSettler)
	}
	m, err := s.store.Message(ctx, messageID)
	if err != nil {
		return Message{}, err
	}
	if m.Account != account {
		return Message{}, &notFoundError{what: "message " + messageID}
	}
	if cp, ok := s.contactFor(account, m.From); ok && !cp.Allows(st.Actor) {
		return Message{}, &ForbiddenError{Account: account, Actor: st.Actor.ID, ContactPoint: cp.Name}
	}
	if m.Outcome != OutcomeUnknown {
		return Message{}, settleError(m)
	}
	change := StatusChange{Status: provider.StatusDelivered, Code: SettledCode, At: st.At, By: st.Actor.ID, Note: strings.TrimSpace(st.Note)}
	if change.At.IsZero() {
		change.At = s.now()
	}
	settled, err := s.store.SettleUnknown(ctx, messageID, change)
	if errors.Is(err, ErrNotUnknown) {
		return Message{}, settleError(settled) // settled by someone else meanwhile
	}
	if err != nil {
		return Message{}, fmt.Errorf("notify: settle message %s: %w", messageID, err)
	}
	s.log.Info("notify: unknown outcome settled as delivered", "message", messageID, "to", provider.MaskNumber(settled.To), "by", change.By)
	if s.dir.onStatus != nil {
		s.dir.onStatus(ctx, settled)
	}
	return settled, nil
}

// settleError is the *SettleError for m, which is not unknown.
func settleError(m Message) *SettleError {
	e := &SettleError{MessageID: m.ID, Outcome: m.Outcome}
	for i := len(m.Statuses) - 1; i >= 0; i-- {
		if c := m.Statuses[i]; c.Code == SettledCode {
			e.Previous = &c
			break
		}
	}
	return e
}
