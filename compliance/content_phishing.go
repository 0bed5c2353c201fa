package compliance

import (
	"net/netip"
	"strings"
)

// phishingPrompts are the credential and payment prompts of common SMS
// phishing: asking the reader to sign in, verify, confirm or pay.
var phishingPrompts = newPhraseSet(
	"verify your account", "verify your identity", "verify your information", "confirm your identity", "confirm your account",
	"confirm your password", "confirm your card", "confirm your details", "update your billing", "update your payment",
	"update your card", "update your account", "payment details", "billing info", "payment failed", "payment declined",
	"unpaid", "outstanding toll", "toll notice", "pay now", "pay at", "pay here", "pay online", "pay the", "pay your",
	"make a payment", "payment due", "balance due", "overdue", "log in", "login", "sign in",
	"password", "pin", "ssn", "social security", "card number", "bank details", "account locked", "account is locked",
	"account has been suspended", "account suspended", "account will be closed", "locked", "frozen", "unusual activity",
	"suspicious activity", "claim your refund", "claim it", "restore access", "reactivate", "redelivery fee",
)

// matchPhishing flags a credential or payment prompt together with a link
// to a domain that is not the sender's (ContentContext.SenderDomains): a
// block. A link to a bare IP address or a punycode (look-alike) host with
// such a prompt is a block whatever the sender declared; with no sender
// domain declared any other link is a warning, since the policy cannot
// tell the sender's links from others.
func matchPhishing(sc *contentScan, body string, c ContentContext) []Violation {
	if len(sc.links) == 0 && !strings.Contains(body, "://") {
		return nil // no link (forEachURL finds none): nothing to flag
	}
	buf, ts := sc.buf, sc.ts
	prompt := ""
	for i := range ts {
		if n := phishingPrompts.at(buf, ts, i); n > 0 {
			prompt = string(buf[ts[i].start:ts[i+n-1].end])
			break
		}
	}
	if prompt == "" {
		return nil
	}
	// The first link (forEachURL's order) that is not the sender's.
	for _, l := range sc.links {
		if v, ok := phishingLink(l.host, l.start, l.end, prompt, c); ok {
			return []Violation{v}
		}
	}
	s := body
	for i := 0; i < len(s); {
		k := strings.Index(s[i:], "://")
		if k < 0 {
			break
		}
		hs := i + k + 3
		he := hs
		for he < len(s) && !isSpaceByte(s[he]) && strings.IndexByte("/?#:", s[he]) < 0 {
			he++
		}
		if host := s[hs:he]; isIPHost(host) {
			if v, ok := phishingLink(host, hs, he, prompt, c); ok {
				return []Violation{v}
			}
		}
		i = he
	}
	return nil
}

// phishingLink judges a link at [start, end) to host in a body with a
// credential or payment prompt: ok when it is not the sender's.
func phishingLink(host string, start, end int, prompt string, c ContentContext) (Violation, bool) {
	h := strings.ToLower(host)
	why := ""
	sev := SeverityBlock
	switch {
	case isIPHost(h):
		why = "a bare IP address"
	case strings.HasPrefix(h, "xn--") || strings.Contains(h, ".xn--"):
		why = "a punycode (look-alike) host"
	case len(c.SenderDomains) == 0:
		why, sev = "a host the sender has not declared (declare the sender's domains to deny this)", SeverityWarning
	case !ownDomain(h, c.SenderDomains):
		why = "a domain that is not the sender's (" + strings.Join(c.SenderDomains, ", ") + ")"
	default:
		return Violation{}, false
	}
	return Violation{Span: Span{start, end}, Severity: sev,
		Text: "credential or payment prompt " + quote(prompt) + " with a link to " + quote(host) + ", " + why}, true
}

// ownDomain reports whether host is one of domains or a subdomain of one.
func ownDomain(host string, domains []string) bool {
	for _, d := range domains {
		d = strings.ToLower(strings.TrimPrefix(d, "."))
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

func isIPHost(h string) bool {
	h = strings.Trim(h, "[]")
	_, err := netip.ParseAddr(h)
	return err == nil
}
