package compliance

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPolicyUnknownKind(t *testing.T) {
	p := NewPolicy()
	for _, k := range []Kind{2, 7, 8, 255} {
		d, err := p.Check(context.Background(), Request{To: sfNumber, Kind: k, Body: "Your order shipped.", Now: noonSF})
		if !errors.Is(err, ErrUnknownKind) {
			t.Fatalf("Check(Kind %d) error = %v, want ErrUnknownKind", k, err)
		}
		var ke *KindError
		if !errors.As(err, &ke) || ke.Kind != k {
			t.Fatalf("Check(Kind %d) error = %#v, want *KindError{Kind: %d}", k, err, k)
		}
		if d.Outcome != Deny || len(d.Reasons) != 1 || d.Reasons[0].Rule != "request.unknown-kind" {
			t.Errorf("Check(Kind %d) decision = %+v, want a single deny reason request.unknown-kind", k, d)
		}
	}
	if _, err := p.NextAllowed(sfNumber, 9, noonSF); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("NextAllowed(Kind 9) error = %v, want ErrUnknownKind", err)
	}
	if !Service.Valid() || !Marketing.Valid() || Kind(2).Valid() {
		t.Error("Kind.Valid is wrong")
	}
}

func TestQuietHoursUnknownKind(t *testing.T) {
	q := QuietHours{Jurisdictions: DefaultJurisdictions()}
	loc := Location{Region: "US", Subdivision: "CA", Zones: []*time.Location{la}}
	if _, rule, ok := q.Next(loc, "", Kind(3), noonSF); ok || rule != "quiet.unknown-kind" {
		t.Errorf("Next(Kind 3) = ok %v rule %q, want not ok, quiet.unknown-kind", ok, rule)
	}
}
