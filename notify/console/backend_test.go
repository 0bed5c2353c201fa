package console

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

// stubBackend is an in-memory backend for the handler tests, so every page
// and error path can be driven without a running pipeline.
type stubBackend struct {
	mu       sync.Mutex
	cps      []stubContact
	topics   map[string]notify.Topic
	tallies  map[string]notify.Tally
	recent   map[string][]notify.Message
	messages map[string]notify.Message
	trails   map[string][]compliance.Record
	replies  []notify.ReplyRecord
	sends    []notify.Notification
	plans    []notify.Notification
	settled  []notify.Settlement
	paused   []notify.NotificationRecord
	resumed  []string
	report   func(n notify.Notification) *notify.Report
}

type stubContact struct {
	cp    contactPoint
	roles []string
}

func newStub() *stubBackend {
	b := &stubBackend{
		cps: []stubContact{
			{contactPoint{Name: "support", Senders: []string{"+14155550100"}}, nil},
			{contactPoint{Name: "billing", Senders: []string{"+14155550101", "+14155550102"}}, []string{"billing"}},
		},
		topics:   map[string]notify.Topic{},
		tallies:  map[string]notify.Tally{},
		recent:   map[string][]notify.Message{},
		messages: map[string]notify.Message{},
		trails:   map[string][]compliance.Record{},
	}
	b.topics[notify.DefaultTopic] = notify.Topic{Name: notify.DefaultTopic, Title: "Default"}
	b.topics["deliveries"] = notify.Topic{Name: "deliveries", Title: "Delivery updates"}
	b.topics["old"] = notify.Topic{Name: "old", Title: "Old campaign", Disabled: true}
	return b
}

func (b *stubBackend) ContactPoints(_ context.Context, _ string, a notify.Actor) ([]contactPoint, error) {
	var out []contactPoint
	for _, c := range b.cps {
		if len(c.roles) == 0 || slices.ContainsFunc(c.roles, func(r string) bool { return slices.Contains(a.Roles, r) }) {
			out = append(out, c.cp)
		}
	}
	return out, nil
}

func (b *stubBackend) Topics(context.Context, string) ([]notify.Topic, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []notify.Topic
	for _, t := range b.topics {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (b *stubBackend) CreateTopic(_ context.Context, _ string, name, title string, _ notify.Actor) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.topics[name]; ok {
		return fmt.Errorf("topic %q already exists", name)
	}
	b.topics[name] = notify.Topic{Name: name, Title: title}
	return nil
}

func (b *stubBackend) RenameTopic(_ context.Context, _ string, name, title string, _ notify.Actor) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	t, ok := b.topics[name]
	if !ok {
		return fmt.Errorf("topic %q: %w", name, notify.ErrNotFound)
	}
	t.Title = title
	b.topics[name] = t
	return nil
}

func (b *stubBackend) SetTopicDisabled(_ context.Context, _ string, name string, disabled bool, _ notify.Actor) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	t, ok := b.topics[name]
	if !ok {
		return fmt.Errorf("topic %q: %w", name, notify.ErrNotFound)
	}
	t.Disabled = disabled
	b.topics[name] = t
	return nil
}

func (b *stubBackend) Plan(_ context.Context, n notify.Notification) (preflight, error) {
	b.mu.Lock()
	b.plans = append(b.plans, n)
	b.mu.Unlock()
	rep := b.makeReport(n)
	pf := preflight{Recipients: len(n.To), Segments: 1, Encoding: "GSM-7"}
	for _, p := range reportData(rep).Problems {
		pf.Problems = append(pf.Problems, p)
		pf.Invalid++
	}
	pf.Valid = pf.Recipients - pf.Invalid
	return pf, nil
}

// makeReport sends to every number except those starting with "bad".
func (b *stubBackend) makeReport(n notify.Notification) *notify.Report {
	if b.report != nil {
		return b.report(n)
	}
	rep := &notify.Report{NotificationID: "n1", Topic: n.Topic, Counts: map[notify.Outcome]int{}}
	for i, to := range n.To {
		r := notify.Result{Index: i, Given: to, To: to, Outcome: notify.OutcomeSent}
		if len(to) >= 3 && to[:3] == "bad" {
			r.To, r.Outcome, r.Reason, r.Err = "", notify.OutcomeInvalid, "invalid_number", fmt.Errorf("number %q is not a phone number", to)
		}
		rep.Counts[r.Outcome]++
		rep.Results = append(rep.Results, r)
	}
	return rep
}

func (b *stubBackend) Send(_ context.Context, n notify.Notification) (*notify.Report, error) {
	b.mu.Lock()
	b.sends = append(b.sends, n)
	b.mu.Unlock()
	return b.makeReport(n), nil
}

func (b *stubBackend) Tally(_ context.Context, _ string, topic string, _, _ time.Time) (notify.Tally, error) {
	return b.tallies[topic], nil
}

func (b *stubBackend) Recent(_ context.Context, _ string, topic string, limit int) ([]notify.Message, error) {
	ms := b.recent[topic]
	return ms[:min(limit, len(ms))], nil
}

func (b *stubBackend) Message(_ context.Context, _ string, id string) (notify.MessageDetail, error) {
	m, ok := b.messages[id]
	if !ok {
		return notify.MessageDetail{}, fmt.Errorf("message %s: %w", id, notify.ErrNotFound)
	}
	return notify.MessageDetail{Message: m, Notification: notify.NotificationRecord{ID: m.NotificationID, Topic: m.Topic}}, nil
}

func (b *stubBackend) ConsentTrail(_ context.Context, _ string, number string) ([]compliance.Record, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.trails[number], nil
}

func (b *stubBackend) OptOut(_ context.Context, _ string, number, reason string, a notify.Actor) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trails[number] = append(b.trails[number], compliance.Record{Number: number, Action: compliance.ActionOptOut, Text: reason, Actor: a.ID, At: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)})
	return nil
}

func (b *stubBackend) Replies(context.Context, string) ([]notify.ReplyRecord, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []notify.ReplyRecord
	for _, r := range b.replies {
		if r.State == notify.ReplyOpen {
			out = append(out, r)
		}
	}
	return out, nil
}

func (b *stubBackend) ResolveReply(_ context.Context, _ string, id string, _ notify.Actor) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := range b.replies {
		if b.replies[i].ID == id {
			b.replies[i].State = notify.ReplyResolved
			return nil
		}
	}
	return fmt.Errorf("reply %s: %w", id, notify.ErrNotFound)
}

func (b *stubBackend) RepliesIn(_ context.Context, _ string, state notify.ReplyState) ([]notify.ReplyRecord, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []notify.ReplyRecord
	for _, r := range b.replies {
		if r.State == state {
			out = append(out, r)
		}
	}
	return out, nil
}

func (b *stubBackend) Thread(_ context.Context, _ string, sender, number string, _ int) ([]notify.ThreadEntry, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []notify.ThreadEntry
	for _, r := range b.replies {
		if r.From == number && r.To == sender {
			out = append(out, notify.ThreadEntry{At: r.Received, Inbound: true, Body: r.Body, ReplyID: r.ID, State: r.State})
		}
	}
	return out, nil
}

func (b *stubBackend) OptIn(_ context.Context, _ string, rec compliance.Record) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trails[rec.Number] = append(b.trails[rec.Number], rec)
	return nil
}

func (b *stubBackend) Resume(_ context.Context, id string) (*notify.Report, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.resumed = append(b.resumed, id)
	b.paused = slices.DeleteFunc(b.paused, func(r notify.NotificationRecord) bool { return r.ID == id })
	return &notify.Report{NotificationID: id}, nil
}

// SettleUnknown marks an unknown message of the stub sent and delivered,
// as notify does.
func (b *stubBackend) SettleUnknown(_ context.Context, _ string, id string, st notify.Settlement) (notify.Message, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, ok := b.messages[id]
	if !ok {
		return notify.Message{}, fmt.Errorf("message %s: %w", id, notify.ErrNotFound)
	}
	if m.Outcome != notify.OutcomeUnknown {
		return notify.Message{}, &notify.SettleError{MessageID: id, Outcome: m.Outcome}
	}
	b.settled = append(b.settled, st)
	m.Outcome, m.Status = notify.OutcomeSent, provider.StatusDelivered
	m.Statuses = append(slices.Clone(m.Statuses), notify.StatusChange{Status: provider.StatusDelivered, Code: notify.SettledCode, At: st.At, By: st.Actor.ID, Note: st.Note})
	b.messages[id] = m
	return m, nil
}

func (b *stubBackend) Paused(context.Context, string) ([]notify.NotificationRecord, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.paused), nil
}
