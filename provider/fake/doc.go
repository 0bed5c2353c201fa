// Package fake is a scriptable in-memory [provider.Provider] for tests and
// examples.
//
// A fake records every message, assigns ids ("fake-1", "fake-2", ...), and
// can be scripted to fail the Nth send, fail a given number, reject a
// seeded fraction of sends with HTTP 429 and Retry-After, time out
// ambiguously, add latency (which respects ctx and holds no lock), emit
// delivery receipts and inbound replies after a delay, and report line
// types.
//
// Every error class the real adapters report can be scripted: the
// constructors RateLimited, QueueFull, Refused, Timeout, Unavailable,
// Permanent, OptedOut, SenderRejected, Filtered and AuthFailed, given to
// FailNth, FailNumber, WithError (every send) or returned from a Rule; and
// UndeliveredWith gives a delivery receipt any reason (provider.ErrFiltered,
// provider.ErrSender, provider.ErrOptedOut), so its Fault() is what a real
// adapter's would be. It is safe for concurrent use and works inside testing/synctest
// bubbles. Call Close to stop the timers it started.
//
// Messages whose send failed ambiguously are recorded as sent: the fake
// assumes the worst (the text went out), so a test catches a caller that
// retries an ambiguous failure and texts someone twice.
package fake
