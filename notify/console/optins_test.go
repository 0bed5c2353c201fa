package console

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/heraldsms/herald/compliance"
)

// An agent records an opt-in with its evidence; it lands in the ledger
// with the evidence, and a marketing send is then allowed.
func TestRecordOptInWithEvidence(t *testing.T) {
	h, svc, _ := newServiceConsole(t)
	ctx := context.Background()
	s := newSession(t, h, "ann", "")

	// No evidence, no record.
	rec := s.post("/optins", url.Values{"number": {"(415) 555-2671"}, "kind": {"marketing"}, "source": {"paper"}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("opt-in without evidence: %d, want 422", rec.Code)
	}
	if trail, _ := svc.ConsentTrail(ctx, "", "+14155552671"); len(trail) != 0 {
		t.Fatalf("an opt-in without evidence was recorded: %v", trail)
	}

	rec = s.post("/optins", url.Values{"number": {"(415) 555-2671"}, "kind": {"marketing"}, "source": {"paper"},
		"evidence": {"Signed form F-77, filed 2025-03-01"}, "disclosure": {"I agree to receive offers by text."}})
	if rec.Code != http.StatusOK {
		t.Fatalf("opt-in: %d\n%s", rec.Code, rec.Body)
	}
	wantContains(t, rec.Body.String(), "opted in", "Signed form F-77")
	trail, err := svc.ConsentTrail(ctx, "", "+14155552671")
	if err != nil || len(trail) != 1 {
		t.Fatalf("trail %v, %v; want one opt-in", trail, err)
	}
	r := trail[0]
	if r.Action != compliance.ActionOptIn || r.Kind != compliance.Marketing || r.Source != compliance.SourcePaper ||
		r.Text != "Signed form F-77, filed 2025-03-01" || r.Disclosure != "I agree to receive offers by text." || r.Actor != "ann" || r.At.IsZero() {
		t.Errorf("recorded %+v", r)
	}
	st, err := svc.ConsentState(ctx, "", "+14155552671", compliance.Marketing)
	if err != nil || st.Status != compliance.StatusOptedIn {
		t.Errorf("marketing consent after the opt-in: %+v, %v", st, err)
	}
}
