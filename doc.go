// Package herald is an embeddable SDK for outbound SMS notifications that
// stay inside the rules.
//
// A host application hands Herald a carrier provider and sends one message
// or a bulk notification to many numbers. Herald normalises every number to
// E.164, checks consent and policy before anything leaves, segments the text
// exactly as carriers bill it, paces sends to the approved throughput, sends
// through a pluggable provider, retries only what is safe to retry and never
// texts anyone twice.
//
// The SDK is a set of small packages, lowest first:
//
//   - [github.com/heraldsms/herald/segment]: GSM-7 and UCS-2 analysis,
//     carrier-exact splitting, smart encoding and wire-form PDUs.
//   - [github.com/heraldsms/herald/compliance]: the consent ledger,
//     STOP/START/HELP replies, quiet hours, frequency caps and content policy,
//     combined into one explainable Decision.
//   - [github.com/heraldsms/herald/throttle]: limits counted in segments per
//     sender, campaign and day, priority lanes and blast planning, over an
//     interchangeable Store (in memory, or Redis in its own module).
//   - [github.com/heraldsms/herald/provider]: the Provider interface, typed
//     errors that say what is safe to retry, status and inbound events,
//     webhook signature checks; adapters for Twilio and Telnyx and a
//     scriptable fake for tests.
//   - [github.com/heraldsms/herald/notify]: the Notifier that ties them
//     together: bulk sends with per-recipient reports, topics and tallies,
//     replies and receipts, contact points and permissions, the outbox.
//
// Start with notify.New(fake.New()) and the runnable examples under
// examples/.
package herald
