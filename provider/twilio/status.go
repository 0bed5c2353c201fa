package twilio

import "github.com/heraldsms/herald/provider"

// ParseStatus maps a Twilio message status word to a provider.Status.
// Unknown words map to provider.StatusUnknown.
func ParseStatus(s string) provider.Status {
	switch s {
	case "queued", "accepted", "scheduled":
		return provider.StatusQueued
	case "sending":
		return provider.StatusSending
	case "sent", "partially_delivered":
		return provider.StatusSent
	case "delivered", "read":
		return provider.StatusDelivered
	case "undelivered":
		return provider.StatusUndelivered
	case "failed":
		return provider.StatusFailed
	case "canceled":
		return provider.StatusCanceled
	}
	return provider.StatusUnknown
}
