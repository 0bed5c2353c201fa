package telnyx_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/telnyx"
)

func TestOptOutEvidence(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusConflict)
		io.WriteString(w, `{"errors":[{"code":"40300","title":"Blocked due to STOP message","detail":"Messages cannot be sent from +14155550000 to +14155550001 due to an existing block rule."}]}`)
	}))
	defer srv.Close()
	_, err := telnyx.New("k", telnyx.WithBaseURL(srv.URL)).Send(t.Context(),
		provider.Message{From: "+14155550000", To: "+14155550001", Body: "x"})
	var pe *provider.Error
	if !errors.Is(err, provider.ErrOptedOut) || !errors.As(err, &pe) || pe.Provider != "telnyx" || pe.Code != "40300" || pe.HTTPStatus != 409 {
		t.Fatalf("err = %#v, want ErrOptedOut from telnyx with code 40300 and HTTP 409", err)
	}
	if pe.Fault() != provider.FaultRecipient || provider.SafeToTryElsewhere(err) {
		t.Errorf("fault %v, safe elsewhere %v; want recipient, false", pe.Fault(), provider.SafeToTryElsewhere(err))
	}
	if pe.Detail == "" {
		t.Error("opt-out error without Detail")
	}
	if strings.Contains(err.Error(), "+14155550001") {
		t.Errorf("error text shows the number unmasked: %v", err)
	}
}

func TestEventCodes(t *testing.T) {
	cases := []struct {
		code      string
		reason    error
		fault     provider.Fault
		retryable bool
	}{
		{"40002", provider.ErrFiltered, provider.FaultFiltered, true},
		{"40015", provider.ErrFiltered, provider.FaultFiltered, false},
		{"40003", provider.ErrSenderBlocked, provider.FaultSender, false},
		{"40013", provider.ErrSender, provider.FaultSender, false},
		{"40011", provider.ErrSender, provider.FaultSender, true},
		{"40010", provider.ErrSender, provider.FaultSender, false},
		{"40300", provider.ErrOptedOut, provider.FaultRecipient, false},
		{"40012", provider.ErrInvalidNumber, provider.FaultRecipient, false},
		{"40006", provider.ErrUnreachable, provider.FaultRecipient, true},
		{"40014", provider.ErrQueueFull, provider.FaultProvider, true},
		{"49999", provider.ErrUnreachable, provider.FaultRecipient, false}, // not in the table
	}
	for _, tc := range cases {
		body := `{"data":{"event_type":"message.finalized","id":"e","payload":{"id":"m","to":[{"phone_number":"+14155550001","status":"delivery_failed"}],"errors":[{"code":"` + tc.code + `"}]}}}`
		ev, err := telnyx.ParseEvent([]byte(body))
		if err != nil || ev.Status == nil {
			t.Fatalf("%s: %v", tc.code, err)
		}
		u := *ev.Status
		if u.Err != tc.reason || u.Fault() != tc.fault || u.Retryable != tc.retryable {
			t.Errorf("%s: Err %v fault %v retryable %v; want %v, %v, %v", tc.code, u.Err, u.Fault(), u.Retryable, tc.reason, tc.fault, tc.retryable)
		}
		if tc.code != "49999" && u.Detail == "" {
			t.Errorf("%s: no Detail", tc.code)
		}
	}
}
