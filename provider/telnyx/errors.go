package telnyx

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/heraldsms/herald/provider"
)

type apiErrors struct {
	Errors []struct {
		Code   string `json:"code"`
		Title  string `json:"title"`
		Detail string `json:"detail"`
	} `json:"errors"`
}

// apiError maps a non-2xx response: the HTTP status sets the class, then
// the first known Telnyx error code refines it (except on 5xx, which stays
// ambiguous).
func apiError(status int, header http.Header, body []byte, now time.Time) *provider.Error {
	e := provider.StatusError(Name, status, header, now)
	var doc apiErrors
	if json.Unmarshal(body, &doc) != nil || len(doc.Errors) == 0 {
		return e
	}
	first := doc.Errors[0]
	e.Code = first.Code
	if status < 500 {
		if class, reason, ok := codeClass(first.Code); ok {
			e.Class, e.Err = class, reason
		}
	}
	msg := first.Title
	if first.Detail != "" {
		msg += ": " + first.Detail
	}
	if msg != "" {
		e.Err = fmt.Errorf("%w: %s", e.Err, provider.MaskNumbersIn(msg))
	}
	return e
}

// codeClass maps Telnyx messaging error codes.
func codeClass(code string) (provider.Class, error, bool) {
	switch code {
	case "10011":
		return provider.RejectedRetryable, provider.ErrRateLimited, true
	case "40006":
		return provider.RejectedRetryable, provider.ErrUnreachable, true
	case "40002":
		return provider.RejectedRetryable, provider.ErrBlocked, true
	case "40001":
		return provider.Permanent, provider.ErrUnroutable, true
	case "40003":
		return provider.Permanent, provider.ErrBlocked, true
	case "40008":
		return provider.Permanent, provider.ErrUnreachable, true
	case "40300":
		return provider.Permanent, provider.ErrOptedOut, true
	case "10002", "10016":
		return provider.Permanent, provider.ErrInvalidNumber, true
	}
	return 0, nil, false
}

// codeReason maps an error code in a delivery event to its reason and
// whether Telnyx documents it as transient.
func codeReason(code string) (error, bool) {
	if class, reason, ok := codeClass(code); ok {
		return reason, class == provider.RejectedRetryable
	}
	return provider.ErrUnreachable, false
}
