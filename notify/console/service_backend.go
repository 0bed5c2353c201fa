package console

import (
	"context"
	"fmt"
	"time"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
)

// serviceBackend adapts *notify.Service to backend.
type serviceBackend struct{ svc *notify.Service }

var _ backend = serviceBackend{}

func missing(op string) error { return fmt.Errorf("%w: %s", ErrNotProvided, op) }

func (b serviceBackend) ContactPoints(ctx context.Context, account string, a notify.Actor) ([]contactPoint, error) {
	return nil, missing("Service.ContactPoints")
}

func (b serviceBackend) Topics(ctx context.Context, account string) ([]notify.Topic, error) {
	return nil, missing("Service.Topics")
}

func (b serviceBackend) CreateTopic(ctx context.Context, account, name, title string, a notify.Actor) error {
	return missing("Service.CreateTopic")
}

func (b serviceBackend) RenameTopic(ctx context.Context, account, name, title string, a notify.Actor) error {
	return missing("Service.RenameTopic")
}

func (b serviceBackend) SetTopicDisabled(ctx context.Context, account, name string, disabled bool, a notify.Actor) error {
	return missing("Service.DisableTopic")
}

func (b serviceBackend) Plan(ctx context.Context, n notify.Notification) (preflight, error) {
	return preflight{}, missing("Service.Plan")
}

func (b serviceBackend) Send(ctx context.Context, n notify.Notification) (*notify.Report, error) {
	return b.svc.Send(ctx, n)
}

func (b serviceBackend) Tally(ctx context.Context, account, topic string, from, to time.Time) (notify.Tally, error) {
	return notify.Tally{}, missing("Service.Tally")
}

func (b serviceBackend) Recent(ctx context.Context, account, topic string, limit int) ([]notify.Message, error) {
	return nil, missing("Service.Recent")
}

func (b serviceBackend) Message(ctx context.Context, account, id string) (notify.Message, error) {
	return notify.Message{}, missing("Service.Message")
}

func (b serviceBackend) ConsentTrail(ctx context.Context, account, number string) ([]compliance.Record, error) {
	return nil, missing("Service.ConsentTrail")
}

func (b serviceBackend) OptOut(ctx context.Context, account, number, reason string, a notify.Actor) error {
	return missing("Service.OptOut")
}

func (b serviceBackend) Replies(ctx context.Context, account string) ([]notify.ReplyRecord, error) {
	return nil, missing("Service.Replies")
}

func (b serviceBackend) ResolveReply(ctx context.Context, account, id string, a notify.Actor) error {
	return missing("Service.ResolveReply")
}
