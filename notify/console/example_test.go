package console_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/console"
	"github.com/heraldsms/herald/provider/fake"
)

// Mount the console under /admin/sms/ behind the host's own sign-in.
func ExampleNew() {
	p := fake.New()
	defer p.Close()
	svc, err := notify.New(p, notify.WithContactPoint(notify.ContactPoint{Name: "support", Numbers: []string{"+14155550100"}}))
	if err != nil {
		panic(err)
	}
	defer svc.Shutdown(context.Background())

	signedIn := func(r *http.Request) (notify.Actor, error) {
		if r.Header.Get("Authorization") != "Bearer agent-token" { // the host's real check goes here
			return notify.Actor{}, errors.New("not signed in")
		}
		return notify.Actor{ID: "agent@example.com", Roles: []string{"support"}}, nil
	}
	mux := http.NewServeMux()
	mux.Handle("/admin/sms/", http.StripPrefix("/admin/sms", console.New(svc, console.WithAuthenticator(signedIn))))

	for _, auth := range []string{"", "Bearer agent-token"} {
		req := httptest.NewRequest(http.MethodGet, "/admin/sms/send", nil)
		req.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Header().Get("Content-Security-Policy") != "")
	}
	// Output:
	// 401 true
	// 200 true
}

// The root of the console redirects to its Send page, relative to wherever
// it is mounted.
func ExampleNew_prefix() {
	p := fake.New()
	defer p.Close()
	svc, _ := notify.New(p)
	defer svc.Shutdown(context.Background())
	h := console.New(svc, console.WithAuthenticator(func(*http.Request) (notify.Actor, error) {
		return notify.Actor{ID: "agent"}, nil
	}))
	srv := httptest.NewServer(http.StripPrefix("/ops/texts", h))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/ops/texts/")
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Request.URL.Path, resp.StatusCode)
	// Output: /ops/texts/send 200
}
