package throttle

// Key is one limit a send is charged against: a name that identifies the
// counter in the store ("sender:+14155550671", "campaign:spring",
// [DailyKey]("brand:acme", now)) and the limit that applies to it.
// Names are shared by everything using the same store, so prefix them by
// kind.
type Key struct {
	Name  string
	Limit Limit
}
