package telnyx

import "github.com/heraldsms/herald/provider"

// This file is the one place Telnyx error codes are mapped. Sources:
//   - messaging errors (40xxx, in send answers and in message.finalized
//     events): https://developers.telnyx.com/docs/messaging/messages/error-codes
//     and one page per code, https://developers.telnyx.com/api/errors/<code>
//     (40300: "Blocked due to STOP message", HTTP 409);
//   - general API errors (10xxx): https://developers.telnyx.com/development/api-fundamentals/api-errors
//
// Checked against those pages: 10002, 10009, 10010, 10011, 10016, 40001 to
// 40006, 40008, 40009, 40011 to 40015, 40300. 40010 (a number not
// registered for 10DLC) is marked unverified: it is not in the parts of the
// dictionary that could be read while writing this table.

// codeInfo is what one Telnyx code means.
type codeInfo struct {
	class  provider.Class // for an API error; in an event, RejectedRetryable means "try again later"
	reason error          // the provider sentinel
	text   string         // what happened and, for sender faults, what to fix
}

// lookupCode returns what code means, and false for codes not in the table.
func lookupCode(code string) (codeInfo, bool) {
	const (
		retry = provider.RejectedRetryable
		perm  = provider.Permanent
	)
	switch code {
	case "10002":
		return codeInfo{perm, provider.ErrInvalidNumber, "invalid phone number"}, true
	case "10016":
		return codeInfo{perm, provider.ErrInvalidNumber, "phone number must be in +E.164 format"}, true
	case "10009":
		return codeInfo{perm, provider.ErrAuth, "authentication failed: check the API key"}, true
	case "10010":
		return codeInfo{perm, provider.ErrAuth, "authorization failed: the API key may not send from this resource"}, true
	case "10011":
		return codeInfo{retry, provider.ErrRateLimited, "too many requests"}, true
	case "40001":
		return codeInfo{perm, provider.ErrUnroutable, "not routable: the destination is a landline or a non-routable number"}, true
	case "40002":
		return codeInfo{retry, provider.ErrFiltered, "blocked as spam (temporary): reduce the sending rate and review the content"}, true
	case "40003":
		return codeInfo{perm, provider.ErrSenderBlocked, "blocked as spam (permanent): the sending number is blocked by the carrier; use another number or appeal"}, true
	case "40004":
		return codeInfo{retry, provider.ErrUnreachable, "rejected by the destination carrier"}, true
	case "40005":
		return codeInfo{retry, provider.ErrUnreachable, "message expired before delivery"}, true
	case "40006":
		return codeInfo{retry, provider.ErrUnreachable, "recipient unavailable: the recipient's carrier is down"}, true
	case "40008":
		return codeInfo{perm, provider.ErrUnreachable, "undeliverable: the carrier did not accept the message"}, true
	case "40009":
		return codeInfo{perm, provider.ErrInvalidRequest, "invalid message body"}, true
	case "40010": // unverified
		return codeInfo{perm, provider.ErrSender, "the sending number is not registered for 10DLC: assign it to an active 10DLC campaign"}, true
	case "40011":
		return codeInfo{retry, provider.ErrSender, "carrier throughput limit exceeded: reduce the sending rate to the campaign's limit"}, true
	case "40012":
		return codeInfo{perm, provider.ErrInvalidNumber, "the carrier rejected the destination number"}, true
	case "40013":
		return codeInfo{perm, provider.ErrSender, "invalid source number: check that the sending number is active and messaging-enabled"}, true
	case "40014":
		return codeInfo{retry, provider.ErrQueueFull, "expired in queue: sending outpaced the sender's throughput"}, true
	case "40015":
		return codeInfo{perm, provider.ErrFiltered, "blocked by Telnyx's internal spam filter"}, true
	case "40300":
		return codeInfo{perm, provider.ErrOptedOut, "the recipient sent STOP to this sender"}, true
	}
	return codeInfo{}, false
}
