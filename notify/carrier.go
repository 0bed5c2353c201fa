package notify

import (
	"context"
	"errors"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/provider"
)

// SourceCarrier is the consent source of an opt-out a carrier reported: the
// provider refused a send because the person had opted out at the carrier
// (Twilio 21610, Telnyx 40300), or a delivery receipt said so.
const SourceCarrier compliance.Source = "carrier"

// carrierOptOut writes a carrier's opt-out to the consent ledger, with its
// evidence (the provider, its code, when), so the next send to the number
// is denied before any provider call, on every instance sharing the
// ledger.
func (s *Service) carrierOptOut(ctx context.Context, account, number, prov, code string, at time.Time) {
	if number == "" {
		return
	}
	text := "opted out at the carrier"
	if code != "" {
		text += ", provider code " + code
	}
	r := compliance.Record{
		Number: number, Scope: consentScope(account), Action: compliance.ActionOptOut, At: at,
		Source: SourceCarrier, Channel: "sms", Actor: prov, Text: text,
	}
	if err := s.consentStore().Append(ctx, r); err != nil {
		s.log.Error("notify: record carrier opt-out", "to", provider.MaskNumber(number), "provider", prov, "code", code, "err", err)
		return
	}
	s.log.Info("notify: carrier opt-out recorded", "to", provider.MaskNumber(number), "provider", prov, "code", code)
}

// providerCode returns the provider name and code of err, when it is a
// *provider.Error.
func providerCode(err error) (name, code, detail string) {
	var pe *provider.Error
	if errors.As(err, &pe) {
		return pe.Provider, pe.Code, pe.Detail
	}
	return "", "", ""
}

// senderPause is the pause reason of a sender-side refusal: what the
// provider said is wrong with the sender or its campaign, and its code.
func senderPause(prov, code, detail string) string {
	why := "the provider refused the sender"
	if prov != "" {
		why = prov + " refused the sender"
	}
	if code != "" {
		why += " (code " + code + ")"
	}
	if detail != "" {
		why += ": " + detail
	}
	return why
}

// pauseFor pauses the notification id: the running job on this instance,
// and the stored record (for every instance).
func (s *Service) pauseFor(ctx context.Context, id, why string) {
	if err := s.Pause(ctx, id, why); err != nil {
		s.log.Error("notify: pause", "notification", id, "err", err)
		return
	}
	s.tel.paused(ctx, NotificationRecord{ID: id}, why)
	s.log.Warn("notify: notification paused", "notification", id, "reason", why)
}

// receiptEffects acts on what a delivery receipt says beyond the status: a
// carrier opt-out goes to the ledger, a sender-side failure pauses the
// notification, and filtering and opt-outs feed the reputation guard.
func (s *Service) receiptEffects(ctx context.Context, m Message, u provider.StatusUpdate) {
	if u.Err == nil {
		return
	}
	at := u.At
	if at.IsZero() || at.After(s.now()) {
		at = s.now()
	}
	if errors.Is(u.Err, provider.ErrOptedOut) {
		s.carrierOptOut(ctx, m.Account, m.To, u.Provider, u.Code, at)
	}
	if u.Fault() == provider.FaultSender && m.NotificationID != "" {
		s.pauseFor(ctx, m.NotificationID, senderPause(u.Provider, u.Code, u.Detail))
	}
	s.mu.Lock()
	j := s.jobs[m.NotificationID]
	s.mu.Unlock()
	if j != nil {
		j.observeReceipt(u)
	}
}
