package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

// outcomes lists every outcome in report order.
var outcomes = []notify.Outcome{notify.OutcomeSent, notify.OutcomeDeferred, notify.OutcomeDenied,
	notify.OutcomeInvalid, notify.OutcomeDuplicate, notify.OutcomeFailed, notify.OutcomeUnknown,
	notify.OutcomeCanceled, notify.OutcomePending}

// listMax is how many refused numbers the report names per reason.
const listMax = 4

func writeIntro(out io.Writer, cfg config, s *summary) {
	src := "the bundled list"
	if cfg.CSV != "" {
		src = cfg.CSV
	}
	fmt.Fprintf(out, "Northwind Parcel: texting delivery updates to %d recipients from %s\n", s.Recipients, src)
	if cfg.CSV == "" {
		fmt.Fprintf(out, "  daytime numbers ring in %s (%s…), night numbers in %s (%s…)\n",
			s.Zones.Daytime.Place, s.Zones.Daytime.Prefix, s.Zones.Night.Place, s.Zones.Night.Prefix)
	}
	switch {
	case cfg.DryRun && cfg.DB != "":
		fmt.Fprintf(out, "  state read from a throwaway copy of %s (a dry run writes nothing)\n", cfg.DB)
	case cfg.DryRun:
		fmt.Fprintln(out, "  state in a throwaway database (a dry run writes nothing)")
	default:
		fmt.Fprintf(out, "  state in SQLite: %s\n", s.DB)
	}
	if cfg.Rate > 0 {
		fmt.Fprintf(out, "  throughput: %g segments/s", cfg.Rate)
	} else {
		fmt.Fprint(out, "  throughput: unthrottled")
	}
	p := s.Plan
	fmt.Fprintf(out, "; plan: %d to send now, %d deferred, %d refused, about %s\n\n",
		p.Allowed, p.Deferred, p.Denied+p.Invalid+p.Duplicates+p.Failed, p.Duration.Round(time.Second))
}

// writePlan prints a dry run: what Service.Plan found.
func writePlan(out io.Writer, p *notify.Plan) {
	fmt.Fprintln(out, "Dry run (Service.Plan): nothing was sent or recorded")
	fmt.Fprintf(out, "  recipients      %6d\n  valid, distinct %6d\n  invalid         %6d\n  duplicates      %6d\n  would fail      %6d\n",
		p.Recipients, p.Valid, p.Invalid, p.Duplicates, p.Failed)
	fmt.Fprintf(out, "  allowed now     %6d\n  deferred        %6d\n  denied          %6d\n", p.Allowed, p.Deferred, p.Denied)
	for _, r := range sortedKeys(p.Reasons) {
		fmt.Fprintf(out, "    %-24s %5d\n", r, p.Reasons[r])
	}
	fmt.Fprintln(out, "  by time zone:")
	for _, z := range sortedKeys(p.Zones) {
		zp := p.Zones[z]
		line := fmt.Sprintf("    %-24s %5d allowed %5d deferred %5d denied", z, zp.Allowed, zp.Deferred, zp.Denied)
		if !zp.NotBefore.IsZero() {
			line += ", deferred until " + zp.NotBefore.Local().Format("Mon 15:04 MST")
		}
		fmt.Fprintln(out, line)
	}
	fmt.Fprintf(out, "  segments        %6d (%s, longest body %d)", p.Segments, p.Encoding, p.MaxSegments)
	if len(p.UCS2) > 0 {
		fmt.Fprintf(out, "; UCS-2 forced by %q, %d segments with smart encoding", string(p.UCS2), p.SmartSegments)
	}
	fmt.Fprintln(out)
	if p.NeedsAcknowledgement != nil {
		fmt.Fprintf(out, "  Send would refuse it: %v\n", p.NeedsAcknowledgement)
	}
	fmt.Fprintf(out, "  estimated cost  %s\n", strings.TrimSpace(fmt.Sprintf("%.2f %s", p.EstimatedCost, p.Currency)))
	if p.Throughput > 0 {
		fmt.Fprintf(out, "  duration        %s at %g segments/s", p.Duration.Round(time.Second), p.Throughput)
		if len(p.PerDay) > 1 {
			fmt.Fprintf(out, ", split over days by the daily cap: %v", p.PerDay)
		}
		fmt.Fprintln(out)
	}
	for _, w := range p.Warnings {
		fmt.Fprintln(out, "  warning:", w)
	}
	writeProblems(out, p.Problems)
	if len(p.Problems) > 0 {
		fmt.Fprintln(out, "  (numbers are masked here; a real run writes them unmasked to <db>-not-sent.csv)")
	}
}

// writeReport prints the end-of-run report.
func writeReport(out io.Writer, s *summary) {
	r := s.Report
	if s.Repeated {
		fmt.Fprintf(out, "This list and body were already sent from %s (notification %s): nothing was sent again.\n\n", s.DB, r.NotificationID)
	}
	fmt.Fprintf(out, "Report for notification %s (topic %q)\n", r.NotificationID, r.Topic)
	fmt.Fprintln(out, "Outcomes")
	for _, o := range outcomes {
		if c := r.Counts[o]; c > 0 {
			fmt.Fprintf(out, "  %-10s %6d\n", o, c)
		}
	}

	fmt.Fprintln(out, "By reason")
	reasons := map[string]int{}
	for _, res := range r.Results {
		if res.Outcome != notify.OutcomeSent {
			reasons[res.Outcome.String()+": "+res.Reason]++
		}
	}
	for _, k := range sortedKeys(reasons) {
		fmt.Fprintf(out, "  %-36s %5d\n", k, reasons[k])
	}
	var refused []notify.Result
	for _, res := range r.Results {
		if res.Outcome != notify.OutcomeSent {
			refused = append(refused, res)
		}
	}
	writeProblems(out, refused)

	if s.NotSent != "" {
		fmt.Fprintf(out, "  every number not sent, unmasked, with its reason and row: %s\n", s.NotSent)
	}

	fmt.Fprintln(out, "Segments and cost")
	sent := r.Counts[notify.OutcomeSent]
	if r.Segments > 0 && sent > 0 {
		fmt.Fprintf(out, "  %d segments sent in %s (%.2f per message)\n", r.Segments, r.Encoding, float64(r.Segments)/float64(sent))
		fmt.Fprintf(out, "  estimated cost %s\n", strings.TrimSpace(fmt.Sprintf("%.2f %s", r.EstimatedCost, r.Currency)))
	} else {
		fmt.Fprintln(out, "  no segments sent, no cost")
	}

	t := s.Tally
	fmt.Fprintf(out, "Topic %q tally\n  sent %d, delivered %d, failed %d, denied %d, unknown %d\n",
		r.Topic, t.Sent, t.Delivered, t.Failed, t.Denied, t.Unknown)

	fmt.Fprintln(out, "Duration")
	switch {
	case s.Repeated:
		fmt.Fprintln(out, "  this run sent nothing: the earlier run on this database made every decision above")
	case sent == 0 || r.FinishedAt.Before(r.StartedAt):
		fmt.Fprintf(out, "  planned %s; nothing was sent\n", s.Plan.Duration.Round(100*time.Millisecond))
	default:
		fmt.Fprintf(out, "  planned %s, actual %s sending", s.Plan.Duration.Round(100*time.Millisecond),
			r.FinishedAt.Sub(r.StartedAt).Round(100*time.Millisecond))
		fmt.Fprintf(out, ", %s with delivery receipts\n", s.Elapsed.Round(100*time.Millisecond))
	}
	if retried := s.Attempts - sent - r.Counts[notify.OutcomeFailed] - r.Counts[notify.OutcomeUnknown]; retried > 0 && !s.Repeated {
		fmt.Fprintf(out, "  %d provider calls; %d were HTTP 429 answers, retried after Retry-After\n", s.Attempts, retried)
	}
	if d := r.Counts[notify.OutcomeDeferred]; d > 0 {
		fmt.Fprintf(out, "\n%d recipients are deferred by quiet hours: they stay in the outbox in %s\n"+
			"and are sent when their morning comes, by any Service that opens this database then.\n", d, s.DB)
	}
	if u := r.Counts[notify.OutcomeUnknown]; u > 0 {
		fmt.Fprintf(out, "%d sends are unknown (the provider timed out after the request went out):\n"+
			"Herald never resends those by itself; a missed text is recoverable, a double text is not.\n", u)
	}
}

// writeProblems names the refused numbers, grouped by reason, a few each.
func writeProblems(out io.Writer, results []notify.Result) {
	if len(results) == 0 {
		return
	}
	byReason := map[string][]notify.Result{}
	for _, res := range results {
		byReason[res.Reason] = append(byReason[res.Reason], res)
	}
	fmt.Fprintln(out, "Numbers not sent, and why")
	for _, reason := range sortedKeys(byReason) {
		rs := byReason[reason]
		fmt.Fprintf(out, "  %s (%d): %s\n", reason, len(rs), explain(rs[0]))
		var names []string
		for _, res := range rs[:min(len(rs), listMax)] {
			names = append(names, display(res))
		}
		more := ""
		if len(rs) > listMax {
			more = fmt.Sprintf(" and %d more", len(rs)-listMax)
		}
		fmt.Fprintf(out, "      %s%s\n", strings.Join(names, ", "), more)
	}
}

// display shows a refused number: as given when it is not a number at all,
// masked otherwise.
func display(r notify.Result) string {
	if r.To == "" {
		return fmt.Sprintf("%q", r.Given)
	}
	s := provider.MaskNumber(r.To)
	if !r.NotBefore.IsZero() {
		s += " until " + r.NotBefore.Local().Format("15:04")
	}
	return s
}

// explain is a short sentence for a result's error, with the number masked.
func explain(r notify.Result) string {
	if r.Err == nil {
		return r.Outcome.String()
	}
	var ne *notify.NumberError
	if errors.As(r.Err, &ne) {
		return ne.Err.Error()
	}
	return provider.MaskNumbersIn(r.Err.Error())
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
