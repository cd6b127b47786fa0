package lab

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"
)

// IsTerminal reports whether f is a terminal (a character device), where
// progress is drawn as a bar rather than logged as lines.
func IsTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0 && st.Mode()&os.ModeDevice != 0
}

// progress shows how far a run is: a bar with rate, elapsed time and ETA
// redrawn in place on a terminal, or a log line at most every few seconds
// otherwise. The ETA appears once it can be trusted (see rate).
type progress struct {
	w                    io.Writer
	tty                  bool
	log                  *slog.Logger
	total, skipped, done int
	failed               int
	start, last          time.Time
	status               func() string // the executor's status (StatusReporter), or nil
}

func newProgress(w io.Writer, tty bool, log *slog.Logger, total, skipped int) *progress {
	p := &progress{w: w, tty: tty, log: log, total: total, skipped: skipped, start: time.Now()}
	if w != nil && tty && total > skipped {
		p.draw()
	}
	return p
}

// An ETA is shown once etaMinTrials trials of this run have finished and
// either etaMinShare of them or etaMinTime has passed: before that the
// trials that finished first are the short ones, and a rate taken from them
// can be wildly off.
const (
	etaMinTrials = 3
	etaMinShare  = 0.05
	etaMinTime   = 30 * time.Second
)

// rate returns finished trials per second of this run, elapsed time, and
// the estimated time left with whether it is meaningful yet (see
// etaMinTrials). The rate is taken over the whole run — finished trials
// over elapsed time, so long trials weigh by their duration — rather than
// over the last few, which jump with each trial's length.
func (p *progress) rate() (r float64, elapsed, eta time.Duration, ok bool) {
	elapsed = time.Since(p.start)
	toRun := p.total - p.skipped
	left := toRun - p.done
	if p.done > 0 && elapsed > 0 {
		r = float64(p.done) / elapsed.Seconds()
	}
	switch {
	case left <= 0:
		return r, elapsed, 0, true
	case p.done < etaMinTrials || r == 0:
		return r, elapsed, 0, false
	case float64(p.done) < etaMinShare*float64(toRun) && elapsed < etaMinTime:
		return r, elapsed, 0, false
	}
	return r, elapsed, time.Duration(float64(left) / r * float64(time.Second)), true
}

// fmtRate renders a rate of trials, per minute when it is below one every
// ten seconds.
func fmtRate(r float64) string {
	if r > 0 && r < 0.1 {
		return fmt.Sprintf("%.1f trials/min", 60*r)
	}
	return fmt.Sprintf("%.2f trials/s", r)
}

func (p *progress) step(t *Trial, err error) {
	p.done++
	if err != nil {
		p.failed++
	}
	if p.w == nil {
		return
	}
	now := time.Now()
	finished := p.skipped+p.done == p.total
	if p.tty {
		if finished || now.Sub(p.last) >= 100*time.Millisecond {
			p.draw()
			p.last = now
		}
		return
	}
	if finished || now.Sub(p.last) >= 2*time.Second || err != nil {
		r, elapsed, eta, ok := p.rate()
		args := []any{"done", p.skipped + p.done, "total", p.total, "failed", p.failed,
			"rate", fmtRate(r), "elapsed", fmtDur(elapsed)}
		if ok {
			args = append(args, "eta", fmtDur(eta))
		}
		args = append(args, "last", t.Experiment)
		if p.status != nil {
			args = append(args, "workers", p.status())
		}
		p.log.Info("progress", args...)
		p.last = now
	}
}

// tick redraws the bar, or logs the executor's status when not on a
// terminal, between trials (see StatusReporter).
func (p *progress) tick() {
	if p.w == nil || p.status == nil {
		return
	}
	if p.tty {
		p.draw()
		return
	}
	p.log.Info("progress", "done", p.skipped+p.done, "total", p.total, "workers", p.status())
}

func (p *progress) draw() {
	const width = 30
	n := p.skipped + p.done
	frac := 0.0
	if p.total > 0 {
		frac = float64(n) / float64(p.total)
	}
	fill := int(frac * width)
	bar := strings.Repeat("=", fill)
	if fill < width {
		bar += ">" + strings.Repeat(" ", width-fill-1)
	}
	r, elapsed, eta, ok := p.rate()
	fmt.Fprintf(p.w, "\r\033[K[%s] %d/%d %3.0f%%  %s  elapsed %s", bar, n, p.total, 100*frac, fmtRate(r), fmtDur(elapsed))
	if ok {
		fmt.Fprintf(p.w, "  ETA %s", fmtDur(eta))
	}
	if p.failed > 0 {
		fmt.Fprintf(p.w, "  %d failed", p.failed)
	}
	if p.status != nil {
		fmt.Fprintf(p.w, "  %s", p.status())
	}
}

func (p *progress) finish() {
	if p.w != nil && p.tty && p.done > 0 {
		p.draw()
		fmt.Fprintln(p.w)
	}
}

func fmtDur(d time.Duration) string {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
