package twilio_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/twilio"
)

func Example() {
	// A stand-in for api.twilio.com.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"sid":"SM0123","status":"queued","num_segments":"1"}`)
	}))
	defer srv.Close()

	p := twilio.New("ACxxxxxxxx", "auth-token", twilio.WithBaseURL(srv.URL))
	r, err := p.Send(context.Background(), provider.Message{From: "+14155550000", To: "+14155550001", Body: "Your order shipped"})
	if err != nil {
		var pe *provider.Error
		if errors.As(err, &pe) && pe.Temporary() {
			fmt.Println("safe to retry after", pe.RetryAfter)
		}
		return
	}
	fmt.Println(r.ID, r.Status, r.Segments)
	// Output: SM0123 queued 1
}

func ExampleVerifySignature() {
	params := url.Values{
		"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675309"}, "Digits": {"1234"},
		"From": {"+14158675309"}, "To": {"+18005551212"},
		"ReasonConferenceEnded": {"test"}, "Reason": {"Participant"},
	}
	err := twilio.VerifySignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params, "vOEb5UThFn24KEfnOFLQY2AE5FY=")
	fmt.Println(err)
	// Output: <nil>
}

func ExampleStatusHandler() {
	h := twilio.StatusHandler("auth-token", func(ctx context.Context, u provider.StatusUpdate) error {
		fmt.Println(u.ID, u.Status)
		return nil
	})
	form := url.Values{"MessageSid": {"SM0123"}, "MessageStatus": {"delivered"}}
	r := httptest.NewRequest(http.MethodPost, "https://hooks.example.com/sms/status", strings.NewReader(form.Encode()))
	r.Header.Set("X-Twilio-Signature", twilio.Signature("auth-token", "https://hooks.example.com/sms/status", form))
	r.Header.Set("X-Forwarded-Proto", "https")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code)
	// Output:
	// SM0123 delivered
	// 200
}
