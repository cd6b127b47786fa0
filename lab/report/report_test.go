package report_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"argmax/internal/browser"
	"argmax/lab/report"
)

func sample() *report.Report {
	var acc, fit report.Series
	acc.Name, fit.Name, fit.Fit = "MCTS optimal-move share", "fit: 1 - 0.9·N^-0.3", true
	for _, n := range []float64{16, 64, 256, 1024, 4096, 16384} {
		y := 1 - 0.9*math.Pow(n, -0.3)
		acc.Points = append(acc.Points, report.Point{X: n, Y: y, Lo: y - 0.03, Hi: math.Min(1, y+0.03)})
		fit.Points = append(fit.Points, report.P(n, y))
	}
	lin := report.Series{Name: "linear <b>escaped</b>"}
	for x := 0.0; x <= 10; x++ {
		lin.Points = append(lin.Points, report.Point{X: x, Y: 2*x - 3, Lo: 2*x - 4, Hi: 2*x - 2})
	}
	return &report.Report{
		Title: "test report",
		Meta:  [][2]string{{"seed", "1"}},
		Intro: "first paragraph\n\nsecond & last",
		Tables: []report.Table{{
			Header: []string{"aspect", "direct", "verdict"},
			Rows:   [][]string{{"scaling", "0.9 [0.8, 1]", "holds"}, {"cost", "x", "does not hold"}},
		}},
		Sections: []report.Section{
			{Title: "Scaling", Charts: []report.Chart{{Title: "quality vs budget", XLabel: "simulations", YLabel: "share", LogX: true, YRange: [2]float64{0, 1}, Series: []report.Series{acc, fit}}}},
			{Title: "Lines", Charts: []report.Chart{
				{Title: "linear", XLabel: "x", YLabel: "y", Series: []report.Series{lin}},
				{Title: "log-log", XLabel: "x", YLabel: "y", LogX: true, LogY: true, Series: []report.Series{acc}},
				{Title: "empty", Series: nil},
			}},
		},
	}
}

func TestHTML(t *testing.T) {
	var b bytes.Buffer
	if err := sample().WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	h := b.String()
	for _, want := range []string{"<!DOCTYPE html>", `<svg class="chart"`, "stroke-dasharray", `class="band"`, "(log scale)",
		"linear &lt;b&gt;escaped", "second &amp; last", `class="holds"`, `class="fails"`, "16384", "no data"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, bad := range []string{"http://", "https://", "<script", "<link"} {
		if strings.Contains(strings.ReplaceAll(h, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("HTML is not self-contained: has %q", bad)
		}
	}
	if n := strings.Count(h, "<svg"); n != 4 {
		t.Errorf("%d charts, want 4", n)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "index.html")
	if err := sample().WriteFile(p); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 || entries[0].Name() != "index.html" {
		t.Errorf("directory holds %v; want only index.html (no temporary files)", entries)
	}
}

// TestRendersInChromium opens the report in headless Chromium without
// network and checks that the charts are laid out, nothing is fetched and
// nothing is logged as an error.
func TestRendersInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	p := filepath.Join(t.TempDir(), "index.html")
	if err := sample().WriteFile(p); err != nil {
		t.Fatal(err)
	}
	res, err := browser.Open(context.Background(), p)
	if errors.Is(err, browser.ErrNoBrowser) {
		t.Skip("skipping: no chromium installed (.ci/run installs Debian's chromium package)")
	}
	if err != nil {
		t.Fatal(err)
	}
	if res.Charts != 4 || res.RenderedLines != 3 || res.Tables != 1 {
		t.Errorf("charts %d, rendered %d, tables %d; want 4, 3, 1", res.Charts, res.RenderedLines, res.Tables)
	}
	if len(res.ConsoleErrors) > 0 {
		t.Errorf("console errors: %v", res.ConsoleErrors)
	}
	if len(res.Requests) > 0 {
		t.Errorf("the page fetched %v", res.Requests)
	}
	if len(res.Screenshot) < 10000 || res.Colours < 8 {
		t.Errorf("screenshot %d bytes, %d colours: looks blank", len(res.Screenshot), res.Colours)
	}
	if dir := os.Getenv("ARGMAX_SCREENSHOT_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "report-sample.png"), res.Screenshot, 0o644)
	}
}

func ExampleChart_SVG() {
	c := report.Chart{
		Title: "error vs budget", XLabel: "simulations", YLabel: "error", LogX: true,
		Series: []report.Series{{Name: "mcts", Points: []report.Point{
			{X: 16, Y: 0.4, Lo: 0.35, Hi: 0.45}, {X: 256, Y: 0.2, Lo: 0.17, Hi: 0.23}, {X: 4096, Y: 0.05, Lo: 0.04, Hi: 0.06},
		}}},
	}
	svg := c.SVG()
	os.Stdout.WriteString(svg[:strings.Index(svg, ">")+1] + "\n")
	// Output:
	// <svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 860 380" width="860" height="380" role="img" aria-label="error vs budget">
}

func TestNum(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{0, "0"}, {16384, "16384"}, {0.25, "0.25"}, {1e-4, "1e-4"}, {1.5e-7, "1.5e-7"}, {2.5e7, "2.5e7"}, {3.14159, "3.14"}, {math.NaN(), "–"},
		// Integers are exact: simulation counts, node counts.
		{1024, "1024"}, {-1024, "-1024"}, {1048576, "1048576"}, {1e6, "1e6"}, {123456789, "123456789"}, {1e15, "1e15"},
		// Non-integers from 100 up are whole units, not 1e+03.
		{1023.7, "1024"}, {999.7, "1000"}, {123.45, "123"}, {99.97, "100"}, {12.345, "12.3"}, {1234567.8, "1.23e6"},
		{math.Inf(1), "∞"}, {math.Inf(-1), "-∞"},
	} {
		if got := report.Num(c.x); got != c.want {
			t.Errorf("Num(%v) = %q, want %q", c.x, got, c.want)
		}
	}
}
