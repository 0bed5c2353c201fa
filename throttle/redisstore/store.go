package redisstore

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/heraldsms/herald/throttle"
	"github.com/redis/go-redis/v9"
)

// DefaultPrefix is prepended to every key name unless WithPrefix says
// otherwise.
const DefaultPrefix = "herald:throttle:"

// Store is a throttle.Store, throttle.Refunder and throttle.Reserver on
// Redis. It is safe for
// concurrent use; several processes with Stores on the same server and
// prefix share every limit.
type Store struct {
	client redis.Scripter
	prefix string
}

var (
	_ throttle.Store    = (*Store)(nil)
	_ throttle.Refunder = (*Store)(nil)
	_ throttle.Reserver = (*Store)(nil)
)

// Option configures a Store.
type Option func(*Store)

// WithPrefix sets the prefix of every Redis key the store writes; the
// default is DefaultPrefix. Stores with different prefixes share nothing.
func WithPrefix(prefix string) Option { return func(s *Store) { s.prefix = prefix } }

// New returns a Store using client: a *redis.Client, *redis.ClusterClient
// or *redis.Ring (each script touches one key). The caller owns the client
// and closes it.
func New(client redis.Scripter, opts ...Option) *Store {
	s := &Store{client: client, prefix: DefaultPrefix}
	for _, o := range opts {
		o(s)
	}
	return s
}

// AllowN implements throttle.Store with one script call on the server
// clock.
func (s *Store) AllowN(ctx context.Context, key string, limit throttle.Limit, n int) (throttle.Result, error) {
	r, err := s.ReserveN(ctx, key, limit, n, 0, 0)
	r.Delay, r.Mark = 0, 0
	return r, err
}

// ReserveN implements throttle.Reserver with one script call on the server
// clock: Result.Delay counts from the server's now. Delays and marks are in
// whole microseconds.
func (s *Store) ReserveN(ctx context.Context, key string, limit throttle.Limit, n int, earliest, latest time.Duration) (throttle.Result, error) {
	if err := check(key, limit, n); err != nil {
		return throttle.Result{}, err
	}
	earliest = max(earliest, 0)
	latest = max(latest, earliest)
	if limit.IsInf() {
		return throttle.Result{Allowed: true, Remaining: math.MaxInt, Delay: earliest}, nil
	}
	vals, err := s.run(ctx, "v", key, limit, n, earliest, latest, 0)
	if err != nil {
		return throttle.Result{}, err
	}
	return throttle.Result{
		Allowed:    vals[0] == 1,
		Remaining:  int(vals[1]),
		RetryAfter: time.Duration(vals[2]) * time.Microsecond,
		ResetAfter: time.Duration(vals[3]) * time.Microsecond,
		Delay:      time.Duration(vals[4]) * time.Microsecond,
		Mark:       vals[5],
	}, nil
}

// RefundN implements throttle.Refunder: it gives back n events to key,
// never beyond the limit's burst.
func (s *Store) RefundN(ctx context.Context, key string, limit throttle.Limit, n int) error {
	return s.giveBack(ctx, "r", key, limit, n, 0)
}

// CancelN implements throttle.Reserver: it gives back the part of a
// reservation nobody has reserved behind.
func (s *Store) CancelN(ctx context.Context, key string, limit throttle.Limit, n int, r throttle.Result) error {
	return s.giveBack(ctx, "c", key, limit, n, r.Mark)
}

func (s *Store) giveBack(ctx context.Context, mode, key string, limit throttle.Limit, n int, mark int64) error {
	if err := check(key, limit, n); err != nil {
		return err
	}
	if limit.IsInf() || n == 0 {
		return nil
	}
	_, err := s.run(ctx, mode, key, limit, n, 0, 0, mark)
	return err
}

func check(key string, limit throttle.Limit, n int) error {
	if n < 0 {
		return fmt.Errorf("redisstore: key %q: %w: %d", throttle.MaskKey(key), throttle.ErrInvalidCount, n)
	}
	if err := limit.Validate(); err != nil {
		return fmt.Errorf("redisstore: key %q: %w", throttle.MaskKey(key), err)
	}
	return nil
}

func (s *Store) run(ctx context.Context, mode, key string, limit throttle.Limit, n int, earliest, latest time.Duration, mark int64) ([]int64, error) {
	interval := 0.0 // microseconds per event; 0 selects the quota counter
	if !limit.IsQuota() {
		interval = float64(limit.EffectivePeriod()) / float64(time.Microsecond) / limit.Rate
	}
	windowMS := max(limit.EffectivePeriod().Milliseconds(), 1)
	vals, err := gcraScript.Run(ctx, s.client, []string{s.prefix + key},
		mode,
		strconv.FormatFloat(interval, 'f', 3, 64),
		limit.EffectiveBurst(),
		n,
		windowMS,
		earliest.Microseconds(),
		latest.Microseconds(),
		mark,
	).Int64Slice()
	if err != nil {
		return nil, fmt.Errorf("redisstore: key %q: %w", throttle.MaskKey(key), err)
	}
	if len(vals) != 6 {
		return nil, fmt.Errorf("redisstore: key %q: script returned %d values, want 6", throttle.MaskKey(key), len(vals))
	}
	return vals, nil
}
