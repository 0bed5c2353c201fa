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
