package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/heraldsms/herald/internal/e164"
	"github.com/heraldsms/herald/provider"
)

// ErrForbidden is returned by Send when the actor's roles do not permit the
// contact point. Nothing is checked, stored or sent. The error is a
// *ForbiddenError naming the actor and the contact point.
var ErrForbidden = errors.New("notify: actor may not send from this contact point")

// ErrUnknownContactPoint is returned when a notification names a contact
// point that its account does not have.
var ErrUnknownContactPoint = errors.New("notify: unknown contact point")

// ErrInvalidContactPoint is returned by AddContactPoint and New for a contact
// point without a name or numbers, or with a number that is not E.164.
var ErrInvalidContactPoint = errors.New("notify: invalid contact point")

// ForbiddenError says which actor was refused which contact point.
// errors.Is(err, ErrForbidden) is true.
type ForbiddenError struct {
	Account      string
	Actor        string
	ContactPoint string
}

// Error names the actor, the contact point and the account.
func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("notify: actor %q may not send from contact point %q of account %q", e.Actor, e.ContactPoint, e.Account)
}

// Is makes errors.Is(err, ErrForbidden) true.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// ContactPointError is a problem with one contact point. It wraps
// ErrUnknownContactPoint, ErrInvalidContactPoint or ErrSenderOwned.
type ContactPointError struct {
	Account string
	Name    string
	Err     error
}

// Error names the contact point and the account.
func (e *ContactPointError) Error() string {
	return fmt.Sprintf("notify: contact point %q of account %q: %v", e.Name, e.Account, e.Err)
}

// Unwrap returns the reason.
func (e *ContactPointError) Unwrap() error { return e.Err }

// ContactPoint is a named sender: one number or a pool of numbers, the roles
// allowed to send from it, and the texts it answers keywords with. A
// notification names it in From. Contact points belong to an account.
type ContactPoint struct {
	// Account owns the contact point; "" is the default account.
	Account string
	// Name is what Notification.From names; unique within the account.
	Name string
	// Numbers are the sender numbers (E.164, or an alphanumeric sender ID
	// for a one-way contact point). With more than one, the contact point
	// is a pool and each recipient always hears from the same number.
	Numbers []string
	// Roles may send from the contact point. Empty means EveryoneRole.
	Roles []string
	// Brand opens the default keyword answers ("Acme: ...").
	Brand string
	// Help answers a HELP reply. Empty means a default naming the
	// brand, STOP and START.
	Help string
	// OptOutText confirms an opt-out; empty means a default. It is the
	// one text a number gets after it opts out.
	OptOutText string
	// OptInText confirms a START; empty means a default.
	OptInText string
	// OneWay marks a shared sender that does not take replies: its numbers
	// are not registered to the account, several accounts may use them,
	// and replies to them never reach a notification or an account's
	// reply list (opt-outs are still honoured, in every account using
	// the number).
	OneWay bool
}

// Allows reports whether a's roles permit sending from the contact point.
// An actor with no roles has EveryoneRole; a contact point with no roles
// allows everyone.
func (cp ContactPoint) Allows(a Actor) bool {
	if len(cp.Roles) == 0 || slices.Contains(cp.Roles, EveryoneRole) {
		return true
	}
	for _, r := range a.Roles {
		if slices.Contains(cp.Roles, r) {
			return true
		}
	}
	return false
}

func (cp *ContactPoint) route() route {
	return route{
		contact: cp.Name,
		senders: cp.Numbers,
		account: cp.Account,
		pool:    cp.Name,
		oneWay:  cp.OneWay,
	}
}

func (cp ContactPoint) clone() ContactPoint {
	cp.Numbers = slices.Clone(cp.Numbers)
	cp.Roles = slices.Clone(cp.Roles)
	return cp
}

func (cp ContactPoint) validate() error {
	fail := func(format string, a ...any) error {
		return &ContactPointError{Account: cp.Account, Name: cp.Name, Err: fmt.Errorf("%w: "+format, append([]any{ErrInvalidContactPoint}, a...)...)}
	}
	if cp.Name == "" {
		return fail("no name")
	}
	if e164.Shaped(cp.Name) {
		return fail("a name must not be a phone number")
	}
	if len(cp.Numbers) == 0 {
		return fail("no sender numbers")
	}
	for _, n := range cp.Numbers {
		if !cp.OneWay && !e164.Shaped(n) {
			return fail("sender %q is not an E.164 number", provider.MaskNumber(n))
		}
		if n == "" {
			return fail("empty sender")
		}
	}
	return nil
}

// WithContactPoint adds a contact point when the Service starts. New fails
// when it is invalid or one of its reply-receiving numbers belongs to
// another account.
func WithContactPoint(cp ContactPoint) Option {
	return func(c *config) { c.dir.contacts = append(c.dir.contacts, cp.clone()) }
}

// AddContactPoint adds a contact point, or replaces the one of the same
// account and name. Unless it is OneWay, its numbers are registered to its
// account: a number already registered to another account fails with
// ErrSenderOwned, so a reply can never reach the wrong account.
func (s *Service) AddContactPoint(ctx context.Context, cp ContactPoint) error {
	cp = cp.clone()
	if err := cp.validate(); err != nil {
		return err
	}
	if err := s.storeContactPoint(ctx, cp); err != nil {
		return err
	}
	s.dir.register(cp)
	return nil
}

// storeContactPoint claims cp's numbers for its account (unless one-way)
// and creates the account's default topic.
func (s *Service) storeContactPoint(ctx context.Context, cp ContactPoint) error {
	if !cp.OneWay {
		for _, n := range cp.Numbers {
			if err := s.store.ClaimSender(ctx, n, cp.Account); err != nil {
				return &ContactPointError{Account: cp.Account, Name: cp.Name, Err: err}
			}
		}
	}
	return s.ensureDefaultTopic(ctx, cp.Account)
}

// register adds cp (validated, cloned) to the in-memory directory,
// replacing a contact point of the same account and name.
func (d *directory) register(cp ContactPoint) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := key2(cp.Account, cp.Name)
	if old, ok := d.contacts[k]; ok {
		for _, n := range old.Numbers {
			d.byNumber[n] = slices.DeleteFunc(d.byNumber[n], func(c *ContactPoint) bool { return c == old })
		}
	}
	p := &cp
	d.contacts[k] = p
	for _, n := range cp.Numbers {
		d.byNumber[n] = append(d.byNumber[n], p)
	}
}

// ContactPoints lists the contact points of account that a may send from,
// ordered by name.
func (s *Service) ContactPoints(account string, a Actor) []ContactPoint {
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []ContactPoint
	for _, cp := range d.contacts {
		if cp.Account == account && cp.Allows(a) {
			out = append(out, cp.clone())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// contactFor returns the contact point of account that uses number, and
// whether there is one.
func (s *Service) contactFor(account, number string) (ContactPoint, bool) {
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	for _, cp := range d.byNumber[number] {
		if cp.Account == account {
			return *cp, true
		}
	}
	return ContactPoint{}, false
}

// oneWayAccounts lists the accounts whose one-way contact points use number.
func (s *Service) oneWayAccounts(number string) []string {
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []string
	for _, cp := range d.byNumber[number] {
		if cp.OneWay && !slices.Contains(out, cp.Account) {
			out = append(out, cp.Account)
		}
	}
	return out
}
