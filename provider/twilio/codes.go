package twilio

import "github.com/heraldsms/herald/provider"

// This file is the one place Twilio error codes are mapped. The source is
// Twilio's error and warning dictionary, https://www.twilio.com/docs/api/errors
// (one page per code, https://www.twilio.com/docs/api/errors/<code>).
//
// Checked against the dictionary pages: 21606, 21601, 21661 (From not
// message-capable), 30022 (10DLC rate limits), 30024 (numeric sender ID not
// provisioned). Codes marked "unverified" are Twilio's published names as
// remembered, not re-read from the dictionary while writing this table.

// codeInfo is what one Twilio code means.
type codeInfo struct {
	class  provider.Class // for an API error; in a callback, RejectedRetryable means "try again later"
	reason error          // the provider sentinel
	text   string         // what happened and, for sender faults, what to fix
}

// lookupCode returns what code means, and false for codes not in the table.
func lookupCode(code int) (codeInfo, bool) {
	const (
		retry = provider.RejectedRetryable
		perm  = provider.Permanent
	)
	switch code {
	// Answers to a send (the Messages API).
	case 20429:
		return codeInfo{retry, provider.ErrRateLimited, "too many requests"}, true
	case 21611:
		return codeInfo{retry, provider.ErrQueueFull, "the From number's queue is full"}, true
	case 20003:
		return codeInfo{perm, provider.ErrAuth, "authentication failed: check the account SID and auth token or API key"}, true
	case 20005:
		return codeInfo{perm, provider.ErrAuth, "the account is not active"}, true
	case 21211:
		return codeInfo{perm, provider.ErrInvalidNumber, "invalid To number"}, true
	case 21610:
		return codeInfo{perm, provider.ErrOptedOut, "the recipient replied STOP to this sender"}, true
	case 21612:
		return codeInfo{perm, provider.ErrUnroutable, "the To number cannot be reached from this From number"}, true
	case 21614:
		return codeInfo{perm, provider.ErrLandline, "the To number is not a mobile number"}, true
	case 21408:
		return codeInfo{perm, provider.ErrGeoPermission, "sending to this region is not enabled: enable it in the account's messaging geo permissions"}, true
	case 21606:
		return codeInfo{perm, provider.ErrSender, "the From number is not a message-capable Twilio number for this destination or account: use an SMS-capable number on this account"}, true
	case 21601:
		return codeInfo{perm, provider.ErrSender, "the From number is not an SMS-capable number on this account: send from a number bought from or ported to Twilio"}, true
	case 21661:
		return codeInfo{perm, provider.ErrSender, "the From number is not SMS-capable: send from an SMS-capable number"}, true
	case 21212: // unverified
		return codeInfo{perm, provider.ErrSender, "invalid From number: check the sender's format and that it belongs to the account"}, true

	// Delivery failures reported in status callbacks (ErrorCode).
	case 30001:
		return codeInfo{retry, provider.ErrQueueFull, "queue overflow: messages were queued faster than the sender's rate"}, true
	case 30002: // unverified
		return codeInfo{perm, provider.ErrSender, "account suspended: contact Twilio support"}, true
	case 30003:
		return codeInfo{retry, provider.ErrUnreachable, "the destination handset is unreachable"}, true
	case 30004:
		return codeInfo{perm, provider.ErrBlocked, "message blocked for this recipient"}, true
	case 30005:
		return codeInfo{perm, provider.ErrInvalidNumber, "unknown destination handset"}, true
	case 30006:
		return codeInfo{perm, provider.ErrLandline, "landline or unreachable carrier"}, true
	case 30007:
		return codeInfo{perm, provider.ErrFiltered, "message filtered by the carrier (spam or content)"}, true
	case 30022:
		return codeInfo{retry, provider.ErrSender, "US A2P 10DLC rate limits exceeded: slow down to the campaign's approved rate"}, true
	case 30023: // unverified
		return codeInfo{retry, provider.ErrSender, "US A2P 10DLC daily message cap reached: wait for the cap to reset or raise the brand's limit"}, true
	case 30024:
		return codeInfo{perm, provider.ErrSender, "numeric sender ID not provisioned on the carrier: finish the sender's registration or provisioning"}, true
	case 30027: // unverified
		return codeInfo{retry, provider.ErrSender, "US A2P 10DLC T-Mobile daily message limit reached: wait for the limit to reset"}, true
	case 30032: // unverified
		return codeInfo{perm, provider.ErrSender, "toll-free number has not been verified: submit toll-free verification"}, true
	case 30034: // unverified
		return codeInfo{perm, provider.ErrSender, "US A2P 10DLC message from an unregistered number: register the number with an A2P 10DLC campaign"}, true
	}
	return codeInfo{}, false
}
