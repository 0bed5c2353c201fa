package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/heraldsms/herald/compliance"
)

// prefix is a numbering range in one time zone: prefix followed by any four
// digits is a valid number there.
type prefix struct {
	Prefix string // "+1212555"
	Place  string // "New York"
}

// prefixes span the globe, so at any hour some are in daytime and some at
// night. The US 555 ranges and the UK's 020 7946 range are reserved for
// fiction; the others are ordinary-looking ranges no test will ever reach.
var prefixes = []prefix{
	{"+1212555", "New York"}, {"+1312555", "Chicago"}, {"+1303555", "Denver"},
	{"+1415555", "San Francisco"}, {"+1907555", "Anchorage"}, {"+1808555", "Honolulu"},
	{"+44207946", "London"}, {"+4930123", "Berlin"}, {"+91987654", "Mumbai"},
	{"+8131234", "Tokyo"}, {"+6129123", "Sydney"}, {"+649301", "Auckland"},
}

// zoneMargin is how long a chosen zone must stay in daytime (or night) so
// the run's composition cannot change while it sends.
const zoneMargin = 2 * time.Hour

// zonePick is the prefix chosen for each token of the bundled list.
type zonePick struct {
	Daytime, Night prefix
}

// pickZones chooses, at now, a prefix where service texts are allowed for
// the next zoneMargin and one where quiet hours hold for at least as long,
// asking the same compliance policy the Service uses.
func pickZones(p *compliance.Policy, now time.Time) (zonePick, error) {
	var z zonePick
	var day, night bool
	for _, c := range prefixes {
		n := c.Prefix + "0000"
		a, err := p.NextAllowed(n, compliance.Service, now)
		if err != nil {
			return z, err
		}
		b, err := p.NextAllowed(n, compliance.Service, now.Add(zoneMargin))
		if err != nil {
			return z, err
		}
		switch {
		case !day && a.Equal(now) && b.Equal(now.Add(zoneMargin)):
			z.Daytime, day = c, true
		case !night && a.Sub(now) > zoneMargin:
			z.Night, night = c, true
		}
	}
	if !day || !night {
		return z, fmt.Errorf("no time zone in daytime and night at %s", now.Format(time.RFC3339))
	}
	return z, nil
}

// expand replaces a {daytime} or {night} token with the chosen prefix.
func (z zonePick) expand(s string) string {
	s = strings.Replace(s, "{daytime}", z.Daytime.Prefix, 1)
	return strings.Replace(s, "{night}", z.Night.Prefix, 1)
}
