package claims

import (
	"context"
	"fmt"
	"math"

	"argmax"
	"argmax/lab"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The generalization claim: a policy trained on one range of an env's
// hidden parameters is tested on ranges shifted ever further from it,
// beside a planner on the true simulator (whose answer depends only on its
// budget and its model, not on a training distribution) and beside PPO
// trained on each shifted range itself (the in-distribution reference that
// separates the policy's generalization gap from the task's difficulty).

const (
	genTag      = "gen"    // policies trained on the training range
	genRefTag   = "genref" // PPO trained on each test range
	genExp      = "claims/generalization"
	genAspect   = "generalization"
	genBaseline = "random"
)

// Generalization scores env policies trained on one range of hidden
// parameters on shifted ranges.
var Generalization = lab.Experiment{
	Name: genExp,
	Doc: "Pendulum swing-up with the pole's mass drawn per episode: PPO trained on one range, tested on ranges shifted ever further from it (the shift distance is the distance between the ranges' centres), " +
		"beside CEM on the true simulator, CEM started from the PPO policy's plan (the hybrid), the random baseline and, as the reference, PPO trained on each test range itself — on the same held-out episodes.",
	Version: 1,
	Params: []lab.Param{
		{Name: "train", Kind: lab.String, Doc: "env spec the policies train on", Quick: "pendulum:mass=0.8..1.2"},
		{Name: "tests", Kind: lab.Strings, Doc: "env specs of the test ranges, the training range first", MinLen: 2,
			Quick: []string{"pendulum:mass=0.8..1.2", "pendulum:mass=1.1..1.5", "pendulum:mass=1.4..1.8", "pendulum:mass=1.7..2.1"},
			Full: []string{"pendulum:mass=0.8..1.2", "pendulum:mass=1.0..1.4", "pendulum:mass=1.2..1.6", "pendulum:mass=1.4..1.8",
				"pendulum:mass=1.6..2.0", "pendulum:mass=1.8..2.2", "pendulum:mass=2.0..2.4"}},
		{Name: "shifts", Kind: lab.Floats, Doc: "shift distance of each test range from the training range", MinLen: 2,
			Quick: []float64{0, 0.3, 0.6, 0.9}, Full: []float64{0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2}},
		{Name: "policies", Kind: lab.Strings, Doc: "policy specs (lab/envs); learners train on the training range", MinLen: 2,
			Quick: []string{"cem:samples=128,iters=4,horizon=25", "ppo:steps=300000", "guidedcem:steps=300000", "random"},
			Full:  []string{"cem:samples=128,iters=4,horizon=25", "cem:samples=512,iters=5,horizon=30", "ppo:steps=600000", "guidedcem:steps=600000", "random"}},
		{Name: "reference", Kind: lab.String, Doc: "the learner trained on each test range (the in-distribution reference; the heavier ranges are harder to learn, so it needs the same generous budget as the policy)", Quick: "ppo:steps=300000", Full: "ppo:steps=600000"},
		{Name: "episodes", Kind: lab.Int, Doc: "held-out episodes per seed and test range", Quick: 8, Full: 20, Range: lab.Between(1, 1e5)},
	},
	Seeds: [2]int{5, 10},
	Run:   runGeneralization,
}

func init() {
	lab.Register(Generalization)
	register(Claim{Aspect: genAspect, Experiments: []string{Generalization.Name}, Summarize: summarizeGeneralization})
}

func runGeneralization(ctx context.Context, t *lab.Trial) error {
	tests, shifts := t.Strings("tests"), t.Floats("shifts")
	if len(shifts) != len(tests) {
		return fmt.Errorf("%d shifts for %d test ranges", len(shifts), len(tests))
	}
	if shifts[0] != 0 {
		return fmt.Errorf("shifts[0] = %v: the first test range is the training range, at shift 0", shifts[0])
	}
	seeds := episodeSeeds(t, t.Int("episodes"))
	train := t.Text("train")
	for i, spec := range tests {
		for _, pol := range t.Strings("policies") {
			if err := scoreEnvPolicy(ctx, t, genTag, int64(i), spec, train, pol, seeds); err != nil {
				return err
			}
		}
		if err := scoreEnvPolicy(ctx, t, genRefTag, int64(i), spec, spec, t.Text("reference"), seeds); err != nil {
			return err
		}
	}
	return nil
}

const genRule = "Let D be the direct planner and P the amortized policy of best mean return on the training range, and d the largest shift. Per seed, on the same held-out episodes: " +
	"G = (P's drop − D's drop) from the training range to shift d, and g = (the reference — the same learner trained on the range at d — minus P, both tested at d), both in units of the training range's return span (best decider − random); intervals over seeds. " +
	"Holds if G and g both have lower bounds above 0 (the policy loses more under the shift than the planner, and it is the shift, not the task, that costs it); " +
	"does not hold if G's upper bound is at most 0 (the policy degrades no more than the planner) or g's upper bound is at most 0 (a policy trained on the range at d does no better there: the policy's drop is the task's difficulty, not a generalization gap); otherwise inconclusive."

// genVerdict decides the generalization claim from G and g at the largest
// shift.
func genVerdict(bigG, gap lab.Figure) (Verdict, string) {
	why := fmt.Sprintf("G = %s, g = %s", bigG.Text(), gap.Text())
	switch {
	case math.IsNaN(bigG.Value) || math.IsNaN(gap.Value):
		return Inconclusive, why + " (not all measured)"
	case bigG.Hi <= 0:
		return DoesNotHold, why + ": the policy degrades under the shift no more than the planner"
	case gap.Hi <= 0:
		return DoesNotHold, why + ": a policy trained on the shifted range itself does no better there — the drop is the task's difficulty, not the shift away from the training distribution"
	case bigG.Lo > 0 && gap.Lo > 0:
		return Holds, why + ": the policy loses more under the shift than the planner, and less is lost by a policy trained on the shifted range"
	}
	return Inconclusive, why
}

func summarizeGeneralization(res *lab.Results) Row {
	row, ts := newRow(res, genExp, genAspect, "Generalization under a shift of hidden parameters",
		"A planner's answer depends only on its budget and its model, so it carries over to shifted dynamics; an amortized policy is only as good as its training distribution, and degrades as the test distribution moves away from it.", genRule)
	if len(ts) == 0 {
		return row
	}
	tests, shifts := lab.ParamStrings(ts[0], "tests"), lab.ParamFloats(ts[0], "shifts")
	ref := lab.ParamString(ts[0], "reference")
	metric, refMetric := genTag+mReturn, genRefTag+mReturn
	by := envDeciders(ts, metric)
	last := int64(len(tests) - 1)
	var all []string
	for _, r := range []argmax.Role{argmax.Direct, argmax.Amortized, argmax.Hybrid} {
		all = append(all, by[r]...)
	}
	best := bestAt(ts, all, metric, 0)
	scale := stats.Mean(lab.ValuesOf(ts, best, metric, 0)) - stats.Mean(lab.ValuesOf(ts, genBaseline, metric, 0))
	if !(scale > 0) {
		scale = 1
	}
	d, p := bestAt(ts, by[argmax.Direct], metric, 0), bestAt(ts, by[argmax.Amortized], metric, 0)

	chart := report.Chart{Title: "Return against the shift of the hidden parameters", XLabel: "shift distance from the training range", YLabel: "mean return"}
	tab := report.Table{Caption: "Mean return per test range (95% interval over seeds; the same held-out episodes for every policy)", Header: []string{"policy", "role", "trained on"}}
	for i := range tests {
		tab.Header = append(tab.Header, fmt.Sprintf("shift %g", shifts[i]))
	}
	addSeries := func(name, dec, m, trained string, role argmax.Role) {
		cells := []string{name, string(role), trained}
		s := report.Series{Name: name}
		for i := range tests {
			f := meanFig(ts, dec, m, "", int64(i))
			f.Name, f.Decider, f.Role = fmt.Sprintf("return at shift %g (%s)", shifts[i], tests[i]), name, role
			row.Figures = append(row.Figures, f)
			cells = append(cells, f.Text())
			s.Points = append(s.Points, report.Point{X: shifts[i], Y: f.Value, Lo: f.Lo, Hi: f.Hi})
		}
		tab.Rows = append(tab.Rows, cells)
		chart.Series = append(chart.Series, s)
	}
	train := lab.ParamString(ts[0], "train")
	for _, dc := range lab.Deciders(ts, metric) {
		addSeries(dc.Decider, dc.Decider, metric, train, dc.Role)
	}
	refName := ref + " trained on the test range"
	addSeries(refName, ref, refMetric, "each test range", argmax.Amortized)

	gtab := report.Table{Caption: "The policy's loss under the shift, in units of the training range's return span", Header: []string{"shift", "G: policy's drop − planner's drop", "g: reference − policy"}}
	var bigG, gap lab.Figure
	for i := 1; i < len(tests); i++ {
		st := int64(i)
		G := perSeedFig(ts, fmt.Sprintf("G at shift %g", shifts[i]), func(seed []*store.Trial) float64 {
			drop := func(dec string) float64 { return seedValue(seed, dec, metric, 0) - seedValue(seed, dec, metric, st) }
			return (drop(p) - drop(d)) / scale
		})
		g := perSeedFig(ts, fmt.Sprintf("g at shift %g", shifts[i]), func(seed []*store.Trial) float64 {
			return (seedValue(seed, ref, refMetric, st) - seedValue(seed, p, metric, st)) / scale
		})
		row.Figures = append(row.Figures, G, g)
		gtab.Rows = append(gtab.Rows, []string{fmt.Sprint(shifts[i]), G.Text(), g.Text()})
		if int64(i) == last {
			bigG, gap = G, g
		}
	}
	row.Verdict, row.Why = genVerdict(bigG, gap)
	row.Why += fmt.Sprintf(" (planner %s, policy %s, largest shift %g)", d, p, shifts[last])

	sec := row.Section
	sec.Tables = append(sec.Tables, gtab, tab)
	sec.Charts = drawable(sec.Charts, chart)
	sec.Text = "Every policy but the reference trains on " + train + "; each test range keeps the rest of the task. The planners simulate the true env, hidden parameters included: their model is right at every shift, so their change measures the task's own difficulty there. " +
		"The reference — the same learner trained on each test range — tells how much of the policy's drop a policy trained there avoids: its generalization gap."
	row.Section = sec
	cell := func(dec string) Cell {
		if dec == "" {
			return Cell{}
		}
		return Cell{Figure: fmt.Sprintf("%s: return %s (training range) → %s (shift %g)", dec, meanFig(ts, dec, metric, "", 0).Text(), meanFig(ts, dec, metric, "", last).Text(), shifts[last])}
	}
	row.Direct, row.Amortized = cell(d), cell(p)
	if len(by[argmax.Hybrid]) > 0 {
		row.Hybrid = cell(bestAt(ts, by[argmax.Hybrid], metric, 0))
	}
	return row
}
