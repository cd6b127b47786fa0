package lab

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgressETA checks when the ETA is shown and what it says: not
// before a few trials and a share of the run (or some time) have passed,
// then the trials left at the run's rate, and 0 once all are done.
func TestProgressETA(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		total, skipped, done int
		elapsed              time.Duration
		ok                   bool
		eta                  time.Duration
	}{
		{"nothing finished", 100, 0, 0, time.Second, false, 0},
		{"two finished", 10, 0, 2, 10 * time.Second, false, 0},
		{"three of 1000, early", 1000, 0, 3, 5 * time.Second, false, 0},
		{"three of 1000, after a while", 1000, 0, 3, 60 * time.Second, true, 19940 * time.Second},
		{"5% of 100", 100, 0, 5, 10 * time.Second, true, 190 * time.Second},
		{"skipped trials do not count", 120, 20, 5, 10 * time.Second, true, 190 * time.Second},
		{"all done", 10, 8, 2, time.Second, true, 0},
	} {
		p := &progress{total: tc.total, skipped: tc.skipped, done: tc.done, start: time.Now().Add(-tc.elapsed)}
		_, _, eta, ok := p.rate()
		if ok != tc.ok || ok && (eta-tc.eta).Abs() > tc.eta/100+time.Second {
			t.Errorf("%s: ETA %v (shown %v), want %v (shown %v)", tc.name, eta, ok, tc.eta, tc.ok)
		}
	}
	var b bytes.Buffer
	p := &progress{w: &b, tty: true, total: 100, done: 1, start: time.Now().Add(-time.Minute)}
	p.draw()
	if s := b.String(); strings.Contains(s, "ETA") || !strings.Contains(s, "1/100") || !strings.Contains(s, "1.0 trials/min") || !strings.Contains(s, "elapsed 1m0s") {
		t.Errorf("early bar %q", s)
	}
	b.Reset()
	p.done = 50
	p.draw()
	if s := b.String(); !strings.Contains(s, "ETA 1m0s") || !strings.Contains(s, "0.83 trials/s") {
		t.Errorf("bar %q", s)
	}
}
