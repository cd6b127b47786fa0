package report

import (
	"fmt"
	"hash/fnv"
	"html"
	"math"
	"strconv"
	"strings"
)

// Chart is a line chart: each series a line through its points with a
// shaded band from Lo to Hi (the 95% interval over seeds), or a dashed
// fitted curve.
type Chart struct {
	Title, XLabel, YLabel string
	LogX, LogY            bool       // logarithmic axes (non-positive values are dropped)
	YRange                [2]float64 // fixed y range; automatic when equal
	Series                []Series
	Caption               string
}

// Series is one named line of a chart.
type Series struct {
	Name   string
	Points []Point
	Fit    bool // a fitted curve: dashed, no markers, no band
}

// Point is one point of a series with its interval; Lo == Hi == Y for no
// band.
type Point struct{ X, Y, Lo, Hi float64 }

// P makes a point with no interval.
func P(x, y float64) Point { return Point{X: x, Y: y, Lo: y, Hi: y} }

var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"}

// Geometry of a chart, in SVG user units.
const (
	chartW, chartH                 = 860, 380
	padL, padR, padT, padB         = 64, 290, 34, 52
	plotW, plotH                   = chartW - padL - padR, chartH - padT - padB
	legendX                        = chartW - padR + 16
	maxLegend                      = 14
	legendChars                    = 40
	minLogValue            float64 = 1e-300
)

type axis struct {
	lo, hi float64 // in data units (log10 units for log axes)
	log    bool
}

func (a axis) pos(v float64) float64 {
	if a.log {
		v = math.Log10(v)
	}
	if a.hi == a.lo {
		return 0.5
	}
	return (v - a.lo) / (a.hi - a.lo)
}

func (a axis) ok(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && (!a.log || v > 0)
}

// SVG returns the chart as an inline <svg> element.
func (c *Chart) SVG() string {
	var b strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		chartW, chartH, chartW, chartH, e(c.Title))
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#fff"/>`, chartW, chartH)
	fmt.Fprintf(&b, `<text class="title" x="%d" y="20">%s</text>`, padL, e(c.Title))
	xa, ya, ok := c.axes()
	if !ok {
		fmt.Fprintf(&b, `<text x="%d" y="%d">no data</text></svg>`, padL+plotW/2-25, padT+plotH/2)
		return b.String()
	}
	clip := c.clipID()
	px := func(v float64) float64 { return padL + xa.pos(v)*plotW }
	py := func(v float64) float64 { return padT + (1-ya.pos(v))*plotH }
	// Grid, ticks and labels.
	for _, t := range ticks(xa) {
		x := px(t)
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`, x, padT, x, padT+plotH)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`, x, padT+plotH+16, Num(t))
	}
	for _, t := range ticks(ya) {
		y := py(t)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, padL, y, padL+plotW, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`, padL-6, y+4, Num(t))
	}
	fmt.Fprintf(&b, `<rect class="axis" x="%d" y="%d" width="%d" height="%d" fill="none"/>`, padL, padT, plotW, plotH)
	xl, yl := c.XLabel, c.YLabel
	if c.LogX {
		xl += " (log scale)"
	}
	if c.LogY {
		yl += " (log scale)"
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, padL+plotW/2, chartH-10, e(xl))
	fmt.Fprintf(&b, `<text transform="translate(16 %d) rotate(-90)" text-anchor="middle">%s</text>`, padT+plotH/2, e(yl))
	fmt.Fprintf(&b, `<clipPath id="%s"><rect x="%d" y="%d" width="%d" height="%d"/></clipPath>`, clip, padL, padT, plotW, plotH)
	// Bands first, then lines and markers on top.
	for i, s := range c.Series {
		if s.Fit {
			continue
		}
		pts := c.valid(s, xa, ya, true)
		if len(pts) < 2 {
			continue
		}
		var d strings.Builder
		for j, p := range pts {
			fmt.Fprintf(&d, "%s%.1f %.1f", cmd(j), px(p.X), py(p.Hi))
		}
		for j := len(pts) - 1; j >= 0; j-- {
			fmt.Fprintf(&d, "L%.1f %.1f", px(pts[j].X), py(pts[j].Lo))
		}
		fmt.Fprintf(&b, `<path class="band" d="%sZ" fill="%s" fill-opacity="0.16" stroke="none" clip-path="url(#%s)"/>`, d.String(), color(i), clip)
	}
	for i, s := range c.Series {
		pts := c.valid(s, xa, ya, false)
		if len(pts) == 0 {
			continue
		}
		var d strings.Builder
		for j, p := range pts {
			fmt.Fprintf(&d, "%s%.1f %.1f", cmd(j), px(p.X), py(p.Y))
		}
		dash := ""
		if s.Fit {
			dash = ` stroke-dasharray="6 4"`
		}
		if len(pts) > 1 { // a lone point is a marker, not a line
			fmt.Fprintf(&b, `<path class="line" d="%s" fill="none" stroke="%s" stroke-width="2"%s clip-path="url(#%s)"/>`, d.String(), color(i), dash, clip)
		}
		if s.Fit {
			continue
		}
		for _, p := range pts {
			tip := fmt.Sprintf("%s: x=%s y=%s", s.Name, Num(p.X), Num(p.Y))
			if p.Lo != p.Hi {
				tip += fmt.Sprintf(" [%s, %s]", Num(p.Lo), Num(p.Hi))
			}
			fmt.Fprintf(&b, `<circle class="marker" cx="%.1f" cy="%.1f" r="3.2" fill="%s"><title>%s</title></circle>`, px(p.X), py(p.Y), color(i), e(tip))
		}
	}
	// Legend.
	for i, s := range c.Series {
		if i >= maxLegend {
			fmt.Fprintf(&b, `<text x="%d" y="%d">… %d more</text>`, legendX, padT+8+i*18, len(c.Series)-i)
			break
		}
		y := padT + 8 + i*18
		dash := ""
		if s.Fit {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>`, legendX, y-4, legendX+22, y-4, color(i), dash)
		name := s.Name
		if r := []rune(name); len(r) > legendChars {
			name = string(r[:legendChars-1]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d"><title>%s</title>%s</text>`, legendX+28, y, e(s.Name), e(name))
	}
	b.WriteString("</svg>")
	return b.String()
}

// clipID names the chart's clipping rectangle from its content, so that
// several charts on a page have distinct ids.
func (c *Chart) clipID() string {
	h := fnv.New32a()
	h.Write([]byte(c.Title + "\x00" + c.XLabel + "\x00" + c.YLabel))
	for _, s := range c.Series {
		h.Write([]byte(s.Name + "\x00"))
	}
	return fmt.Sprintf("clip-%08x", h.Sum32())
}

func (c *Chart) figure() string {
	s := "<figure>" + c.SVG()
	if c.Caption != "" {
		s += "<figcaption>" + html.EscapeString(c.Caption) + "</figcaption>"
	}
	return s + "</figure>\n"
}

func cmd(j int) string {
	if j == 0 {
		return "M"
	}
	return "L"
}

func color(i int) string { return palette[i%len(palette)] }

// valid returns the points drawable on the axes; with band it also needs
// drawable bounds.
func (c *Chart) valid(s Series, xa, ya axis, band bool) []Point {
	var out []Point
	for _, p := range s.Points {
		if !xa.ok(p.X) || !ya.ok(p.Y) {
			continue
		}
		if band {
			if !ya.ok(p.Lo) || !ya.ok(p.Hi) {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// axes computes both axis ranges from the data.
func (c *Chart) axes() (axis, axis, bool) {
	xa, ya := axis{log: c.LogX}, axis{log: c.LogY}
	xs, ys := []float64{}, []float64{}
	for _, s := range c.Series {
		for _, p := range s.Points {
			if !xa.ok(p.X) || !ya.ok(p.Y) {
				continue
			}
			xs = append(xs, p.X)
			ys = append(ys, p.Y)
			if !s.Fit {
				if ya.ok(p.Lo) {
					ys = append(ys, p.Lo)
				}
				if ya.ok(p.Hi) {
					ys = append(ys, p.Hi)
				}
			}
		}
	}
	if len(xs) == 0 {
		return xa, ya, false
	}
	xa.lo, xa.hi = span(xs, xa.log)
	if c.YRange[0] != c.YRange[1] {
		ya.lo, ya.hi = c.YRange[0], c.YRange[1]
		if ya.log {
			ya.lo, ya.hi = math.Log10(math.Max(ya.lo, minLogValue)), math.Log10(ya.hi)
		}
	} else {
		ya.lo, ya.hi = span(ys, ya.log)
	}
	// A little air around the data.
	pad := func(a *axis, frac float64) {
		d := a.hi - a.lo
		if d == 0 {
			d = math.Max(math.Abs(a.lo)*0.1, 0.5)
			if a.log {
				d = 0.5
			}
		}
		a.lo -= d * frac
		a.hi += d * frac
	}
	pad(&xa, 0.04)
	if c.YRange[0] == c.YRange[1] {
		pad(&ya, 0.06)
	}
	return xa, ya, true
}

func span(v []float64, log bool) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if log {
			x = math.Log10(x)
		}
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

// ticks returns tick values (in data units) for an axis.
func ticks(a axis) []float64 {
	var out []float64
	if a.log && a.hi-a.lo < 0.6 {
		// Less than a factor of 4: evenly spaced ticks read better.
		lin := ticks(axis{lo: math.Pow(10, a.lo), hi: math.Pow(10, a.hi)})
		for _, v := range lin {
			if v > 0 {
				out = append(out, v)
			}
		}
		return out
	}
	if a.log {
		lo, hi := math.Floor(a.lo), math.Ceil(a.hi)
		mult := []float64{1}
		switch {
		case a.hi-a.lo < 1.2:
			mult = []float64{1, 2, 3, 5, 7}
		case a.hi-a.lo < 3:
			mult = []float64{1, 2, 5}
		}
		step := math.Max(1, math.Ceil((hi-lo)/8))
		for k := lo; k <= hi; k += step {
			for _, m := range mult {
				v := m * math.Pow(10, k)
				if l := math.Log10(v); l >= a.lo-1e-9 && l <= a.hi+1e-9 {
					out = append(out, v)
				}
			}
		}
		return out
	}
	step := niceStep((a.hi - a.lo) / 6)
	if step <= 0 || math.IsNaN(step) {
		return []float64{a.lo}
	}
	for v := math.Ceil(a.lo/step) * step; v <= a.hi+1e-9*step; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// Num formats a number compactly for labels and tables. Integers print
// exactly (1024 is "1024", 1048576 is "1048576"), in the short form only
// where that is exact too (2.5e7); other numbers get 3 significant digits
// (3.14, 0.25), or whole units from 100 up (1023.7 is "1024"), or the
// short form when very large or small (1.5e-4).
func Num(x float64) string {
	switch {
	case math.IsNaN(x):
		return "–"
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "-∞"
	case x == 0:
		return "0"
	case x == math.Trunc(x) && math.Abs(x) < 1e6:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case x == math.Trunc(x) && math.Abs(x) < 1e15:
		if e := short(x); mustParse(e) == x {
			return e
		}
		return strconv.FormatFloat(x, 'f', 0, 64)
	case math.Abs(x) >= 1e6 || math.Abs(x) < 1e-3:
		return short(x)
	case math.Abs(x) >= 100:
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// short renders x as a mantissa of up to 3 significant digits and an
// exponent: 1.5e-4, 2.5e7.
func short(x float64) string {
	m, e, _ := strings.Cut(strconv.FormatFloat(x, 'e', 2, 64), "e")
	if strings.Contains(m, ".") {
		m = strings.TrimRight(strings.TrimRight(m, "0"), ".")
	}
	exp, _ := strconv.Atoi(e)
	return m + "e" + strconv.Itoa(exp)
}

// mustParse reads back a number Num wrote.
func mustParse(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}
