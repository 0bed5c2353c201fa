package throttle

import (
	"fmt"
	"sync"
	"time"
)

// SenderType is a kind of US sender number, which decides the carrier
// throughput and daily cap ([Preset]).
type SenderType int

// Sender types, with the figures [Preset] gives them (facts: Herald's
// compliance notes, section 5; AT&T meters 10DLC per campaign in TPM,
// T-Mobile caps segments per brand per day). Where a band straddles two
// carriers' bands the lower figure is used.
const (
	// LongCode is an ordinary long code whose registration is unknown;
	// treated like the most restricted registered kind (sole proprietor).
	LongCode SenderType = iota
	// SoleProprietor is a 10DLC sole-proprietor brand: 15 TPM (AT&T),
	// 1,000 segments per day (T-Mobile).
	SoleProprietor
	// LowVolumeMixed is a 10DLC low-volume mixed campaign: 75 TPM, brand
	// under 6,000 segments per day.
	LowVolumeMixed
	// TenDLCLow is 10DLC with trust score 1–49: 240 TPM (4 MPS), 2,000
	// segments per day (T-Mobile 1–25; 26–50 gets 10,000, see [TenDLC]).
	TenDLCLow
	// TenDLCMid is 10DLC with trust score 50–74: 2,400 TPM (40 MPS), 10,000
	// segments per day (score 50 is in T-Mobile's 26–50 band).
	TenDLCMid
	// TenDLCHigh is 10DLC with trust score 75–100: 4,500 TPM (75 MPS),
	// 40,000 segments per day (score 75 is in T-Mobile's 51–75 band).
	TenDLCHigh
	// TollFreeUnverified is a toll-free number without approved
	// verification: blocked by carriers since 31 Jan 2024 (errors 30032,
	// 30007).
	TollFreeUnverified
	// TollFreeVerified is a verified toll-free number: 3 MPS (Twilio default;
	// high-throughput 25–150, Telnyx 20), no daily cap known.
	TollFreeVerified
	// ShortCode is a short code: 100 MPS (Twilio default; Telnyx 1,000), no
	// daily cap known.
	ShortCode
)

var senderTypeNames = [...]string{
	LongCode:           "long code",
	SoleProprietor:     "10DLC sole proprietor",
	LowVolumeMixed:     "10DLC low-volume mixed",
	TenDLCLow:          "10DLC trust 1-49",
	TenDLCMid:          "10DLC trust 50-74",
	TenDLCHigh:         "10DLC trust 75-100",
	TollFreeUnverified: "toll-free unverified",
	TollFreeVerified:   "toll-free verified",
	ShortCode:          "short code",
}

// String returns a readable name such as "toll-free verified".
func (s SenderType) String() string {
	if s >= 0 && int(s) < len(senderTypeNames) {
		return senderTypeNames[s]
	}
	return fmt.Sprintf("SenderType(%d)", int(s))
}

// DefaultQueueWindow is how long a provider holds queued messages before
// expiring them: Twilio's default ValidityPeriod of 36,000 s (10 h).
const DefaultQueueWindow = 10 * time.Hour

// Profile is the carrier pacing of one sender type.
type Profile struct {
	// Type is the sender type this profile describes.
	Type SenderType
	// Throughput is the segment rate carriers admit. For 10DLC AT&T meters
	// it per campaign, so numbers sharing a campaign share it; for toll-free
	// and short codes it is per number. Burst is 1 (smooth pacing).
	Throughput Limit
	// DailyCap is the number of segments per brand per day (T-Mobile, reset
	// at midnight Pacific, shared across every platform the brand uses);
	// 0 means no known cap.
	DailyCap int
	// QueueWindow is how long the provider queues messages before expiring
	// them.
	QueueWindow time.Duration
	// Blocked reports that carriers refuse this sender type entirely.
	Blocked bool
}

// Preset returns the profile of sender type s. An unknown type gets the
// [LongCode] profile, the most conservative one.
func Preset(s SenderType) Profile {
	p := Profile{Type: s, QueueWindow: DefaultQueueWindow}
	switch s {
	case LowVolumeMixed:
		p.Throughput, p.DailyCap = PerMinute(75), 5999
	case TenDLCLow:
		p.Throughput, p.DailyCap = PerMinute(240), 2000
	case TenDLCMid:
		p.Throughput, p.DailyCap = PerMinute(2400), 10000
	case TenDLCHigh:
		p.Throughput, p.DailyCap = PerMinute(4500), 40000
	case TollFreeUnverified:
		p.Blocked = true
	case TollFreeVerified:
		p.Throughput = PerSecond(3)
	case ShortCode:
		p.Throughput = PerSecond(100)
	case SoleProprietor:
		p.Throughput, p.DailyCap = PerMinute(15), 1000
	default:
		p.Type = LongCode
		p.Throughput, p.DailyCap = PerMinute(15), 1000
	}
	return p
}

// TenDLC returns the profile of a 10DLC brand with the given trust score
// (1–100), combining AT&T's throughput band (1–49, 50–74, 75–100) with
// T-Mobile's daily-cap band (1–25: 2,000; 26–50: 10,000; 51–75: 40,000;
// 76–100: 200,000). Scores outside 1–100 are clamped.
func TenDLC(score int) Profile {
	score = min(max(score, 1), 100)
	var p Profile
	switch {
	case score >= 75:
		p = Preset(TenDLCHigh)
	case score >= 50:
		p = Preset(TenDLCMid)
	default:
		p = Preset(TenDLCLow)
	}
	switch {
	case score >= 76:
		p.DailyCap = 200000
	case score >= 51:
		p.DailyCap = 40000
	case score >= 26:
		p.DailyCap = 10000
	default:
		p.DailyCap = 2000
	}
	return p
}

// Err returns an error matching [ErrBlocked] when p.Blocked, else nil.
func (p Profile) Err() error {
	if p.Blocked {
		return fmt.Errorf("%w: %v", ErrBlocked, p.Type)
	}
	return nil
}

// DailyLimit returns the daily cap as a 24-hour [Quota], and false when the
// profile has no cap. Charge it on a [DailyKey] so it resets at midnight
// Pacific.
func (p Profile) DailyLimit() (Limit, bool) {
	if p.DailyCap <= 0 {
		return Limit{}, false
	}
	return Quota(p.DailyCap, 24*time.Hour), true
}

// Keys returns the keys a send from sender for brand is charged against at
// time t: the sender's throughput ("sender:"+sender) and, when the profile
// has one, the brand's daily cap on today's [DailyKey]. A blocked profile
// returns nil; check [Profile.Err] first.
func (p Profile) Keys(sender, brand string, t time.Time) []Key {
	if p.Blocked {
		return nil
	}
	keys := []Key{{Name: "sender:" + sender, Limit: p.Throughput}}
	if l, ok := p.DailyLimit(); ok {
		keys = append(keys, Key{Name: DailyKey("brand:"+brand, t), Limit: l})
	}
	return keys
}

// DailyKey returns name suffixed with the calendar day of t in US Pacific
// time ("brand:acme@2025-06-01"), the day T-Mobile's cap counts. If the
// time zone database is unavailable it falls back to UTC−8.
func DailyKey(name string, t time.Time) string {
	return name + "@" + t.In(pacific()).Format(time.DateOnly)
}

// DailyReset returns when the day of DailyKey(name, t) ends: the start of
// the next US Pacific calendar day, when a daily cap counts afresh.
func DailyReset(t time.Time) time.Time {
	loc := pacific()
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// pacific loads the US Pacific zone once; the result never changes.
var pacific = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		return time.FixedZone("PST", -8*3600)
	}
	return loc
})
