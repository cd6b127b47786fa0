package lab

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"argmax"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// Results are the stored trials of a plan, ready for analysis.
type Results struct {
	Trials []*store.Trial // done trials, ordered by experiment, point, seed index
}

// LoadResults reads the done trials among the planned ones from st.
func LoadResults(ctx context.Context, st Store, planned []*Trial) (*Results, error) {
	keys := make([]string, len(planned))
	for i, t := range planned {
		keys[i] = t.Key
	}
	trials, err := st.Trials(ctx, store.Filter{Keys: keys, Status: store.StatusDone})
	if err != nil {
		return nil, err
	}
	return &Results{Trials: trials}, nil
}

// Of returns the trials of one experiment.
func (r *Results) Of(experiment string) []*store.Trial {
	var out []*store.Trial
	for _, t := range r.Trials {
		if t.Experiment == experiment {
			out = append(out, t)
		}
	}
	return out
}

// Where returns the trials whose parameter name has value v (compared in
// JSON form, so 16 matches 16.0 and "mcts" matches "mcts").
func Where(trials []*store.Trial, name string, v any) []*store.Trial {
	want, _ := json.Marshal(v)
	var out []*store.Trial
	for _, t := range trials {
		got, _ := json.Marshal(t.Params[name])
		if string(got) == string(want) || numEq(t.Params[name], v) {
			out = append(out, t)
		}
	}
	return out
}

func numEq(a, b any) bool {
	x, ok1 := toFloat(a)
	y, ok2 := toFloat(b)
	return ok1 && ok2 && x == y
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// ParamFloat returns a numeric parameter of a stored trial (NaN if absent).
func ParamFloat(t *store.Trial, name string) float64 {
	if x, ok := toFloat(t.Params[name]); ok {
		return x
	}
	return math.NaN()
}

// ParamInts returns a list-of-integers parameter of a stored trial (nil
// if absent or not a list of numbers).
func ParamInts(t *store.Trial, name string) []int {
	switch xs := t.Params[name].(type) {
	case []int:
		return xs
	case []any:
		out := make([]int, 0, len(xs))
		for _, x := range xs {
			f, ok := toFloat(x)
			if !ok {
				return nil
			}
			out = append(out, int(f))
		}
		return out
	}
	return nil
}

// ParamFloats returns a list-of-numbers parameter of a stored trial (nil
// if absent or not a list of numbers).
func ParamFloats(t *store.Trial, name string) []float64 {
	switch xs := t.Params[name].(type) {
	case []float64:
		return xs
	case []any:
		out := make([]float64, 0, len(xs))
		for _, x := range xs {
			f, ok := toFloat(x)
			if !ok {
				return nil
			}
			out = append(out, f)
		}
		return out
	}
	return nil
}

// ParamStrings returns a list-of-strings parameter of a stored trial (nil
// if absent or not a list of strings).
func ParamStrings(t *store.Trial, name string) []string {
	switch xs := t.Params[name].(type) {
	case []string:
		return xs
	case []any:
		out := make([]string, 0, len(xs))
		for _, x := range xs {
			s, ok := x.(string)
			if !ok {
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	return nil
}

// ParamString returns a parameter of a stored trial as text.
func ParamString(t *store.Trial, name string) string {
	switch x := t.Params[name].(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// Values returns the metric at step of each trial that has it, in trial
// order (one per seed at a point).
func Values(trials []*store.Trial, metric string, step int64) []float64 {
	var out []float64
	for _, t := range trials {
		if v, ok := t.Value(metric, step); ok && !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// CI returns the mean over trials of the metric at step with its 95%
// t interval.
func CI(trials []*store.Trial, metric string, step int64) stats.Interval {
	return stats.MeanCI(Values(trials, metric, step), 0.95)
}

// GeoCI returns the geometric mean over trials of a positive metric (a
// timing) with its 95% t interval computed on logarithms: timings are
// skewed, and an interval on their logs never goes below zero.
func GeoCI(trials []*store.Trial, metric string, step int64) stats.Interval {
	var logs []float64
	for _, v := range Values(trials, metric, step) {
		if v > 0 {
			logs = append(logs, math.Log(v))
		}
	}
	iv := stats.MeanCI(logs, 0.95)
	return stats.Interval{Est: math.Exp(iv.Est), Lo: math.Exp(iv.Lo), Hi: math.Exp(iv.Hi), N: iv.N}
}

// Steps returns the distinct steps at which metric was recorded, sorted.
func Steps(trials []*store.Trial, metric string) []int64 {
	seen := map[int64]bool{}
	for _, t := range trials {
		for _, m := range t.Metrics {
			if m.Name == metric {
				seen[m.Step] = true
			}
		}
	}
	out := make([]int64, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// MetricNames returns the metric names of the trials, reproducible ones
// first, each group sorted.
func MetricNames(trials []*store.Trial) (reproducible, timings []string) {
	seen := map[string]bool{}
	for _, t := range trials {
		for _, m := range t.Metrics {
			if seen[m.Name] {
				continue
			}
			seen[m.Name] = true
			if m.Timing {
				timings = append(timings, m.Name)
			} else {
				reproducible = append(reproducible, m.Name)
			}
		}
	}
	sort.Strings(reproducible)
	sort.Strings(timings)
	return
}

// lastStep returns the largest step of metric among trials.
func lastStep(trials []*store.Trial, metric string) int64 {
	s := Steps(trials, metric)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)-1]
}

// GroupPoints groups trials by parameter point, in order of first
// appearance.
func GroupPoints(trials []*store.Trial) [][]*store.Trial {
	idx := map[string]int{}
	var out [][]*store.Trial
	for _, t := range trials {
		i, ok := idx[t.Point]
		if !ok {
			i = len(out)
			idx[t.Point] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], t)
	}
	return out
}

// FormatCI renders an interval as "est [lo, hi]" with a number format
// suited to its magnitude.
func FormatCI(iv stats.Interval) string {
	if math.IsNaN(iv.Est) {
		return "–"
	}
	if iv.N <= 1 || iv.Lo == iv.Hi {
		return report.Num(round3(iv.Est))
	}
	return fmt.Sprintf("%s [%s, %s]", report.Num(round3(iv.Est)), report.Num(round3(iv.Lo)), report.Num(round3(iv.Hi)))
}

// round3 rounds to 3 significant digits; whole numbers below a million
// (simulation counts, budgets) are kept exact.
func round3(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) || (x == math.Trunc(x) && math.Abs(x) < 1e6) {
		return x
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

// SpecReport builds the generic report of a spec run: for each experiment a
// table of every point (mean and 95% interval over seeds of each metric),
// charts of each metric against the first numeric swept parameter, and
// charts of metrics recorded over steps.
func SpecReport(spec *Spec, res *Results) *report.Report {
	r := &report.Report{
		Title: "argmax run: " + orDefault(spec.Name, "spec"),
		Meta: [][2]string{
			{"scale", string(spec.Scale)},
			{"spec seed", fmt.Sprint(spec.Seed)},
			{"trials", fmt.Sprintf("%d done of %d planned", len(res.Trials), spec.NumTrials())},
		},
		Intro: spec.Description,
	}
	for i := range spec.Entries {
		e := &spec.Entries[i]
		trials := res.Of(e.Experiment.Name)
		sec := report.Section{Title: e.Experiment.Name, Text: e.Experiment.Doc}
		if len(trials) == 0 {
			sec.Text += "\n\nNo finished trials."
			r.Sections = append(r.Sections, sec)
			continue
		}
		repro, timings := MetricNames(trials)
		metrics := append(append([]string{}, repro...), timings...)
		grid := e.GridNames()
		tab := report.Table{Caption: "Mean and 95% interval over seeds (timings marked †: they vary from run to run)"}
		tab.Header = append(append([]string{"point"}, grid...), "seeds")
		for _, m := range metrics {
			tab.Header = append(tab.Header, m+timingMark(m, timings))
		}
		for _, pts := range GroupPoints(trials) {
			row := []string{pointLabel(pts[0], grid)}
			for _, g := range grid {
				row = append(row, ParamString(pts[0], g))
			}
			row = append(row, fmt.Sprint(len(pts)))
			for _, m := range metrics {
				row = append(row, FormatCI(CI(pts, m, lastStep(pts, m))))
			}
			tab.Rows = append(tab.Rows, row)
		}
		sec.Tables = append(sec.Tables, tab)
		// Charts against the first numeric swept parameter.
		if x := numericGrid(e, grid); x != "" {
			others := slices.DeleteFunc(slices.Clone(grid), func(s string) bool { return s == x })
			for _, m := range metrics {
				sec.Charts = append(sec.Charts, sweepChart(trials, x, others, m, slices.Contains(timings, m)))
			}
		}
		// Metrics over steps.
		for _, m := range metrics {
			if len(Steps(trials, m)) < 2 {
				continue
			}
			c := report.Chart{Title: m + " over steps", XLabel: "step", YLabel: m}
			steps := Steps(trials, m)
			c.LogX = steps[0] > 0 && float64(steps[len(steps)-1])/float64(steps[0]) >= 20
			for _, pts := range GroupPoints(trials) {
				s := report.Series{Name: pointLabel(pts[0], grid)}
				for _, st := range steps {
					iv := CI(pts, m, st)
					if !math.IsNaN(iv.Est) {
						s.Points = append(s.Points, report.Point{X: float64(st), Y: iv.Est, Lo: iv.Lo, Hi: iv.Hi})
					}
				}
				c.Series = append(c.Series, s)
			}
			sec.Charts = append(sec.Charts, c)
		}
		r.Sections = append(r.Sections, sec)
	}
	return r
}

func timingMark(m string, timings []string) string {
	if slices.Contains(timings, m) {
		return " †"
	}
	return ""
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// pointLabel names a point by its swept parameters ("sims=64 game=ttt").
func pointLabel(t *store.Trial, grid []string) string {
	if len(grid) == 0 {
		return "default"
	}
	parts := make([]string, len(grid))
	for i, g := range grid {
		parts[i] = g + "=" + ParamString(t, g)
	}
	return strings.Join(parts, " ")
}

// numericGrid returns the first swept parameter with numeric values and at
// least two of them, or "".
func numericGrid(e *Entry, grid []string) string {
	for _, g := range grid {
		k := e.Experiment.Param(g).Kind
		if (k == Int || k == Float) && len(e.Grid[g]) >= 2 {
			return g
		}
	}
	return ""
}

// sweepChart draws metric against parameter x, one series per combination
// of the other swept parameters, with 95% bands over seeds.
func sweepChart(trials []*store.Trial, x string, others []string, metric string, timing bool) report.Chart {
	c := report.Chart{Title: metric + " vs " + x, XLabel: x, YLabel: metric}
	if timing {
		c.Title += " (timing)"
	}
	series := map[string]*report.Series{}
	var order []string
	minX, maxX := math.Inf(1), math.Inf(-1)
	for _, pts := range GroupPoints(trials) {
		name := pointLabel(pts[0], others)
		if len(others) == 0 {
			name = metric
		}
		s, ok := series[name]
		if !ok {
			s = &report.Series{Name: name}
			series[name] = s
			order = append(order, name)
		}
		xv := ParamFloat(pts[0], x)
		iv := CI(pts, metric, lastStep(pts, metric))
		if math.IsNaN(iv.Est) || math.IsNaN(xv) {
			continue
		}
		minX, maxX = math.Min(minX, xv), math.Max(maxX, xv)
		s.Points = append(s.Points, report.Point{X: xv, Y: iv.Est, Lo: iv.Lo, Hi: iv.Hi})
	}
	c.LogX = minX > 0 && maxX/minX >= 20
	for _, name := range order {
		s := series[name]
		sort.Slice(s.Points, func(i, j int) bool { return s.Points[i].X < s.Points[j].X })
		c.Series = append(c.Series, *s)
	}
	return c
}

// DeciderRole is a decider named in stored metrics, with its role.
type DeciderRole struct {
	Decider string
	Role    argmax.Role
}

// Deciders returns the deciders that have metric among trials, in order of
// first appearance.
func Deciders(trials []*store.Trial, metric string) []DeciderRole {
	seen := map[string]bool{}
	var out []DeciderRole
	for _, t := range trials {
		for _, m := range t.Metrics {
			if m.Name == metric && m.Decider != "" && !seen[m.Decider] {
				seen[m.Decider] = true
				out = append(out, DeciderRole{m.Decider, argmax.Role(m.Role)})
			}
		}
	}
	return out
}

// ValuesOf returns decider's metric at step of each trial that has it.
func ValuesOf(trials []*store.Trial, decider, metric string, step int64) []float64 {
	var out []float64
	for _, t := range trials {
		if v, ok := t.ValueOf(decider, metric, step); ok && !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// StepsOf returns the distinct steps at which decider recorded metric.
func StepsOf(trials []*store.Trial, decider, metric string) []int64 {
	seen := map[int64]bool{}
	for _, t := range trials {
		for _, m := range t.Metrics {
			if m.Name == metric && m.Decider == decider {
				seen[m.Step] = true
			}
		}
	}
	out := make([]int64, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}
