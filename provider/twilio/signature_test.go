package twilio_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/heraldsms/herald/provider"
	"github.com/heraldsms/herald/provider/twilio"
)

// The published vector from Twilio's documentation and SDK tests.
var (
	vectorURL    = "https://mycompany.com/myapp.php?foo=1&bar=2"
	vectorToken  = "12345"
	vectorSig    = "vOEb5UThFn24KEfnOFLQY2AE5FY="
	vectorParams = url.Values{
		"Digits":                {"1234"},
		"CallSid":               {"CA1234567890ABCDE"},
		"To":                    {"+18005551212"},
		"Caller":                {"+14158675309"},
		"From":                  {"+14158675309"},
		"ReasonConferenceEnded": {"test"},
		"Reason":                {"Participant"},
	}
)

func TestSignaturePublishedVector(t *testing.T) {
	if got := twilio.Signature(vectorToken, vectorURL, vectorParams); got != vectorSig {
		t.Fatalf("Signature = %q, want %q", got, vectorSig)
	}
	if err := twilio.VerifySignature(vectorToken, vectorURL, vectorParams, vectorSig); err != nil {
		t.Fatalf("VerifySignature(published vector) = %v, want nil", err)
	}
}

func TestVerifySignatureDefaultPort(t *testing.T) {
	withPort := "https://mycompany.com:443/myapp.php?foo=1&bar=2"
	if err := twilio.VerifySignature(vectorToken, withPort, vectorParams, vectorSig); err != nil {
		t.Errorf("URL with :443 = %v, want nil", err)
	}
	sig := twilio.Signature(vectorToken, withPort, vectorParams)
	if err := twilio.VerifySignature(vectorToken, vectorURL, vectorParams, sig); err != nil {
		t.Errorf("signature over :443 URL, verified without port = %v, want nil", err)
	}
	other := "https://mycompany.com:8443/myapp.php?foo=1&bar=2"
	if err := twilio.VerifySignature(vectorToken, other, vectorParams, vectorSig); !errors.Is(err, provider.ErrInvalidSignature) {
		t.Errorf("URL with another port = %v, want ErrInvalidSignature", err)
	}
}

func TestVerifySignatureRejects(t *testing.T) {
	tampered := url.Values{}
	for k, v := range vectorParams {
		tampered[k] = v
	}
	tampered.Set("To", "+18005551213")
	extra := url.Values{}
	for k, v := range vectorParams {
		extra[k] = v
	}
	extra.Add("Digits", "9") // a second value under an existing key
	cases := map[string]struct {
		token, url string
		params     url.Values
		sig        string
	}{
		"tampered param":  {vectorToken, vectorURL, tampered, vectorSig},
		"repeated key":    {vectorToken, vectorURL, extra, vectorSig},
		"other URL":       {vectorToken, "https://mycompany.com/myapp.php?foo=1&bar=3", vectorParams, vectorSig},
		"wrong token":     {"54321", vectorURL, vectorParams, vectorSig},
		"empty signature": {vectorToken, vectorURL, vectorParams, ""},
		"garbage":         {vectorToken, vectorURL, vectorParams, "not base64!"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := twilio.VerifySignature(tc.token, tc.url, tc.params, tc.sig)
			if !errors.Is(err, provider.ErrInvalidSignature) {
				t.Fatalf("VerifySignature = %v, want ErrInvalidSignature", err)
			}
		})
	}
}

func TestSignatureRepeatedKeysSorted(t *testing.T) {
	// Every value of a repeated key counts, in sorted order, so the order
	// the values arrive in does not matter but each one does.
	a := url.Values{"MediaUrl": {"https://b.example/2", "https://a.example/1"}, "Body": {"hi"}}
	b := url.Values{"MediaUrl": {"https://a.example/1", "https://b.example/2"}, "Body": {"hi"}}
	one := url.Values{"MediaUrl": {"https://a.example/1"}, "Body": {"hi"}}
	u := "https://example.com/hook"
	if twilio.Signature("t", u, a) != twilio.Signature("t", u, b) {
		t.Error("signature depends on the order of a repeated key's values")
	}
	if twilio.Signature("t", u, a) == twilio.Signature("t", u, one) {
		t.Error("dropping a repeated value does not change the signature")
	}
	// The hand-computed string: URL + Body hi + MediaUrl a + MediaUrl b.
	if err := twilio.VerifySignature("t", u, a, twilio.Signature("t", u, b)); err != nil {
		t.Errorf("VerifySignature = %v", err)
	}
	// a's slice order is unchanged by signing
	if a["MediaUrl"][0] != "https://b.example/2" {
		t.Error("Signature reordered the caller's values")
	}
}

func TestVerifyBodySignature(t *testing.T) {
	body := []byte(`{"hello":"world"}`)
	// hex SHA-256 of body
	u := "https://example.com/hook?bodySHA256=93a23971a914e5eacbf0a8d25154cda309c3c1c72fbb9914d47c60f3cb681588"
	sig := twilio.Signature("tok", u, nil)
	if err := twilio.VerifyBodySignature("tok", u, body, sig); err != nil {
		t.Fatalf("VerifyBodySignature = %v, want nil", err)
	}
	if err := twilio.VerifyBodySignature("tok", u, []byte(`{"hello":"there"}`), sig); !errors.Is(err, provider.ErrInvalidSignature) {
		t.Fatalf("tampered body = %v, want ErrInvalidSignature", err)
	}
}
