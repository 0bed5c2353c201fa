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
		if info, ok := lookupCode(first.Code); ok {
			e.Class, e.Err, e.Detail = info.class, info.reason, info.text
			if first.Title == "" && first.Detail == "" {
				first.Title = info.text
			}
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

// eventCode maps an error code in a delivery event to what it means
// (codes.go). A code not in the table reads as provider.ErrUnreachable, not
// retryable.
func eventCode(code string) codeInfo {
	if info, ok := lookupCode(code); ok {
		return info
	}
	return codeInfo{class: provider.Permanent, reason: provider.ErrUnreachable}
}
