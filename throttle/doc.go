// Package throttle paces outbound SMS to what carriers approved, counted in
// message segments.
//
// Carriers meter throughput in segments per second (or minute) per sender or
// campaign, cap daily volume per brand, and filter senders that burst.
// A send is charged its segment count against every [Key] that applies (the
// sender number, the campaign, the brand's daily cap, any host-defined key)
// through a [Limiter], which blocks until all keys admit it, orders
// transactional traffic ahead of bulk blasts ([Lane]) and fails fast when the
// caller's deadline is sooner than the wait.
//
// Limits are [Limit] values ([PerSecond], [PerMinute], [Per], [Quota],
// [Inf]); [Preset] returns the carrier profile of a US sender type (long
// code, 10DLC by trust tier, toll-free, short code). [Plan] estimates how long
// a blast takes, whether a daily cap splits it over several days, and how many
// senders would finish it in time.
//
// State lives in a [Store]: [MemoryStore] (GCRA buckets, the default) for
// one process, or the Redis store in the separate module
// github.com/heraldsms/herald/throttle/redisstore for many instances sharing
// one limit. Every store passes throttletest.TestStore. Both are
// [Reserver]s: a waiting send reserves its instant the way
// golang.org/x/time/rate does, so a waiter that wakes late (a busy machine)
// costs the limit no capacity.
package throttle
