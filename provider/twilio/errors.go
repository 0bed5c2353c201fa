package twilio

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/heraldsms/herald/provider"
)

// apiErrorBody is Twilio's error document.
type apiErrorBody struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
}

// apiError maps a non-2xx response. The HTTP status sets the class first
// (429 retryable, 5xx ambiguous, other 4xx permanent), then a known Twilio
// code refines it. Non-JSON bodies (a proxy's HTML 503) fall back to the
// status alone.
func apiError(status int, header http.Header, body []byte, now time.Time) *provider.Error {
	e := provider.StatusError(Name, status, header, now)
	var b apiErrorBody
	if json.Unmarshal(body, &b) != nil || b.Code == 0 {
		return e
	}
	e.Code = strconv.Itoa(b.Code)
	if status < 500 {
		if info, ok := lookupCode(b.Code); ok {
			e.Class, e.Err, e.Detail = info.class, info.reason, info.text
			if b.Message == "" {
				b.Message = info.text
			}
			if b.Code == 20429 {
				e.RetryAfter = provider.ParseRetryAfter(header.Get("Retry-After"), now)
			}
		}
	}
	if b.Message != "" {
		e.Err = fmt.Errorf("%w: %s", e.Err, provider.MaskNumbersIn(b.Message))
	}
	return e
}

// callbackCode maps the ErrorCode of a status callback to what it means
// (codes.go); info.reason is nil for no code. A code not in the table reads
// as provider.ErrUnreachable, not retryable.
func callbackCode(code string) codeInfo {
	if code == "" || code == "0" {
		return codeInfo{}
	}
	if n, err := strconv.Atoi(code); err == nil {
		if info, ok := lookupCode(n); ok {
			return info
		}
	}
	return codeInfo{class: provider.Permanent, reason: provider.ErrUnreachable}
}
