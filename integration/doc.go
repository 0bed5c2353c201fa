// Package integration holds Herald's tests against real servers:
// notify/sqlstore on PostgreSQL (the Store and consent-store conformance
// suites) and several Services sharing one PostgreSQL database and one
// Redis throttle store. It is its own module so the root module does not
// depend on go-redis.
//
// The tests read HERALD_POSTGRES_DSN and HERALD_REDIS_ADDR, which `make
// test` sets after starting throwaway servers; they fail, never skip, when
// either is unset.
package integration
