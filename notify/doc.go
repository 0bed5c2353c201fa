// Package notify is Herald's core: the Service that takes a Notification
// from the host and answers with a Report, one Result per recipient.
//
// # From Notification to Report
//
// Send first refuses what cannot be sent at all (an actor the contact point
// does not allow, a disabled topic, a body that does not parse, a multipart
// body nobody acknowledged). It then builds one outbox row per recipient —
// the number normalised to E.164, the body rendered and measured in
// segments, duplicates and bad numbers already final — and writes the
// notification and all its rows to the Store before the first provider
// call. Workers claim rows from the outbox; for each row the throttle paces
// the send in segments, and then the last gate asks the compliance policy
// (consent, quiet hours, caps, content) at the moment of sending: a row the
// policy refuses is denied, one it holds is deferred to the time it names,
// and only an allowed row reaches the provider. The provider's answer
// becomes the row's outcome (sent, failed, or unknown when the provider may
// have taken it: never resent), and the Report is read back from the Store
// in input order. Send returns when every row is decided or deferred;
// deferred rows go out on their own while the Service runs, and Wait
// returns the final Report. Send is SendStream over a slice: one row
// builder, one acceptance (Send reads its whole list before it creates
// anything; a stream reads as sending goes, within a window); Plan runs the
// same decision step and records nothing.
//
// # Who runs a notification
//
// Each notification a Service runs has one owner, a goroutine that alone
// starts passes over its outbox rows, pauses, resumes and cancels it, and
// waits for its next deferral. Send, SendStream and Resume ask the owner to
// send and wait for its answer; Pause, Resume and Cancel are requests to it
// (or, when no owner runs here, writes to the store that the owners on other
// instances read at their next poll). ctx bounds a call's own work and wait:
// once accepted, a notification is the Service's, and when ctx ends its rows
// go on in the background. Host callbacks (OnResult, OnProgress, OnStatus,
// OnReply) are called from the workers, never under a lock, so they may call
// Pause, Cancel or Report. A callback must not wait for the notification it
// reports on to end (Wait, or Resume after another instance paused it):
// that end needs the callback's own worker, so the call would return only
// when its ctx ends.
//
// # Errors and reasons
//
// Every non-sent Result has one Reason code and one Err. The code is a
// pipeline code ("invalid_number", "daily_cap"), a compliance rule id
// ("consent.opted-out", "quiet.US-NY") or a provider reason with the
// provider's own code ("carrier_opted_out:21610"). Err satisfies errors.Is
// for the matching sentinel (ErrInvalidNumber, compliance.ErrOptedOut,
// provider.ErrOptedOut, provider.ErrAmbiguous, ...) and errors.As for its
// type, and a Result read back later (Report, Wait, an idempotent replay)
// satisfies exactly the same checks.
//
// # Options
//
// New takes functional options, grouped by what they configure:
//
//   - where state lives: WithStore, WithConsentStore, WithLogger, WithClock;
//   - the decision: WithPolicy, WithLookup, WithLookupTTL, WithLookupFailure,
//     WithDefaultRegion, WithClarifyingReplies;
//   - pacing and retries: WithThrottle, WithLimits, WithRetry,
//     WithConcurrency, WithLease, WithReputationGuard;
//   - the text: WithSnippets, WithSmartEncoding, WithoutEmoji, WithPricing;
//   - who sends from where: WithContactPoint, WithTopicsRequired;
//   - what comes back: WithStatusCallback, WithOnStatus, WithOnReply,
//     WithEarlyReceiptWindow;
//   - restarts and other instances: WithResumeOnStart, WithPollInterval;
//   - what an operator sees: WithMeterProvider, WithTracerProvider.
//
// New does no I/O. Start readies the store and resumes the work a stopped
// or crashed Service left; the first call that needs the store starts the
// Service otherwise. Shutdown drains and stops everything it started.
//
// # Shared state
//
// Consent, frequency caps and the duplicate guard live in the Store when it
// keeps them (MemoryStore and notify/sqlstore do), so Services sharing one
// store (instances on one database, or one Service after a restart) honour
// each other's opt-outs and caps. An opt-out recorded at time T is seen by
// every decision made after T; what can still go out after T is at most the
// provider calls already in flight.
package notify
