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

// progress shows how far a run is: a bar with rate and ETA redrawn in place
// on a terminal, or a log line at most every few seconds otherwise.
type progress struct {
	w                    io.Writer
	tty                  bool
	log                  *slog.Logger
	total, skipped, done int
	failed               int
	start, last          time.Time
}

func newProgress(w io.Writer, tty bool, log *slog.Logger, total, skipped int) *progress {
	p := &progress{w: w, tty: tty, log: log, total: total, skipped: skipped, start: time.Now()}
	if w != nil && tty && total > skipped {
		p.draw()
	}
	return p
}

// rate returns finished trials per second of this run and the estimated
// time left.
func (p *progress) rate() (float64, time.Duration) {
	el := time.Since(p.start).Seconds()
	if p.done == 0 || el <= 0 {
		return 0, -1
	}
	r := float64(p.done) / el
	left := p.total - p.skipped - p.done
	return r, time.Duration(float64(left) / r * float64(time.Second))
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
		r, eta := p.rate()
		p.log.Info("progress", "done", p.skipped+p.done, "total", p.total, "failed", p.failed,
			"rate", fmt.Sprintf("%.2f trials/s", r), "eta", fmtDur(eta), "last", t.Experiment)
		p.last = now
	}
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
	r, eta := p.rate()
	fmt.Fprintf(p.w, "\r\033[K[%s] %d/%d %3.0f%%  %.2f trials/s  ETA %s", bar, n, p.total, 100*frac, r, fmtDur(eta))
	if p.failed > 0 {
		fmt.Fprintf(p.w, "  %d failed", p.failed)
	}
}

func (p *progress) finish() {
	if p.w != nil && p.tty && p.done > 0 {
		p.draw()
		fmt.Fprintln(p.w)
	}
}

func fmtDur(d time.Duration) string {
	if d < 0 {
		return "?"
	}
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
