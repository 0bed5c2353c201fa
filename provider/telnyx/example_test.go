package telnyx_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/telnyx"
)

func Example() {
	// A stand-in for api.telnyx.com.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"data":{"id":"msg-1","to":[{"status":"queued"}],"parts":1}}`)
	}))
	defer srv.Close()

	p := telnyx.New("KEY...", telnyx.WithBaseURL(srv.URL))
	r, err := p.Send(context.Background(), provider.Message{From: "+14155550000", To: "+14155550001", Body: "Your order shipped"})
	fmt.Println(r.ID, r.Status, err)
	// Output: msg-1 queued <nil>
}

func ExampleParsePublicKey() {
	// The key as the portal shows it (this one is the all-zero seed's).
	key, err := telnyx.ParsePublicKey("O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=")
	if err != nil {
		fmt.Println(err)
		return
	}
	h := telnyx.NewWebhookHandler(key, telnyx.OnStatus(func(ctx context.Context, u provider.StatusUpdate) error {
		fmt.Println(u.ID, u.Status, u.Fault())
		return nil
	}))
	_ = h // mount it: http.Handle("/webhooks/telnyx", h)
	fmt.Println(len(key))
	// Output: 32
}
