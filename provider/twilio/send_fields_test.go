package twilio_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/twilio"
)

// formServer records the form of every send.
func formServer(t *testing.T) (*httptest.Server, *url.Values) {
	t.Helper()
	var form url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		form = r.PostForm
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"sid":"SM1","status":"queued","num_segments":"1"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &form
}

// TestSendServiceSIDWithFrom: the spec lets a send name both a Messaging
// Service and a specific sender from its pool; both are sent.
func TestSendServiceSIDWithFrom(t *testing.T) {
	srv, form := formServer(t)
	p := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL), twilio.WithMessagingServiceSID("MG1"))
	if _, err := p.Send(t.Context(), provider.Message{From: "+14155550000", To: "+14155550001", Body: "x",
		StatusCallback: "https://example.com/cb"}); err != nil {
		t.Fatal(err)
	}
	want := url.Values{"From": {"+14155550000"}, "MessagingServiceSid": {"MG1"}, "To": {"+14155550001"},
		"Body": {"x"}, "StatusCallback": {"https://example.com/cb"}}
	if d := cmp.Diff(want, *form); d != "" {
		t.Errorf("form (-want +got):\n%s", d)
	}
}

// TestSendValidityPeriod: Twilio takes whole seconds from 1 to 36000.
func TestSendValidityPeriod(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Millisecond: "1", 90 * time.Second: "90", 90*time.Second + 1: "91",
		10 * time.Hour: "36000", 48 * time.Hour: "36000", 0: "", -time.Second: "",
	} {
		srv, form := formServer(t)
		p := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL))
		if _, err := p.Send(t.Context(), provider.Message{From: "+14155550000", To: "+14155550001", Body: "x", ValidityPeriod: d}); err != nil {
			t.Fatal(err)
		}
		if got := form.Get("ValidityPeriod"); got != want {
			t.Errorf("ValidityPeriod %v sent as %q, want %q", d, got, want)
		}
	}
}
