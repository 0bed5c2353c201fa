// Package notifytest is the conformance suite every notify.Store passes:
// the in-memory store, notify/sqlstore on SQLite and on PostgreSQL, and any
// store a host writes itself.
//
// Call TestStore from a test with a constructor that returns a new, empty
// store for each subtest:
//
//	func TestMyStore(t *testing.T) {
//		notifytest.TestStore(t, func(t *testing.T) notify.Store { return mystore.New(t) })
//	}
//
// The suite checks the documented semantics of every Store method:
// idempotency keys, batch enqueue, claim leases and their order,
// MarkSending and Complete with ErrClaimLost, Recover (claimed rows
// back to pending, rows marked sending to unknown), deferrals due by
// NotBefore, tallies maintained incrementally and counted once, ApplyStatus
// never moving backwards and de-duplicating receipts, Recent newest first,
// topics, replies, ClaimSender and StickySender.
package notifytest
