package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"

	"github.com/heraldsms/herald/provider"
)

// Signature computes the X-Twilio-Signature Twilio sends for a request to
// fullURL with the POST parameters params: base64(HMAC-SHA1(authToken,
// fullURL + every key+value, keys sorted, each key's values sorted)).
// Repeated keys (MediaUrl0.., or any key sent twice) each contribute every
// value.
func Signature(authToken, fullURL string, params url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(fullURL))
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		vals := params[k]
		if len(vals) > 1 {
			vals = slices.Clone(vals)
			slices.Sort(vals)
		}
		for _, v := range vals {
			mac.Write([]byte(k))
			mac.Write([]byte(v))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks signature, the X-Twilio-Signature header of a
// request to fullURL with POST parameters params. Like Twilio's own
// libraries it accepts fullURL with or without the scheme's default port.
// It returns nil when the signature matches and an error wrapping
// provider.ErrInvalidSignature otherwise.
func VerifySignature(authToken, fullURL string, params url.Values, signature string) error {
	if signature == "" {
		return fmt.Errorf("%w: missing X-Twilio-Signature", provider.ErrInvalidSignature)
	}
	for _, u := range urlVariants(fullURL) {
		if subtle.ConstantTimeCompare([]byte(Signature(authToken, u, params)), []byte(signature)) == 1 {
			return nil
		}
	}
	return fmt.Errorf("%w: X-Twilio-Signature does not match %s", provider.ErrInvalidSignature, stripQuery(fullURL))
}

// VerifyBodySignature checks the signature of a request with a JSON body:
// Twilio signs the URL alone (params empty), and the URL's bodySHA256 query
// parameter must be the hex SHA-256 of body.
func VerifyBodySignature(authToken, fullURL string, body []byte, signature string) error {
	if err := VerifySignature(authToken, fullURL, nil, signature); err != nil {
		return err
	}
	u, err := url.Parse(fullURL)
	if err != nil {
		return fmt.Errorf("%w: %w", provider.ErrInvalidSignature, err)
	}
	sum := sha256.Sum256(body)
	want := hex.EncodeToString(sum[:])
	if got := u.Query().Get("bodySHA256"); subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return fmt.Errorf("%w: bodySHA256 does not match the body", provider.ErrInvalidSignature)
	}
	return nil
}

// urlVariants returns fullURL as given, plus the same URL with the default
// port added or removed.
func urlVariants(fullURL string) []string {
	u, err := url.Parse(fullURL)
	if err != nil || u.Host == "" {
		return []string{fullURL}
	}
	def := map[string]string{"https": "443", "http": "80"}[u.Scheme]
	if def == "" {
		return []string{fullURL}
	}
	alt := *u
	if u.Port() == "" {
		alt.Host = u.Host + ":" + def
	} else if u.Port() == def {
		alt.Host = u.Hostname()
	} else {
		return []string{fullURL}
	}
	return []string{fullURL, alt.String()}
}

func stripQuery(fullURL string) string {
	if u, err := url.Parse(fullURL); err == nil {
		u.RawQuery = ""
		return u.String()
	}
	return "(unparsable URL)"
}
