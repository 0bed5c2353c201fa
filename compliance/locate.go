package compliance

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// LocateFunc finds where a number rings. parsed may be nil; number is
// E.164. The default, LocateNumber, uses the phonenumbers time-zone and
// geocoding tables.
type LocateFunc func(number string, parsed *phonenumbers.PhoneNumber) (Location, error)

// LocateNumber derives a number's region, state or province and time
// zones from phonenumbers (GetRegionCodeForNumber, GetTimezonesForNumber,
// GetGeocodingForNumber). It is slow (microseconds, milliseconds on first
// use); a Policy caches its results per number prefix. The tables map
// area codes, not where the person is (LPN).
//
// For an area code whose territory spans time zones (SplitAreaCodes) the
// exchange-level answer of the phone-number data is not certain (2018
// data, none for overlays or newer exchanges), so Zones is every zone of
// the area code and the most restrictive reading wins, for every kind of
// message. A host that knows a number's zone for certain passes its own
// LocateFunc (WithLocator).
func LocateNumber(number string, parsed *phonenumbers.PhoneNumber) (Location, error) {
	n := parsed
	if n == nil {
		var err error
		if n, err = phonenumbers.Parse(number, ""); err != nil {
			return Location{}, fmt.Errorf("%w: %s: %v", ErrInvalidNumber, MaskNumber(number), err)
		}
	}
	loc := Location{Region: phonenumbers.GetRegionCodeForNumber(n)}
	if geo, err := phonenumbers.GetGeocodingForNumber(n, "en"); err == nil {
		loc.Subdivision = subdivision(loc.Region, geo)
	}
	if split := splitAreaCodeOfNANP(n.GetCountryCode(), n.GetNationalNumber()); split != nil {
		zs, err := splitZones(number, split)
		if err != nil {
			return Location{}, err
		}
		loc.Zones = zs
		return loc, nil
	}
	names, err := phonenumbers.GetTimezonesForNumber(n)
	if err != nil {
		return Location{}, fmt.Errorf("compliance: time zones of %s: %w", MaskNumber(number), err)
	}
	for _, name := range names {
		if name == phonenumbers.UNKNOWN_TIMEZONE {
			continue
		}
		z, err := time.LoadLocation(name)
		if err != nil {
			return Location{}, fmt.Errorf("compliance: time zone %q of %s: %w", name, MaskNumber(number), err)
		}
		loc.Zones = append(loc.Zones, z)
	}
	return loc, nil
}

// subdivision turns a geocoding description ("San Francisco, CA",
// "Florida", "Ontario") into a state or province code.
func subdivision(region, geo string) string {
	switch region {
	case "US":
		if code, ok := usStateNames[geo]; ok {
			return code
		}
		if i := strings.LastIndex(geo, ", "); i >= 0 && len(geo)-i-2 == 2 {
			return geo[i+2:]
		}
	case "CA":
		if code, ok := caProvinceNames[geo]; ok {
			return code
		}
		if i := strings.LastIndex(geo, ", "); i >= 0 && len(geo)-i-2 == 2 {
			return geo[i+2:]
		}
	}
	return ""
}

// locationPrefixLen is the cache key length: '+' and 7 digits, which is
// country code 1 plus area code and exchange (NPA-NXX) for North America,
// the deepest prefix the time-zone and US geocoding tables use.
const locationPrefixLen = 8

// locationCache memoises LocateFunc results per number prefix. It is
// bounded: when full, an arbitrary entry is evicted.
type locationCache struct {
	mu  sync.RWMutex
	m   map[string]locEntry
	max int
}

type locEntry struct {
	loc  Location
	rows [2][]int16 // QuietHours rows by Kind, for an unknown address state
}

func newLocationCache(max int) *locationCache {
	return &locationCache{m: make(map[string]locEntry), max: max}
}

func prefixKey(number string) string {
	if len(number) > locationPrefixLen {
		return number[:locationPrefixLen]
	}
	return number
}

// get returns the cached location for number and its quiet-hour rows,
// calling locate on a miss.
func (c *locationCache) get(number string, parsed *phonenumbers.PhoneNumber, locate LocateFunc, q *QuietHours) (locEntry, error) {
	key := prefixKey(number)
	c.mu.RLock()
	e, ok := c.m[key]
	c.mu.RUnlock()
	if ok {
		return e, nil
	}
	loc, err := locate(number, parsed)
	if err != nil {
		return locEntry{}, err // errors are not cached: a bad number says nothing about its prefix
	}
	e = locEntry{loc: loc, rows: [2][]int16{q.rows(&loc, "", Service), q.rows(&loc, "", Marketing)}}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.max > 0 && len(c.m) >= c.max {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[strings.Clone(key)] = e
	return e, nil
}

// len returns the number of cached prefixes.
func (c *locationCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
