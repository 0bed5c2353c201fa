package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/internal/e164"
	"github.com/heraldsms/herald/provider"
)

// Accounts (tenants) are named by Notification.Account; "" is the default
// account. Topics, history, replies, contact points and consent are kept per
// account: consent records a Service writes carry the account as their
// compliance scope, so a STOP sent to one account's number does not silence
// another account, and a reply-receiving sender number belongs to one
// account only (Store.ClaimSender).

// dirPolicy returns the compliance policy whose ledger and keywords inbound
// handling uses: the pipeline's, so what a reply records is what the next
// send decision reads.
func (s *Service) dirPolicy() *compliance.Policy {
	if s.policy != nil {
		return s.policy
	}
	return compliance.NewPolicy(compliance.WithClock(s.cfg.now))
}

// consentStore is the ledger inbound handling writes to: the one the
// pipeline's compliance policy reads, so an opt-out is honoured by the very
// next send decision.
func (s *Service) consentStore() compliance.ConsentStore { return s.dir.policy.ConsentStore() }

// consentScope is the compliance scope consent of account is recorded and
// checked under. The default account "" maps to the scope "" that covers
// every scope.
func consentScope(account string) string { return account }

// ConsentState returns the consent of number for a send of kind in account
// now, as the compliance checks see it.
func (s *Service) ConsentState(ctx context.Context, account, number string, kind compliance.Kind) (compliance.ConsentState, error) {
	e164, err := s.agentNumber(number)
	if err != nil {
		return compliance.ConsentState{}, err
	}
	return s.consentStore().State(ctx, e164, consentScope(account), kind, s.cfg.now())
}

// ConsentTrail returns the consent history of number that applies in
// account, oldest first: the account's own records and those of the scope
// that covers every account. It is the audit trail an agent looks up.
func (s *Service) ConsentTrail(ctx context.Context, account, number string) ([]compliance.Record, error) {
	e164, err := s.agentNumber(number)
	if err != nil {
		return nil, err
	}
	hist, err := s.consentStore().History(ctx, e164)
	if err != nil {
		return nil, fmt.Errorf("notify: consent trail of %s: %w", provider.MaskNumber(e164), err)
	}
	scope := consentScope(account)
	out := hist[:0:0]
	for _, r := range hist {
		if r.Scope == "" || r.Scope == scope {
			out = append(out, r)
		}
	}
	return out, nil
}

// OptOut records, for an agent, that number revoked consent in account (the
// person asked by phone, email or in person). It is honoured by every send
// decided afterwards. No text is sent. note is kept as the record's text.
func (s *Service) OptOut(ctx context.Context, account, number string, by Actor, note string) error {
	e164, err := s.agentNumber(number)
	if err != nil {
		return err
	}
	_, err = s.revoke(ctx, account, e164, note, compliance.SourceAgent, "agent", by.ID, s.cfg.now())
	return err
}

// revoke appends an opt-out of everything from account's scope. already
// reports whether number was opted out before.
func (s *Service) revoke(ctx context.Context, account, number, text string, src compliance.Source, channel, actor string, at time.Time) (already bool, err error) {
	scope := consentScope(account)
	st, err := s.consentStore().State(ctx, number, scope, compliance.Service, at)
	if err != nil {
		return false, fmt.Errorf("notify: consent of %s: %w", provider.MaskNumber(number), err)
	}
	err = s.consentStore().Append(ctx, compliance.Record{
		Number: number, Scope: scope, Kind: compliance.Service, Action: compliance.ActionOptOut,
		At: at, Source: src, Text: text, Channel: channel, Actor: actor,
	})
	if err != nil {
		return false, fmt.Errorf("notify: opt-out of %s: %w", provider.MaskNumber(number), err)
	}
	return st.Status == compliance.StatusOptedOut, nil
}

// agentNumber returns a number an agent typed in E.164, reading national
// numbers in the default region; an invalid one fails with ErrInvalidNumber.
func (s *Service) agentNumber(number string) (string, error) {
	if e164.Shaped(number) {
		return number, nil
	}
	return NormalizeNumber(number, s.cfg.pipe.region)
}

// senderOwner returns the account a reply-receiving number belongs to, and
// false when no account registered it.
func (s *Service) senderOwner(ctx context.Context, number string) (string, bool, error) {
	a, err := s.store.SenderAccount(ctx, number)
	switch {
	case err == nil:
		return a, true, nil
	case errors.Is(err, ErrNotFound):
		return "", false, nil
	default:
		return "", false, err
	}
}

// OptIn records an opt-in in account's ledger, as the host or an agent
// captured it: rec carries its evidence (Level, Source, Disclosure, URL,
// ...); its Number may be in any common format and its Scope is set to the
// account's. A record without a source or with an invalid number is
// refused (compliance.ErrInvalidRecord, ErrInvalidNumber).
func (s *Service) OptIn(ctx context.Context, account string, rec compliance.Record, by Actor) error {
	e164, err := s.agentNumber(rec.Number)
	if err != nil {
		return err
	}
	rec.Number, rec.Scope, rec.Action = e164, consentScope(account), compliance.ActionOptIn
	if rec.At.IsZero() {
		rec.At = s.cfg.now()
	}
	if rec.Actor == "" {
		rec.Actor = by.ID
	}
	if rec.Source == "" {
		return fmt.Errorf("notify: opt-in of %s: %w: the source of the consent is required", provider.MaskNumber(e164), compliance.ErrInvalidRecord)
	}
	if err := s.consentStore().Append(ctx, rec); err != nil {
		return fmt.Errorf("notify: opt-in of %s: %w", provider.MaskNumber(e164), err)
	}
	return nil
}
