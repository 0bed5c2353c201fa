package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/heraldsms/herald/notify"
)

// progress shows a streaming send: a bar on a terminal, a plain line every
// few seconds otherwise (a log file, CI, a test).
type progress struct {
	out  io.Writer
	bar  *progressbar.ProgressBar
	last time.Duration
}

// plainEvery is how often a plain progress line is written.
const plainEvery = 5 * time.Second

func newProgress(out io.Writer, terminal bool, total int) *progress {
	p := &progress{out: out}
	if terminal {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(out),
			progressbar.OptionSetDescription("sending"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond))
	}
	return p
}

// update is the SendStream OnProgress callback.
func (p *progress) update(pr notify.Progress) {
	if p.bar != nil {
		p.bar.Set(pr.Done)
		return
	}
	if pr.Elapsed-p.last < plainEvery && pr.Done < pr.Total {
		return
	}
	p.last = pr.Elapsed
	pct := 0
	if pr.Total > 0 {
		pct = 100 * pr.Done / pr.Total
	}
	fmt.Fprintf(p.out, "  %5d/%d decided (%3d%%), %.0f/s, %s left\n",
		pr.Done, pr.Total, pct, pr.Rate, pr.ETA.Round(time.Second))
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		fmt.Fprintln(p.out)
	}
}
