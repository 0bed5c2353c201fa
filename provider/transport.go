package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

// DoHTTP sends req with client (http.DefaultClient when nil) and classifies
// a transport failure as a *Error for providerName:
//
//   - the request was never completely written (connection refused, DNS
//     failure, ctx done before sending): RejectedRetryable, wrapping
//     ErrNotSent;
//   - the request was written but no response arrived (timeout, reset):
//     Ambiguous, wrapping ErrTimeout or ErrConnectionLost.
//
// The underlying error stays in the chain, so errors.Is(err,
// context.Canceled) keeps working. DoHTTP tells "written" from "not
// written" with an httptrace.ClientTrace hook; any trace already on the
// request's context keeps receiving its events. A response, whatever its
// status, is returned as is for the adapter to map.
func DoHTTP(client *http.Client, req *http.Request, providerName string) (*http.Response, error) {
	if client == nil {
		client = http.DefaultClient
	}
	var written atomic.Bool
	trace := &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				written.Store(true)
			}
		},
	}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := client.Do(req)
	if err != nil {
		return nil, TransportError(providerName, err, written.Load())
	}
	return resp, nil
}

// TransportError classifies err, a failure to get a complete response, for
// providerName. written says whether the whole request had been written to
// the connection: if not, nothing was sent and the error is
// RejectedRetryable; if so (or when reading the response body failed), the
// provider may have accepted the message and the error is Ambiguous. A
// refused connection is RejectedRetryable even when written is true.
func TransportError(providerName string, err error, written bool) *Error {
	if errors.Is(err, syscall.ECONNREFUSED) || !written {
		return &Error{Provider: providerName, Class: RejectedRetryable, Err: fmt.Errorf("%w: %w", ErrNotSent, err)}
	}
	reason := ErrConnectionLost
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		reason = ErrTimeout
	}
	return &Error{Provider: providerName, Class: Ambiguous, Err: fmt.Errorf("%w: %w", reason, err)}
}

// ParseRetryAfter interprets a Retry-After header value, either delay
// seconds ("120") or an HTTP date, relative to now. It returns 0 when v is
// empty, malformed or in the past.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if d := t.Sub(now); d > 0 {
		return d
	}
	return 0
}

// StatusError classifies an HTTP error status that an adapter could not map
// to a more specific provider code: 429 is RejectedRetryable (ErrRateLimited,
// with RetryAfter from header), 5xx Ambiguous (ErrUnavailable), 401/403
// Permanent (ErrAuth) and any other status Permanent (ErrInvalidRequest).
func StatusError(providerName string, status int, header http.Header, now time.Time) *Error {
	e := &Error{Provider: providerName, HTTPStatus: status}
	switch {
	case status == http.StatusTooManyRequests:
		e.Class, e.Err = RejectedRetryable, ErrRateLimited
		e.RetryAfter = ParseRetryAfter(header.Get("Retry-After"), now)
	case status >= 500:
		e.Class, e.Err = Ambiguous, ErrUnavailable
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Class, e.Err = Permanent, ErrAuth
	default:
		e.Class, e.Err = Permanent, ErrInvalidRequest
	}
	return e
}
