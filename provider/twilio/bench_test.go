package twilio_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/twilio"
)

const benchResponse = `{"account_sid":"AC00000000000000000000000000000001","api_version":"2010-04-01","body":"Your code is 123456","date_created":"Thu, 24 Aug 2023 05:01:45 +0000","direction":"outbound-api","error_code":null,"error_message":null,"from":"+14155550000","num_media":"0","num_segments":"1","price":null,"price_unit":null,"sid":"SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","status":"queued","to":"+14155550001","uri":"/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages/SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"}`

// inProcess answers every request itself, so the benchmark measures the
// adapter's own work: building the request, classifying, parsing.
type inProcess struct{}

func (inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	return &http.Response{StatusCode: http.StatusCreated, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(benchResponse)), Request: r}, nil
}

var benchMsg = provider.Message{From: "+14155550000", To: "+14155550001", Body: "Your code is 123456",
	StatusCallback: "https://example.com/status"}

func BenchmarkSendInProcess(b *testing.B) {
	p := twilio.New(testSID, testToken, twilio.WithBaseURL("http://twilio.invalid"),
		twilio.WithHTTPClient(&http.Client{Transport: inProcess{}}))
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Send(ctx, benchMsg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSendLoopback(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, benchResponse)
	}))
	defer srv.Close()
	p := twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL), twilio.WithHTTPClient(srv.Client()))
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Send(ctx, benchMsg); err != nil {
			b.Fatal(err)
		}
	}
}
