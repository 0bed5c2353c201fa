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
		if class, reason, ok := sendErrorCode(b.Code); ok {
			e.Class, e.Err = class, reason
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

// sendErrorCode maps the error codes the Messages API answers a send with.
func sendErrorCode(code int) (provider.Class, error, bool) {
	switch code {
	case 20429:
		return provider.RejectedRetryable, provider.ErrRateLimited, true
	case 21611:
		return provider.RejectedRetryable, provider.ErrQueueFull, true
	case 21211:
		return provider.Permanent, provider.ErrInvalidNumber, true
	case 21610:
		return provider.Permanent, provider.ErrOptedOut, true
	case 21612:
		return provider.Permanent, provider.ErrUnroutable, true
	case 21614:
		return provider.Permanent, provider.ErrLandline, true
	case 21408:
		return provider.Permanent, provider.ErrGeoPermission, true
	case 20003, 20005:
		return provider.Permanent, provider.ErrAuth, true
	}
	return 0, nil, false
}

// callbackErrorCode maps the ErrorCode of a status callback: the reason,
// and whether Twilio documents it as transient.
func callbackErrorCode(code string) (reason error, retryable bool) {
	switch code {
	case "30001":
		return provider.ErrQueueFull, true
	case "30003":
		return provider.ErrUnreachable, true
	case "30004", "30007":
		return provider.ErrBlocked, false
	case "30005":
		return provider.ErrInvalidNumber, false
	case "30006":
		return provider.ErrLandline, false
	case "21610":
		return provider.ErrOptedOut, false
	case "", "0":
		return nil, false
	}
	return provider.ErrUnreachable, false
}
