package telnyx

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/heraldsms/herald/provider"
)

// ParsePublicKey reads the webhook public key exactly as the Telnyx portal
// shows it (Account Settings > Keys & Credentials > Public Key): the
// standard base64 of the raw 32-byte ed25519 key. Surrounding whitespace is
// ignored. Anything else (hex, PEM, a 64-byte private key, a truncated
// copy) is an error wrapping provider.ErrInvalidSignature, so a
// misconfigured key fails at start-up rather than rejecting every webhook.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("%w: empty public key", provider.ErrInvalidSignature)
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: public key is not base64: %w", provider.ErrInvalidSignature, err)
	}
	if len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: public key is %d bytes, want %d", provider.ErrInvalidSignature, len(raw), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(raw), nil
}
