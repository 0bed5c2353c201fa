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
//	go run ./examples/crm -addr 127.0.0.1:8080
//	curl -d body='Your quote is ready' 127.0.0.1:8080/contacts/C-1001/notify
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
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	sid, token, from := os.Getenv("TWILIO_ACCOUNT_SID"), os.Getenv("TWILIO_AUTH_TOKEN"), os.Getenv("CRM_FROM")
	var p provider.Provider
	if sid != "" && token != "" && from != "" {
		p = twilio.New(sid, token)
	} else {
		log.Print("no TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN/CRM_FROM: sending through provider/fake")
		token, from = "dev-token", "+13125550199"
		f := fake.New(fake.WithName(twilio.Name), fake.WithRule(func(_ context.Context, m provider.Message) error {
			log.Printf("fake send from %s to %s: %q", m.From, provider.MaskNumber(m.To), m.Body)
			return nil
		}))
		defer f.Close()
		p = f
	}

	metrics := mustMetrics() // GET /metrics for Prometheus (metrics.go)
	app, err := newApp(p, token, from, demoContacts(), metrics.Option())
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
