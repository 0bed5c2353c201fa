// Package throttletest holds the conformance suite every throttle.Store
// passes. Its cases use real time with short, bounded periods, so they run
// against stores on a server clock (Redis) as well as in-memory ones.
package throttletest
