package notify

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func topicNames(ts []Topic) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}

func TestTopicLifecycle(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newTestService(t)
	if _, err := s.CreateTopic(ctx, "", "orders", "Orders"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateTopic(ctx, "", "orders", ""); !errors.Is(err, ErrTopicExists) {
		t.Errorf("second CreateTopic: %v, want ErrTopicExists", err)
	}
	tp, err := s.RenameTopic(ctx, "", "orders", "Order updates")
	if err != nil || tp.Title != "Order updates" || tp.Name != "orders" {
		t.Fatalf("RenameTopic = %+v, %v", tp, err)
	}
	if _, err := s.DisableTopic(ctx, "", "orders"); err != nil {
		t.Fatal(err)
	}
	act, _ := s.ActiveTopics(ctx, "")
	dis, _ := s.DisabledTopics(ctx, "")
	if diff := cmp.Diff([]string{"default"}, topicNames(act)); diff != "" {
		t.Errorf("active (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"orders"}, topicNames(dis)); diff != "" {
		t.Errorf("disabled (-want +got):\n%s", diff)
	}

	n := Notification{Topic: "orders", Body: "x"}
	_, err = s.resolveSend(ctx, &n, false)
	var te *TopicError
	if !errors.Is(err, ErrTopicDisabled) || !errors.As(err, &te) || te.Topic != "orders" {
		t.Fatalf("send to disabled topic: %v, want a *TopicError with ErrTopicDisabled", err)
	}

	if _, err := s.EnableTopic(ctx, "", "orders"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.resolveSend(ctx, &n, false); err != nil {
		t.Errorf("send to re-activated topic: %v", err)
	}
	got, _ := s.Topic(ctx, "", "orders")
	want := Topic{Name: "orders", Title: "Order updates"}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Topic{}, "CreatedAt", "UpdatedAt")); diff != "" {
		t.Errorf("topic (-want +got):\n%s", diff)
	}
}

func TestDefaultTopicIsFixed(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newTestService(t)
	if _, err := s.RenameTopic(ctx, "", DefaultTopic, "Other"); !errors.Is(err, ErrDefaultTopic) {
		t.Errorf("rename default: %v", err)
	}
	if _, err := s.DisableTopic(ctx, "", DefaultTopic); !errors.Is(err, ErrDefaultTopic) {
		t.Errorf("disable default: %v", err)
	}
	// Every account has it, without setup.
	tp, err := s.Topic(ctx, "tenant-9", DefaultTopic)
	if err != nil || tp.Disabled {
		t.Errorf("default topic of a new account: %+v, %v", tp, err)
	}
	act, _ := s.ActiveTopics(ctx, "tenant-8")
	if diff := cmp.Diff([]string{"default"}, topicNames(act)); diff != "" {
		t.Errorf("active topics of a new account (-want +got):\n%s", diff)
	}
}

func TestTopicNamesAndAutoCreate(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newTestService(t)
	for _, name := range []string{"", "has space", "_auto", string(make([]byte, 65))} {
		if _, err := s.CreateTopic(ctx, "", name, ""); !errors.Is(err, ErrInvalidTopic) {
			t.Errorf("CreateTopic(%q) = %v, want ErrInvalidTopic", name, err)
		}
	}
	n := Notification{Topic: "shipping", Body: "x"}
	if _, err := s.resolveSend(ctx, &n, false); err != nil {
		t.Fatal(err)
	}
	if tp, err := s.Topic(ctx, "", "shipping"); err != nil || tp.Disabled {
		t.Errorf("auto-created topic: %+v, %v", tp, err)
	}
	if _, err := s.resolveSend(ctx, &Notification{Topic: "bad name", Body: "x"}, false); !errors.Is(err, ErrInvalidTopic) {
		t.Errorf("send to invalid topic name: %v", err)
	}
	if _, err := s.RenameTopic(ctx, "", "nope", "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("rename unknown topic: %v, want ErrNotFound", err)
	}
}

func TestTopicsRequired(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newTestService(t, WithTopicsRequired())
	_, err := s.resolveSend(ctx, &Notification{Topic: "shipping", Body: "x"}, false)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown topic with WithTopicsRequired: %v, want ErrNotFound", err)
	}
	if _, err := s.resolveSend(ctx, &Notification{Body: "x"}, false); err != nil {
		t.Errorf("default topic with WithTopicsRequired: %v", err)
	}
}

func TestTopicsScopedToAccount(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newTestService(t)
	if _, err := s.CreateTopic(ctx, "a", "orders", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DisableTopic(ctx, "a", "orders"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.resolveSend(ctx, &Notification{Account: "b", Topic: "orders", Body: "x"}, false); err != nil {
		t.Errorf("account b's orders topic is not account a's: %v", err)
	}
	if _, err := s.resolveSend(ctx, &Notification{Account: "a", Topic: "orders", Body: "x"}, false); !errors.Is(err, ErrTopicDisabled) {
		t.Errorf("account a: %v, want ErrTopicDisabled", err)
	}
}
