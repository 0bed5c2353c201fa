package notify

// Rates are prices per segment in one destination.
type Rates struct {
	GSM7 float64 // per GSM-7 segment
	UCS2 float64 // per UCS-2 segment; 0 means the GSM-7 price
}

// PriceTable prices segments by destination country and encoding, for
// Report.EstimatedCost and Plan. Set it with WithPricing.
type PriceTable struct {
	// Currency is the ISO 4217 code the prices are in ("USD").
	Currency string
	// Countries maps ISO 3166-1 alpha-2 regions ("US", "GB") to rates.
	Countries map[string]Rates
	// Default prices destinations not in Countries.
	Default Rates
}

// Price returns the price of segments segments of the given encoding
// ("GSM-7" or "UCS-2") to an E.164 number.
func (t *PriceTable) Price(e164, encoding string, segments int) float64 {
	if t == nil || segments <= 0 {
		return 0
	}
	r, ok := t.Countries[regionOf(e164)]
	if !ok {
		r = t.Default
	}
	p := r.GSM7
	if encoding == "UCS-2" && r.UCS2 > 0 {
		p = r.UCS2
	}
	return p * float64(segments)
}

// cost is what m is expected to be billed: sent, unknown (it may have gone
// out) and still pending or deferred rows count.
func (s *Service) cost(m *Message) float64 {
	if s.cfg.pipe.pricing == nil {
		return 0
	}
	switch m.Outcome {
	case OutcomeSent, OutcomeUnknown, OutcomePending, OutcomeDeferred:
		return s.cfg.pipe.pricing.Price(m.To, m.Encoding, m.Segments)
	}
	return 0
}
