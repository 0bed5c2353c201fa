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

// Store is a throttle.Store and throttle.Refunder on Redis. It is safe for
// concurrent use; several processes with Stores on the same server and
// prefix share every limit.
type Store struct {
	client redis.Scripter
	prefix string
}

var (
	_ throttle.Store    = (*Store)(nil)
	_ throttle.Refunder = (*Store)(nil)
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
	if err := check(key, limit, n); err != nil {
		return throttle.Result{}, err
	}
	if limit.IsInf() {
		return throttle.Result{Allowed: true, Remaining: math.MaxInt}, nil
	}
	vals, err := s.run(ctx, "a", key, limit, n)
	if err != nil {
		return throttle.Result{}, err
	}
	return throttle.Result{
		Allowed:    vals[0] == 1,
		Remaining:  int(vals[1]),
		RetryAfter: time.Duration(vals[2]) * time.Microsecond,
		ResetAfter: time.Duration(vals[3]) * time.Microsecond,
	}, nil
}

// RefundN implements throttle.Refunder: it gives back n events to key,
// never beyond the limit's burst.
func (s *Store) RefundN(ctx context.Context, key string, limit throttle.Limit, n int) error {
	if err := check(key, limit, n); err != nil {
		return err
	}
	if limit.IsInf() || n == 0 {
		return nil
	}
	_, err := s.run(ctx, "r", key, limit, n)
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

func (s *Store) run(ctx context.Context, mode, key string, limit throttle.Limit, n int) ([]int64, error) {
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
	).Int64Slice()
	if err != nil {
		return nil, fmt.Errorf("redisstore: key %q: %w", throttle.MaskKey(key), err)
	}
	if len(vals) != 4 {
		return nil, fmt.Errorf("redisstore: key %q: script returned %d values, want 4", throttle.MaskKey(key), len(vals))
	}
	return vals, nil
}
