// Command crm is the server a CRM runs to text its contacts with Herald:
//
//	POST /contacts/{id}/notify        body=...   text one contact by record id
//	POST /webhooks/twilio/status                 Twilio status callbacks (signed)
//	POST /webhooks/twilio/inbound                Twilio inbound messages (signed)
//	GET  /conversations                          conversations opened by replies
//
// A reply that is not a keyword opens a conversation record on the contact
// (the OnReply hook); STOP, START and HELP are answered by Herald itself,
// and an opted-out contact is refused until it texts START.
//
// With TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and CRM_FROM (your Twilio
// number, E.164) set, it sends through Twilio; otherwise through
// provider/fake, printing what would have been sent.
//
//	go run ./examples/crm -addr 127.0.0.1:8080 -clock 18:00
//	curl -d body='Your quote is ready' 127.0.0.1:8080/contacts/C-1001/notify
//
// The demo contacts ring in New York and Chicago, where quiet hours hold
// texts from 21:00 to 08:00 local time (01:00 to 12:00 UTC in summer): run
// then, a notify answers "deferred" with the rule (quiet.US-NY) and the
// time the text goes out. -clock sets the demo's clock (a UTC time of day
// such as 18:00, or an RFC 3339 time), which then runs on from there, so the
// demo shows the same at any hour; leave it out to see quiet hours at work.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
	"github.com/heraldsms/herald/provider/twilio"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	clockFlag := flag.String("clock", "", `demo clock: a UTC time of day ("18:00") or RFC 3339 time it starts at; default the machine's clock`)
	flag.Parse()
	start, err := parseClock(*clockFlag, time.Now)
	if err != nil {
		log.Fatal(err)
	}
	clock := demoClock(start, time.Now)
	if !start.IsZero() {
		log.Printf("demo clock starts at %s (quiet hours are judged at that time)", start.UTC().Format(time.RFC3339))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	sid, token, from := os.Getenv("TWILIO_ACCOUNT_SID"), os.Getenv("TWILIO_AUTH_TOKEN"), os.Getenv("CRM_FROM")
	cfg := config{AuthToken: token, From: from, APIToken: os.Getenv("CRM_API_TOKEN"), PublicURL: os.Getenv("CRM_PUBLIC_URL"), Now: clock}
	var p provider.Provider
	if sid != "" && token != "" && from != "" {
		if cfg.APIToken == "" || cfg.PublicURL == "" {
			log.Fatal("with Twilio, set CRM_API_TOKEN (guards the CRM's endpoints) and CRM_PUBLIC_URL (the https URL Twilio reaches this server at: webhook signatures are checked against it, and receipts are sent to it)")
		}
		p = twilio.New(sid, token)
	} else {
		log.Print("no TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN/CRM_FROM: sending through provider/fake")
		cfg.AuthToken, cfg.From = "dev-token", "+13125550199"
		if cfg.APIToken == "" {
			cfg.APIToken = "dev-api-token"
		}
		if cfg.PublicURL == "" {
			cfg.PublicURL = "http://" + *addr
		}
		log.Printf("dev mode: call the CRM with the header \"Authorization: Bearer %s\"", cfg.APIToken)
		f := fake.New(fake.WithName(twilio.Name), fake.WithRule(func(_ context.Context, m provider.Message) error {
			log.Printf("fake send from %s to %s: %q", m.From, provider.MaskNumber(m.To), m.Body)
			return nil
		}))
		defer f.Close()
		p = f
	}

	metrics := mustMetrics() // GET /metrics for Prometheus (metrics.go)
	app, err := newApp(p, cfg, demoContacts(), metrics.Option())
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: metrics.Mount(app.Handler()), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		app.Shutdown(sctx)
	}()
	fmt.Printf("crm listening on http://%s\n", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// demoContacts is the CRM's contact table.
func demoContacts() map[string]Contact {
	return map[string]Contact{
		"C-1001": {ID: "C-1001", Name: "Ada Byron", Phone: "+12125550143"},
		"C-1002": {ID: "C-1002", Name: "Alan Turing", Phone: "(312) 555-0187"},
	}
}
