package main

import "time"

// defaultBody is the out-for-delivery notice. Every CSV column is a
// placeholder.
const defaultBody = "Northwind Parcel: {{name}}, order {{order_id}} is out for delivery today. " +
	"Track it at nwp.example/t/{{order_id}} Reply STOP to opt out"

// topic is the topic every delivery update is filed under.
const topic = "delivery-updates"

// config is one run of the example.
type config struct {
	CSV    string  // recipients file; "" is the bundled list
	Body   string  // message template
	Rate   float64 // segments per second; 0 is unthrottled
	DryRun bool    // plan only
	DB     string  // SQLite file; "" is a new temporary file

	Latency      time.Duration // the fake provider's answer time
	ReceiptDelay time.Duration // from acceptance to delivery receipt
	ReceiptWait  time.Duration // how long to wait for receipts after sending
	Every        time.Duration // progress refresh interval
	Bar          bool          // draw a progress bar (stdout is a terminal)
	Now          func() time.Time
}
