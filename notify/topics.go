package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Topic errors, wrapped in a *TopicError naming the topic and account.
var (
	// ErrTopicDisabled: the topic is disabled; nothing can be sent to it
	// until it is enabled again.
	ErrTopicDisabled = errors.New("notify: topic disabled")
	// ErrTopicExists: CreateTopic named a topic the account already has.
	ErrTopicExists = errors.New("notify: topic already exists")
	// ErrDefaultTopic: the default topic can be neither renamed nor
	// disabled.
	ErrDefaultTopic = errors.New("notify: the default topic cannot be renamed or disabled")
	// ErrInvalidTopic: a topic name is empty, too long, has spaces or
	// control characters, or starts with '_' (reserved).
	ErrInvalidTopic = errors.New("notify: invalid topic name")
)

// AutoReplyTopic is the reserved topic under which the keyword answers a
// Service sends by itself (opt-out and opt-in confirmations, HELP) are kept
// in history. It is not listed among an account's topics.
const AutoReplyTopic = "_auto"

// maxTopicName is the longest topic name accepted.
const maxTopicName = 64

// TopicError is a topic operation or a send refused because of a topic.
// It wraps ErrTopicDisabled, ErrTopicExists, ErrDefaultTopic,
// ErrInvalidTopic or ErrNotFound.
type TopicError struct {
	Account string
	Topic   string
	Err     error
}

// Error names the topic and the account.
func (e *TopicError) Error() string {
	return fmt.Sprintf("notify: topic %q of account %q: %v", e.Topic, e.Account, e.Err)
}

// Unwrap returns the reason.
func (e *TopicError) Unwrap() error { return e.Err }

func checkTopicName(account, name string) error {
	bad := name == "" || len(name) > maxTopicName || strings.HasPrefix(name, "_") ||
		strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0
	if bad {
		return &TopicError{Account: account, Topic: name, Err: ErrInvalidTopic}
	}
	return nil
}

// WithTopicsRequired makes Send refuse a topic that was not created with
// CreateTopic (a *TopicError wrapping ErrNotFound). By default a send to a
// new topic name creates the topic.
func WithTopicsRequired() Option { return func(c *config) { c.dir.strictTopics = true } }

// ensureDefaultTopic creates account's default topic unless it is known to
// exist.
func (s *Service) ensureDefaultTopic(ctx context.Context, account string) error {
	d := &s.dir
	d.mu.RLock()
	ready := d.topicsReady[account]
	d.mu.RUnlock()
	if ready {
		return nil
	}
	if _, err := s.store.Topic(ctx, account, DefaultTopic); err != nil {
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		now := s.cfg.now()
		t := Topic{Account: account, Name: DefaultTopic, Title: "Default", CreatedAt: now, UpdatedAt: now}
		if err := s.store.PutTopic(ctx, t); err != nil {
			return err
		}
	}
	d.mu.Lock()
	d.topicsReady[account] = true
	d.mu.Unlock()
	return nil
}

// checkSendTopic refuses a send to a disabled (or, with
// WithTopicsRequired, unknown) topic and creates a new one otherwise.
//
// dry (Plan) checks but creates nothing.
func (s *Service) checkSendTopic(ctx context.Context, account, name string, dry bool) error {
	if name == DefaultTopic {
		if dry {
			return nil
		}
		return s.ensureDefaultTopic(ctx, account)
	}
	t, err := s.store.Topic(ctx, account, name)
	switch {
	case err == nil:
		if t.Disabled {
			return &TopicError{Account: account, Topic: name, Err: ErrTopicDisabled}
		}
		return nil
	case !errors.Is(err, ErrNotFound):
		return err
	case s.cfg.dir.strictTopics:
		return &TopicError{Account: account, Topic: name, Err: ErrNotFound}
	}
	if err := checkTopicName(account, name); err != nil {
		return err
	}
	if dry {
		return nil
	}
	now := s.cfg.now()
	return s.store.PutTopic(ctx, Topic{Account: account, Name: name, Title: name, CreatedAt: now, UpdatedAt: now})
}

// CreateTopic creates an active topic in account. title is its display name
// (name when empty). A name the account already has fails with
// ErrTopicExists.
func (s *Service) CreateTopic(ctx context.Context, account, name, title string) (Topic, error) {
	if err := checkTopicName(account, name); err != nil {
		return Topic{}, err
	}
	if err := s.ensureDefaultTopic(ctx, account); err != nil {
		return Topic{}, err
	}
	if _, err := s.store.Topic(ctx, account, name); err == nil {
		return Topic{}, &TopicError{Account: account, Topic: name, Err: ErrTopicExists}
	} else if !errors.Is(err, ErrNotFound) {
		return Topic{}, err
	}
	if title == "" {
		title = name
	}
	now := s.cfg.now()
	t := Topic{Account: account, Name: name, Title: title, CreatedAt: now, UpdatedAt: now}
	return t, s.store.PutTopic(ctx, t)
}

// Topic returns one topic of account.
func (s *Service) Topic(ctx context.Context, account, name string) (Topic, error) {
	if name == DefaultTopic {
		if err := s.ensureDefaultTopic(ctx, account); err != nil {
			return Topic{}, err
		}
	}
	t, err := s.store.Topic(ctx, account, name)
	if err != nil {
		return Topic{}, &TopicError{Account: account, Topic: name, Err: err}
	}
	return t, nil
}

// updateTopic applies change to an existing topic other than the default.
func (s *Service) updateTopic(ctx context.Context, account, name string, change func(*Topic)) (Topic, error) {
	if name == DefaultTopic {
		return Topic{}, &TopicError{Account: account, Topic: name, Err: ErrDefaultTopic}
	}
	t, err := s.Topic(ctx, account, name)
	if err != nil {
		return Topic{}, err
	}
	change(&t)
	t.UpdatedAt = s.cfg.now()
	return t, s.store.PutTopic(ctx, t)
}

// RenameTopic sets a topic's display title. The name, which notifications
// and history use, never changes. The default topic cannot be renamed.
func (s *Service) RenameTopic(ctx context.Context, account, name, title string) (Topic, error) {
	if title == "" {
		return Topic{}, &TopicError{Account: account, Topic: name, Err: fmt.Errorf("%w: empty title", ErrInvalidTopic)}
	}
	return s.updateTopic(ctx, account, name, func(t *Topic) { t.Title = title })
}

// DisableTopic stops sends to a topic: Send fails with ErrTopicDisabled
// until EnableTopic. History and tallies are kept. The default topic cannot
// be disabled.
func (s *Service) DisableTopic(ctx context.Context, account, name string) (Topic, error) {
	return s.updateTopic(ctx, account, name, func(t *Topic) { t.Disabled = true })
}

// EnableTopic makes a disabled topic active again.
func (s *Service) EnableTopic(ctx context.Context, account, name string) (Topic, error) {
	return s.updateTopic(ctx, account, name, func(t *Topic) { t.Disabled = false })
}

// ActiveTopics lists account's active topics by name; the default topic is
// always among them.
func (s *Service) ActiveTopics(ctx context.Context, account string) ([]Topic, error) {
	return s.listTopics(ctx, account, false)
}

// DisabledTopics lists account's disabled topics by name.
func (s *Service) DisabledTopics(ctx context.Context, account string) ([]Topic, error) {
	return s.listTopics(ctx, account, true)
}

func (s *Service) listTopics(ctx context.Context, account string, disabled bool) ([]Topic, error) {
	if err := s.ensureDefaultTopic(ctx, account); err != nil {
		return nil, err
	}
	all, err := s.store.Topics(ctx, account)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, t := range all {
		if t.Disabled == disabled && !strings.HasPrefix(t.Name, "_") {
			out = append(out, t)
		}
	}
	return out, nil
}
