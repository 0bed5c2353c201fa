package console

import (
	"context"
	"testing"
)

// A cost is shown with its currency, and not at all when no prices are set
// (a bare "0.0000" with no currency says nothing true).
func TestFormatCost(t *testing.T) {
	for _, tc := range []struct {
		cost     float64
		currency string
		want     string
	}{
		{0, "", ""},
		{0, "USD", "0.0000 USD"},
		{0.0249, "USD", "0.0249 USD"},
		{1.5, "", "1.5000"},
	} {
		if got := formatCost(tc.cost, tc.currency); got != tc.want {
			t.Errorf("formatCost(%v, %q) = %q, want %q", tc.cost, tc.currency, got, tc.want)
		}
	}
}

// The preflight shows no cost line when the Service has no prices.
func TestPreflightWithoutPricesShowsNoCost(t *testing.T) {
	h, svc, _ := newServiceConsole(t)
	if _, err := svc.CreateTopic(context.Background(), "", "deliveries", "Delivery updates"); err != nil {
		t.Fatal(err)
	}
	s := newSession(t, h, "ann", "")
	rec := s.post("/send", sendValues("preview"))
	wantContains(t, rec.Body.String(), `id="preflight"`)
	wantNotContains(t, rec.Body.String(), "0.0000", "Estimated cost")
}
