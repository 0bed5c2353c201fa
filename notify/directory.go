package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/internal/e164"
	"github.com/heraldsms/herald/provider"
)

// directory holds contact points, accounts and permissions (notify part 2).
// The pipeline calls only init, resolveSend and senderFor.
type directory struct {
	mu sync.RWMutex
	// contacts maps account \x00 name to a contact point.
	contacts map[string]*ContactPoint
	// byNumber maps a sender number to the contact points that use it.
	byNumber map[string][]*ContactPoint
	// topicsReady records the accounts whose default topic is known to
	// exist.
	topicsReady map[string]bool

	// policy is the pipeline's compliance policy: its consent ledger and
	// reply keywords.
	policy *compliance.Policy
	// seen drops inbound webhooks a provider delivers twice.
	seen *provider.SeenSet

	onReply  func(context.Context, ReplyRecord)
	onStatus func(context.Context, Message)
}

// dirConfig holds the part-two options.
type dirConfig struct {
	contacts     []ContactPoint
	onReply      func(context.Context, ReplyRecord)
	onStatus     func(context.Context, Message)
	strictTopics bool
	clarify      bool // see WithClarifyingReplies
}

// inboundSeenCap is how many inbound message ids a Service remembers to drop
// webhook replays.
const inboundSeenCap = 10000

// init sets the directory up in memory: the contact points of the options
// are validated and registered. It does no I/O; start records them in the
// store.
func (d *directory) init(s *Service) error {
	c := s.cfg.dir
	d.contacts = make(map[string]*ContactPoint)
	d.byNumber = make(map[string][]*ContactPoint)
	d.topicsReady = make(map[string]bool)
	d.policy = s.dirPolicy()
	d.onReply, d.onStatus = c.onReply, c.onStatus
	d.seen = provider.NewSeenSet(inboundSeenCap)
	for _, cp := range c.contacts {
		cp = cp.clone()
		if err := cp.validate(); err != nil {
			return err
		}
		if !cp.OneWay {
			for _, n := range cp.Numbers {
				for _, other := range d.byNumber[n] {
					if !other.OneWay && other.Account != cp.Account {
						return &ContactPointError{Account: cp.Account, Name: cp.Name, Err: ErrSenderOwned}
					}
				}
			}
		}
		d.register(cp)
	}
	return nil
}

// start records what init registered in the store: the default topics and
// the sender numbers of the contact points.
func (d *directory) start(ctx context.Context, s *Service) error {
	if err := s.ensureDefaultTopic(ctx, ""); err != nil {
		return err
	}
	for _, cp := range s.cfg.dir.contacts {
		if err := s.storeContactPoint(ctx, cp); err != nil {
			return err
		}
	}
	return nil
}

// route is how a notification leaves: the contact point and the sender
// numbers it may use.
type route struct {
	contact string
	senders []string
	// account owns the route; pool names the sticky-sender pool (the
	// contact point name) when senders holds more than one number.
	account string
	pool    string
	// oneWay is set for a shared one-way sender, which never threads
	// replies.
	oneWay bool
}

// resolveSend checks that n may be sent before anything else happens: the
// actor's roles permit its contact point (ErrForbidden otherwise) and its
// topic exists and is active. It returns the route to use. It sets n.Topic
// to DefaultTopic when empty.
func (s *Service) resolveSend(ctx context.Context, n *Notification, dry bool) (route, error) {
	r, cp, err := s.routeFor(n.Account, n.From)
	if err != nil {
		return route{}, err
	}
	if cp != nil && !cp.Allows(n.Actor) {
		return route{}, &ForbiddenError{Account: n.Account, Actor: n.Actor.ID, ContactPoint: cp.Name}
	}
	if n.Topic == "" {
		n.Topic = DefaultTopic
	}
	if err := s.checkSendTopic(ctx, n.Account, n.Topic, dry); err != nil {
		return route{}, err
	}
	if cp == nil && e164.Shaped(n.From) && dry {
		if owner, err := s.store.SenderAccount(ctx, n.From); err == nil && owner != n.Account {
			return route{}, fmt.Errorf("notify: sender %s for account %q: %w", provider.MaskNumber(n.From), n.Account, ErrSenderOwned)
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return route{}, err
		}
	} else if cp == nil && e164.Shaped(n.From) {
		// A bare number that receives replies belongs to the account that
		// sends from it.
		if err := s.store.ClaimSender(ctx, n.From, n.Account); err != nil {
			return route{}, fmt.Errorf("notify: sender %s for account %q: %w", provider.MaskNumber(n.From), n.Account, err)
		}
	}
	return r, nil
}

// routeFor resolves from (a contact point name or a sender) in account. cp
// is the contact point whose permissions apply, nil for a bare sender no
// contact point of the account uses.
func (s *Service) routeFor(account, from string) (route, *ContactPoint, error) {
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	if cp, ok := d.contacts[key2(account, from)]; ok {
		return cp.route(), cp, nil
	}
	for _, cp := range d.byNumber[from] {
		if cp.Account == account {
			// Naming the number does not get round the contact point's
			// roles.
			r := cp.route()
			r.senders = []string{from}
			return r, cp, nil
		}
	}
	if !e164.Shaped(from) && from != "" {
		for k := range d.contacts {
			if strings.HasSuffix(k, "\x00"+from) {
				return route{}, nil, &ContactPointError{Account: account, Name: from, Err: ErrUnknownContactPoint}
			}
		}
	}
	return route{contact: from, senders: []string{from}, account: account}, nil, nil
}

// senderFor picks the sender number for one recipient (sticky within a
// pool).
//
// dry (Plan) reads the pool number recipient already hears from but records
// no new choice.
func (s *Service) senderFor(ctx context.Context, r route, account, to string, dry bool) (string, error) {
	switch len(r.senders) {
	case 0:
		return "", nil
	case 1:
		return r.senders[0], nil
	}
	candidate := r.senders[stickyIndex(to, len(r.senders))]
	if dry {
		return candidate, nil
	}
	got, err := s.store.StickySender(ctx, account, r.pool, to, candidate)
	if err != nil {
		return "", fmt.Errorf("notify: sticky sender for %s in pool %q: %w", provider.MaskNumber(to), r.pool, err)
	}
	for _, n := range r.senders {
		if n == got {
			return got, nil
		}
	}
	// The remembered number left the pool; use the spread choice.
	return candidate, nil
}

// stickyIndex spreads recipients over a pool of n numbers (FNV-1a), so the
// first choice is stable across instances.
func stickyIndex(to string, n int) int {
	h := uint32(2166136261)
	for i := 0; i < len(to); i++ {
		h ^= uint32(to[i])
		h *= 16777619
	}
	return int(h % uint32(n))
}
