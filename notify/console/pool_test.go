package console

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/throttle"
)

// The preflight's duration counts the contact point's whole pool.
func TestPreflightCountsThePool(t *testing.T) {
	p := fake.New()
	t.Cleanup(func() { p.Close() })
	svc, err := notify.New(p, notify.WithClock(func() time.Time { return daytime }),
		notify.WithLimits(notify.Limits{Sender: throttle.PerSecond(1)}),
		notify.WithContactPoint(notify.ContactPoint{Name: "pool", Numbers: []string{"+14155550101", "+14155550102", "+14155550103"}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	h := New(svc, WithAuthenticator(testAuth))
	s := newSession(t, h, "ann", "")
	var to []string
	for i := range 30 {
		to = append(to, fmt.Sprintf("+1415555%04d", 2000+i))
	}
	rec := s.post("/send", url.Values{"from": {"pool"}, "topic": {notify.DefaultTopic}, "to": {strings.Join(to, "\n")}, "body": {"Parcel update"}, "step": {"preview"}})
	want := throttle.Plan(30, 1, throttle.PerSecond(1), throttle.PlanSenders(3)).Duration
	wantContains(t, rec.Body.String(), `<dd id="pf-senders">3</dd>`, fmt.Sprintf(`<dd id="pf-duration">%s</dd>`, want))
}
