package main

import (
	"fmt"
	"time"
)

// demoClock is the clock the demo's Service reads. With start zero it is
// the machine's clock, as in production. Otherwise it starts at start and
// runs at real speed from the moment it was made (real is the machine's
// clock, a parameter so tests can set it): quiet hours are then judged at
// start's hour whatever the hour where the demo runs. The -clock flag sets
// start, so the demo contacts in New York and Chicago can be texted from a
// European morning, when it is night for them and Herald defers their texts.
func demoClock(start time.Time, real func() time.Time) func() time.Time {
	if start.IsZero() {
		return real
	}
	origin := real()
	return func() time.Time { return start.Add(real().Sub(origin)) }
}

// parseClock reads the -clock flag: "" (the machine's clock), an RFC 3339
// time ("2025-06-04T18:00:00Z"), or a UTC time of day ("18:00") on the
// real clock's date.
func parseClock(s string, real func() time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("15:04", s); err == nil {
		y, m, d := real().UTC().Date()
		return time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, time.UTC), nil
	}
	return time.Time{}, fmt.Errorf("-clock %q: want an RFC 3339 time (2025-06-04T18:00:00Z) or a UTC time of day (18:00)", s)
}
