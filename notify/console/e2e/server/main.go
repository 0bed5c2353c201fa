// Command server serves the Herald console on 127.0.0.1 with the fake
// provider, for the console's browser test. It prints the console's URL on
// its first line of output and runs until it is killed.
//
// The fake reports every message delivered a second after sending it. The
// Service clock is set back to the last 18:00 UTC, a time outside quiet
// hours in every US time zone, so the test's sends are never deferred.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/console"
	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/fake"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	receipts := flag.Duration("receipts", time.Second, "delay of the fake's delivery receipts")
	flag.Parse()
	if err := run(*addr, *receipts); err != nil {
		log.Fatal(err)
	}
}

// unknownNumber times out after the request went out: its outcome is unknown.
const unknownNumber = "+14155552699"

// snippets are the Service's and the console's named text blocks.
var snippets = map[string]string{"sig": "Northwind Parcel. Reply STOP to opt out"}

func run(addr string, receipts time.Duration) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var svc atomic.Pointer[notify.Service]
	var shift time.Duration // set below, before the first send
	p := fake.New(fake.WithDeliveryReceipts(receipts),
		fake.FailNumber(unknownNumber, fake.Timeout()), // every send to it ends unknown
		fake.OnStatus(func(u provider.StatusUpdate) {
			// The fake stamps receipts with the machine's clock: move them to
			// the Service's, so a conversation orders them with its replies.
			u.At = u.At.Add(-shift)
			if s := svc.Load(); s != nil {
				if err := s.HandleStatus(context.Background(), u); err != nil {
					log.Printf("status %s: %v", u.ID, err)
				}
			}
		}))
	defer p.Close()

	now := time.Now().UTC()
	daytime := time.Date(now.Year(), now.Month(), now.Day(), 18, 0, 0, 0, time.UTC)
	if daytime.After(now) {
		daytime = daytime.Add(-24 * time.Hour)
	}
	shift = now.Sub(daytime)
	s, err := notify.New(p,
		notify.WithSnippets(snippets),
		notify.WithClock(func() time.Time { return time.Now().Add(-shift) }),
		notify.WithContactPoint(notify.ContactPoint{Name: "support", Numbers: []string{"+14155550100"}, Roles: []string{"support"}}),
		notify.WithContactPoint(notify.ContactPoint{Name: "billing", Numbers: []string{"+14155550101"}, Roles: []string{"billing"}}),
	)
	if err != nil {
		return err
	}
	svc.Store(s)
	defer s.Shutdown(context.Background())
	if _, err := s.CreateTopic(ctx, "", "deliveries", "Delivery updates"); err != nil {
		return err
	}
	// A notification scheduled for tomorrow and paused, for the resume step.
	held, err := s.Send(ctx, notify.Notification{From: "support", To: []string{"+14155552698"}, Body: "Spring sale starts tomorrow",
		SendAfter: time.Now().Add(-shift).Add(24 * time.Hour), Actor: notify.Actor{ID: "seed", Roles: []string{"support"}}})
	if err != nil {
		return err
	}
	if err := s.Pause(ctx, held.NotificationID, "held for legal review"); err != nil {
		return err
	}
	// Another, for the History page's list of paused notifications.
	listed, err := s.Send(ctx, notify.Notification{From: "support", To: []string{"+14155552697"}, Body: "Your loyalty points expire soon",
		SendAfter: time.Now().Add(-shift).Add(24 * time.Hour), Actor: notify.Actor{ID: "seed", Roles: []string{"support"}}})
	if err != nil {
		return err
	}
	if err := s.Pause(ctx, listed.NotificationID, "wrong segment list"); err != nil {
		return err
	}

	// The browser is the agent (role support) unless its e2e_as cookie
	// names another person: "viewer" has no role any contact point allows.
	h := console.New(s, console.WithTitle("Herald e2e"), console.WithSnippets(snippets), console.WithAuthenticator(func(r *http.Request) (notify.Actor, error) {
		if c, err := r.Cookie("e2e_as"); err == nil && c.Value == "viewer" {
			return notify.Actor{ID: "viewer@example.com", Roles: []string{"viewer"}}, nil
		}
		return notify.Actor{ID: "agent@example.com", Roles: []string{"support"}}, nil
	}))
	mux := http.NewServeMux()
	mux.Handle("/console/", http.StripPrefix("/console", h))
	// GET /e2e/paused is the id of the paused notification's message;
	// GET /e2e/listed the id of the other paused notification.
	mux.HandleFunc("GET /e2e/paused", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, held.Results[0].MessageID)
	})
	mux.HandleFunc("GET /e2e/listed", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, listed.NotificationID)
	})
	// POST /e2e/inbound from=...&body=... is a customer texting the support
	// number, as the provider's inbound webhook would deliver it.
	var inboundSeq atomic.Int64
	mux.HandleFunc("POST /e2e/inbound", func(w http.ResponseWriter, r *http.Request) {
		in := provider.Inbound{ID: fmt.Sprintf("in-%d", inboundSeq.Add(1)), From: r.FormValue("from"), To: "+14155550100", Body: r.FormValue("body")}
		if err := s.HandleInbound(r.Context(), in); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Printf("http://%s/console/\n", ln.Addr())
	go func() {
		<-ctx.Done()
		srv.Shutdown(context.Background())
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
