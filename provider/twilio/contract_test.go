package twilio_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/twilio"
)

// startPrism serves Twilio's OpenAPI description (testdata) with Prism's
// mock server on a free loopback port and returns its base URL. Prism
// validates each request against the spec and answers with the spec's
// example response.
func startPrism(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("HERALD_PRISM")
	if bin == "" {
		t.Fatal("HERALD_PRISM is not set: run the contract test with `make test`, which installs " +
			"@stoplight/prism-cli and sets HERALD_PRISM to the prism binary")
	}
	spec, err := filepath.Abs(filepath.Join("testdata", "twilio_api_v2010.json"))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()

	cmd := exec.Command(bin, "mock", spec, "-h", "127.0.0.1", "-p", port)
	cmd.Stderr = cmd.Stdout
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})

	// Prism prints "Prism is listening on http://127.0.0.1:PORT" when ready.
	ready := make(chan error, 1)
	go func() {
		var log strings.Builder
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "listening on") {
				ready <- nil
				io.Copy(io.Discard, out)
				return
			}
		}
		ready <- &prismExit{log.String()}
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("prism did not start listening within 60s")
	}
	return "http://127.0.0.1:" + port
}

type prismExit struct{ log string }

func (e *prismExit) Error() string { return "prism exited before listening:\n" + e.log }

func TestContractPrism(t *testing.T) {
	base := startPrism(t)
	p := twilio.New("AC0123456789abcdef0123456789abcdef", "token",
		twilio.WithBaseURL(base), twilio.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}))

	r, err := p.Send(t.Context(), provider.Message{
		From: "+14155552345", To: "+14155552345", Body: "Hello! 👍",
		StatusCallback: "https://example.com/status", ValidityPeriod: time.Hour,
	})
	if err != nil {
		t.Fatalf("Send against the Twilio spec mock: %v", err)
	}
	want := provider.Receipt{ID: "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Provider: "twilio",
		Status: provider.StatusQueued, Segments: 1}
	if d := cmp.Diff(want, r); d != "" {
		t.Errorf("receipt from the spec's example (-want +got):\n%s", d)
	}

	// A Messaging Service together with a From, a status callback and a
	// validity period: Prism rejects any field the spec does not allow.
	withService := twilio.New("AC0123456789abcdef0123456789abcdef", "token", twilio.WithBaseURL(base),
		twilio.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}),
		twilio.WithMessagingServiceSID("MG0123456789abcdef0123456789abcdef"))
	if _, err := withService.Send(t.Context(), provider.Message{
		From: "+14155552345", To: "+14155552345", Body: "Hello",
		StatusCallback: "https://example.com/status", ValidityPeriod: 48 * time.Hour,
	}); err != nil {
		t.Errorf("Send with a Messaging Service and a From against the spec mock: %v", err)
	}

	// A request the spec rejects (no credentials) must come back as a
	// permanent error, proving errors are parsed from the mock too.
	noAuth := twilio.New("AC0123456789abcdef0123456789abcdef", "token", twilio.WithBaseURL(base),
		twilio.WithHTTPClient(&http.Client{Transport: stripAuth{}}))
	_, err = noAuth.Send(t.Context(), provider.Message{From: "+14155552345", To: "+14155552345", Body: "x"})
	if provider.ClassOf(err) != provider.Permanent {
		t.Errorf("unauthenticated send: err = %v, want a permanent error", err)
	}
}

// stripAuth drops the Authorization header, to provoke Prism's 401.
type stripAuth struct{}

func (stripAuth) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Del("Authorization")
	return http.DefaultTransport.RoundTrip(r)
}
