package console

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
)

// serviceBackend adapts *notify.Service to backend.
type serviceBackend struct{ svc *notify.Service }

var _ backend = serviceBackend{}

func missing(op string) error { return fmt.Errorf("%w: %s", ErrNotProvided, op) }

func (b serviceBackend) ContactPoints(_ context.Context, account string, a notify.Actor) ([]contactPoint, error) {
	var out []contactPoint
	for _, cp := range b.svc.ContactPoints(account, a) {
		out = append(out, contactPoint{Name: cp.Name, Senders: cp.Numbers, Help: cp.Help})
	}
	return out, nil
}

func (b serviceBackend) Topics(ctx context.Context, account string) ([]notify.Topic, error) {
	active, err := b.svc.ActiveTopics(ctx, account)
	if err != nil {
		return nil, err
	}
	disabled, err := b.svc.DisabledTopics(ctx, account)
	if err != nil {
		return nil, err
	}
	all := slices.Concat(active, disabled)
	slices.SortFunc(all, func(x, y notify.Topic) int { return strings.Compare(x.Name, y.Name) })
	return all, nil
}

func (b serviceBackend) CreateTopic(ctx context.Context, account, name, title string, _ notify.Actor) error {
	_, err := b.svc.CreateTopic(ctx, account, name, title)
	return err
}

func (b serviceBackend) RenameTopic(ctx context.Context, account, name, title string, _ notify.Actor) error {
	_, err := b.svc.RenameTopic(ctx, account, name, title)
	return err
}

func (b serviceBackend) SetTopicDisabled(ctx context.Context, account, name string, disabled bool, _ notify.Actor) error {
	var err error
	if disabled {
		_, err = b.svc.DisableTopic(ctx, account, name)
	} else {
		_, err = b.svc.EnableTopic(ctx, account, name)
	}
	return err
}

func (b serviceBackend) Plan(ctx context.Context, n notify.Notification) (preflight, error) {
	sp, err := b.svc.PlanSenders(ctx, n, 0) // Plan, with the sender pool counted
	if err != nil {
		return preflight{}, err
	}
	p := sp.Plan
	pf := preflight{
		Recipients: p.Recipients, Valid: p.Valid, Invalid: p.Invalid, Duplicate: p.Duplicates,
		Denied: p.Denied, Deferred: p.Deferred, Failed: p.Failed, Reasons: p.Reasons,
		Segments: p.MaxSegments, TotalSegments: p.Segments, SmartSegments: p.SmartSegments, Encoding: p.Encoding,
		Cost: p.EstimatedCost, Currency: p.Currency, Duration: p.Duration, Warnings: p.Warnings,
		Senders: sp.Senders,
	}
	if sp.Duration > 0 {
		pf.Duration = sp.Duration
	}
	for _, r := range p.UCS2 {
		pf.UCS2Chars = append(pf.UCS2Chars, string(r))
	}
	for _, r := range p.Problems {
		pf.Problems = append(pf.Problems, problemOf(r))
	}
	if p.NeedsAcknowledgement != nil {
		pf.Warnings = append(pf.Warnings, p.NeedsAcknowledgement.Error())
	}
	return pf, nil
}

func (b serviceBackend) Send(ctx context.Context, n notify.Notification) (*notify.Report, error) {
	return b.svc.Send(ctx, n)
}

func (b serviceBackend) Tally(ctx context.Context, account, topic string, from, to time.Time) (notify.Tally, error) {
	return b.svc.TopicTally(ctx, account, topic, from, to)
}

func (b serviceBackend) Recent(ctx context.Context, account, topic string, limit int) ([]notify.Message, error) {
	return b.svc.RecentMessages(ctx, account, topic, limit)
}

func (b serviceBackend) Message(ctx context.Context, account, id string) (notify.MessageDetail, error) {
	return b.svc.MessageDetail(ctx, account, id)
}

// ConsentTrail lists the consent records of number that apply to account.
func (b serviceBackend) ConsentTrail(ctx context.Context, account, number string) ([]compliance.Record, error) {
	return b.svc.ConsentTrail(ctx, account, number)
}

func (b serviceBackend) OptOut(ctx context.Context, account, number, reason string, a notify.Actor) error {
	return b.svc.OptOut(ctx, account, number, a, reason)
}

func (b serviceBackend) Replies(ctx context.Context, account string) ([]notify.ReplyRecord, error) {
	return b.svc.Replies(ctx, account, notify.ReplyOpen)
}

func (b serviceBackend) ResolveReply(ctx context.Context, account, id string, _ notify.Actor) error {
	return b.svc.ResolveReply(ctx, account, id)
}

func (b serviceBackend) RepliesIn(ctx context.Context, account string, state notify.ReplyState) ([]notify.ReplyRecord, error) {
	return b.svc.Replies(ctx, account, state)
}

func (b serviceBackend) Thread(ctx context.Context, account, sender, number string, limit int) ([]notify.ThreadEntry, error) {
	return b.svc.Thread(ctx, account, sender, number, limit)
}

// OptIn appends rec to the consent ledger the Service's policy reads, in
// account's scope (notify has no OptIn of its own yet).
func (b serviceBackend) OptIn(ctx context.Context, account string, rec compliance.Record) error {
	rec.Scope = account
	if err := rec.Validate(); err != nil {
		return err
	}
	return b.svc.Policy().ConsentStore().Append(ctx, rec)
}

func (b serviceBackend) Resume(ctx context.Context, notificationID string) (*notify.Report, error) {
	return b.svc.Resume(ctx, notificationID)
}

func (b serviceBackend) SettleUnknown(ctx context.Context, account, id string, st notify.Settlement) (notify.Message, error) {
	return b.svc.SettleUnknown(ctx, account, id, st)
}

func (b serviceBackend) Paused(ctx context.Context, account string) ([]notify.NotificationRecord, error) {
	return b.svc.Paused(ctx, account)
}
