package compliance

import (
	"context"
	"fmt"
	"github.com/heraldsms/herald/internal/e164"
	"strconv"
	"time"
)

// Action is what a consent Record does.
type Action uint8

const (
	// ActionOptIn grants consent. The zero Action is invalid.
	ActionOptIn Action = iota + 1
	// ActionOptOut revokes consent.
	ActionOptOut
)

// String returns "opt-in" or "opt-out".
func (a Action) String() string {
	switch a {
	case ActionOptIn:
		return "opt-in"
	case ActionOptOut:
		return "opt-out"
	default:
		return "action(" + strconv.Itoa(int(a)) + ")"
	}
}

// Level is the strength of an opt-in.
type Level uint8

const (
	// LevelExpress is express consent, oral or written: enough for
	// informational texts.
	LevelExpress Level = iota
	// LevelExpressWritten is prior express written consent (signed, E-SIGN
	// accepted, names the number, discloses automated marketing, not a
	// condition of purchase): what marketing texts need (§64.1200(f)(9)).
	LevelExpressWritten
)

// Source is how a consent event reached the host. Hosts may use their
// own values; these are the common ones.
type Source string

// Common consent sources.
const (
	SourceWebForm Source = "web_form"
	SourceKeyword Source = "keyword"
	SourceImport  Source = "import"
	SourceAgent   Source = "agent"
	SourceAPI     Source = "api"
	SourceIVR     Source = "ivr"
	SourcePaper   Source = "paper"
	SourceInApp   Source = "in_app"
)

// Record is one append-only event of the consent ledger: an opt-in with
// its evidence, or an opt-out. The current consent of a number is derived
// from its records; nothing is ever updated or deleted.
//
// Coverage: a record with Scope "" applies to every scope. An opt-in of
// kind Marketing also covers Service; an opt-in of kind Service covers
// only Service. An opt-out of kind Service (the zero value) revokes
// everything; an opt-out of kind Marketing revokes only Marketing (the
// answer to "which messages do you want to stop?").
type Record struct {
	// ID is an optional identifier chosen by the host.
	ID string
	// Number is the phone number in E.164. Required.
	Number string
	// Scope is the brand, sender or campaign the consent was given to;
	// "" means every scope of this host.
	Scope string
	// Kind is the kind of messages covered (see Record coverage).
	Kind Kind
	// Action is ActionOptIn or ActionOptOut. Required.
	Action Action
	// At is when the consent event happened (captured_at), UTC preferred.
	// Required.
	At time.Time
	// Level is the strength of an opt-in.
	Level Level
	// Source is how the event arrived: web form, keyword, import, agent...
	Source Source
	// Disclosure is the consent language shown to the person.
	Disclosure string
	// DisclosureVersion identifies the disclosure text (a version or hash).
	DisclosureVersion string
	// Text is the raw reply text for keyword opt-ins and opt-outs.
	Text string
	// Channel is where the event came in (sms, web, phone, email...).
	Channel string
	// Actor is who recorded it: the agent, the API client, "recipient".
	Actor string
	// IP and UserAgent are the client's, for web forms.
	IP, UserAgent string
	// URL is the page or form the consent was captured on.
	URL string
}

// Validate reports a missing or invalid required field, wrapping
// ErrInvalidRecord.
func (r Record) Validate() error {
	switch {
	case !e164.Shaped(r.Number):
		return fmt.Errorf("%w: number %q is not E.164", ErrInvalidRecord, MaskNumber(r.Number))
	case r.Action != ActionOptIn && r.Action != ActionOptOut:
		return fmt.Errorf("%w: %s has no action", ErrInvalidRecord, MaskNumber(r.Number))
	case r.At.IsZero():
		return fmt.Errorf("%w: %s has no time", ErrInvalidRecord, MaskNumber(r.Number))
	case r.Kind > Marketing:
		return fmt.Errorf("%w: %s has unknown %s", ErrInvalidRecord, MaskNumber(r.Number), r.Kind)
	}
	return nil
}

// Covers reports whether the record applies to a send of kind from scope.
func (r Record) Covers(scope string, kind Kind) bool {
	if r.Scope != "" && r.Scope != scope {
		return false
	}
	if r.Action == ActionOptIn {
		return r.Kind >= kind
	}
	return r.Kind <= kind
}

// Status is the derived consent of a number for one scope and kind.
type Status uint8

const (
	// StatusUnknown: no record covers this scope and kind.
	StatusUnknown Status = iota
	// StatusOptedIn: the latest covering record is an opt-in.
	StatusOptedIn
	// StatusOptedOut: the latest covering record is an opt-out.
	StatusOptedOut
)

// String returns "unknown", "opted-in" or "opted-out".
func (s Status) String() string {
	switch s {
	case StatusUnknown:
		return "unknown"
	case StatusOptedIn:
		return "opted-in"
	case StatusOptedOut:
		return "opted-out"
	default:
		return "status(" + strconv.Itoa(int(s)) + ")"
	}
}

// ConsentState is the answer of ConsentStore.State.
type ConsentState struct {
	// Status is the derived consent.
	Status Status
	// Record is the deciding record (the latest covering one); zero when
	// Status is StatusUnknown.
	Record Record
}

// ConsentStore is the append-only consent ledger. Implementations must be
// safe for concurrent use, must honour ctx, and must see every Append that
// returned before a State call starts (no stale caches: an opt-out
// recorded at T is honoured by every decision made after T, across
// instances). compliancetest.TestConsentStore checks these semantics.
type ConsentStore interface {
	// Append validates r (Record.Validate) and adds it to the ledger.
	Append(ctx context.Context, r Record) error
	// History returns every record of number, ordered by At and, for equal
	// times, by append order. It returns an empty slice for an unknown
	// number.
	History(ctx context.Context, number string) ([]Record, error)
	// State derives the consent of number for a send of kind from scope at
	// time at, from the records with At <= at that cover scope and kind:
	// the latest one decides, and at equal times an opt-out beats an
	// opt-in. DeriveState implements this rule for stores that load the
	// history.
	State(ctx context.Context, number, scope string, kind Kind, at time.Time) (ConsentState, error)
}

// DeriveState applies the ledger rule of ConsentStore.State to a history
// ordered by At.
func DeriveState(history []Record, scope string, kind Kind, at time.Time) ConsentState {
	best := -1
	for i := range history {
		r := &history[i]
		if r.At.After(at) {
			break
		}
		if !r.Covers(scope, kind) {
			continue
		}
		if best >= 0 && r.At.Equal(history[best].At) && history[best].Action == ActionOptOut && r.Action == ActionOptIn {
			continue // an opt-out beats an opt-in at the same instant
		}
		best = i
	}
	if best < 0 {
		return ConsentState{}
	}
	st := ConsentState{Status: StatusOptedIn, Record: history[best]}
	if st.Record.Action == ActionOptOut {
		st.Status = StatusOptedOut
	}
	return st
}
