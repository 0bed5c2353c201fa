// Package redisstore is a throttle.Store on Redis, so several application
// instances share one limit.
//
// Each check is one Lua script (GCRA, the generic cell rate algorithm, or a
// fixed-window counter for throttle.Quota limits) that reads the Redis
// server's clock with TIME, so instance clocks never matter. Keys carry a TTL
// equal to the time until they would be full again (or until the quota
// window closes) and vanish when idle.
//
// The store is a throttle.Reserver: a throttle.Limiter over it reserves each
// waiting send's instant on the server, and the next reservation follows
// from the previous one, so instances whose waiters wake late lose none of
// the shared limit.
//
// It lives in its own Go module so the core SDK does not depend on Redis.
package redisstore
