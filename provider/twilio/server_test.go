package twilio_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/providertest"
	"github.com/heraldsms/herald/provider/twilio"
)

const (
	testSID   = "AC00000000000000000000000000000001"
	testToken = "secret-token"
)

// scriptedServer answers the Messages API as script says, with Twilio's
// wire format for each outcome.
func scriptedServer(t *testing.T, script providertest.Script) *httptest.Server {
	var seq atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch script(r.PostForm.Get("To")) {
		case providertest.Accept:
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"sid":"SM%032d","status":"queued","num_segments":"1","price":null,"price_unit":"USD","error_code":null}`, seq.Add(1))
		case providertest.RateLimit:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}`)
		case providertest.ServerError:
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"code":20500,"message":"Internal Server Error","status":500}`)
		case providertest.InvalidNumber:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"code":21211,"message":"The 'To' number +14155550103 is not a valid phone number.","status":400}`)
		case providertest.OptedOut:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"code":21610,"message":"Attempt to send to unsubscribed recipient","status":400}`)
		case providertest.SenderRejected:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"code":21606,"message":"The From phone number +14155559999 is not a valid, SMS-capable inbound phone number or short code for your account.","status":400}`)
		case providertest.Hang:
			<-r.Context().Done()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestConformance(t *testing.T) {
	providertest.Run(t, func(t *testing.T, script providertest.Script) provider.Provider {
		srv := scriptedServer(t, script)
		return twilio.New(testSID, testToken, twilio.WithBaseURL(srv.URL), twilio.WithHTTPClient(srv.Client()))
	})
}
