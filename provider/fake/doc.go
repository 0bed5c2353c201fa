// Package fake is a scriptable in-memory [provider.Provider] for tests and
// examples.
//
// A fake records every message, assigns ids ("fake-1", "fake-2", ...), and
// can be scripted to fail the Nth send, fail a given number, reject a
// seeded fraction of sends with HTTP 429 and Retry-After, time out
// ambiguously, add latency (which respects ctx and holds no lock), emit
// delivery receipts and inbound replies after a delay, and report line
// types. It is safe for concurrent use and works inside testing/synctest
// bubbles. Call Close to stop the timers it started.
//
// Messages whose send failed ambiguously are recorded as sent: the fake
// assumes the worst (the text went out), so a test catches a caller that
// retries an ambiguous failure and texts someone twice.
package fake
