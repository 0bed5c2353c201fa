package notify

import "context"

// directory holds contact points, accounts and permissions (notify part 2).
// This file is a seam: the pipeline calls only init, resolveSend and
// senderFor; their bodies are filled in with part 2.
type directory struct{}

// dirConfig holds the part-two options.
type dirConfig struct{}

func (d *directory) init(ctx context.Context, s *Service) error { return nil }

// route is how a notification leaves: the contact point and the sender
// numbers it may use.
type route struct {
	contact string
	senders []string
}

// resolveSend checks that n may be sent before anything else happens: the
// actor's roles permit its contact point (ErrForbidden otherwise) and its
// topic exists and is active. It returns the route to use.
func (s *Service) resolveSend(ctx context.Context, n *Notification) (route, error) {
	return route{contact: n.From, senders: []string{n.From}}, nil
}

// senderFor picks the sender number for one recipient (sticky within a
// pool).
func (s *Service) senderFor(ctx context.Context, r route, account, to string) (string, error) {
	return r.senders[0], nil
}
