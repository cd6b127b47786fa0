package claims

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"argmax"
	"argmax/lab"
	"argmax/lab/eval"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The runtime-cost claim in continuous control: planners on the true
// simulator over a ladder of budgets (each budget a point of their
// cost–return frontier) against trained policies that answer in one
// forward pass, compared at matched return.

const (
	ctlTag    = "ctl"
	ctlExp    = "claims/runtime-cost-control"
	ctlAspect = "runtime cost (control)"
	// budgetSlot is the place of the budget in a frontier's template.
	budgetSlot = "{}"
)

// RuntimeCostControl measures planners' cost–return frontiers and trained
// policies' cost and return on one control task.
var RuntimeCostControl = lab.Experiment{
	Name:    ctlExp,
	Doc:     "Pendulum swing-up: the return of planners on the true simulator at a ladder of budgets (CEM's samples per iteration; the hybrid's too) against the return of trained policies, with the wall time and counted work of every decision (medians, †) and the policies' training cost — the runtime-cost claim at matched return.",
	Version: 1,
	Params: []lab.Param{
		{Name: "env", Kind: lab.String, Doc: "env spec (learners train on it too)", Quick: "pendulum"},
		{Name: "frontiers", Kind: lab.Strings, Doc: "policy spec templates with {} where the budget goes: one frontier each", MinLen: 1,
			Quick: []string{"cem:samples={},iters=4,horizon=25", "guidedcem:steps=150000,samples={},iters=2,horizon=25"},
			Full:  []string{"cem:samples={},iters=4,horizon=25", "cem:method=mppi,samples={},iters=4,horizon=25", "guidedcem:steps=400000,samples={},iters=2,horizon=25"}},
		{Name: "budgets", Kind: lab.Ints, Doc: "the budgets put in the templates", MinLen: 2, Range: lab.Between(1, 1<<24),
			Quick: []int{2, 4, 8, 16, 32, 64, 128, 256}, Full: []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}},
		{Name: "policies", Kind: lab.Strings, Doc: "fixed-cost policy specs (lab/envs)", MinLen: 1,
			Quick: []string{"ppo:steps=150000", "random"}, Full: []string{"ppo:steps=150000", "ppo:steps=400000", "random"}},
		{Name: "episodes", Kind: lab.Int, Doc: "held-out episodes per seed and point", Quick: 5, Full: 20, Range: lab.Between(1, 1e5)},
	},
	Seeds: [2]int{5, 10},
	Run:   runRuntimeCostControl,
}

func init() {
	lab.Register(RuntimeCostControl)
	register(Claim{Aspect: ctlAspect, Experiments: []string{RuntimeCostControl.Name}, Summarize: summarizeRuntimeCostControl})
}

func runRuntimeCostControl(ctx context.Context, t *lab.Trial) error {
	spec := t.Text("env")
	seeds := episodeSeeds(t, t.Int("episodes"))
	for _, tmpl := range t.Strings("frontiers") {
		if strings.Count(tmpl, budgetSlot) != 1 {
			return fmt.Errorf("frontier %q: want exactly one %s where the budget goes", tmpl, budgetSlot)
		}
		for _, b := range t.Ints("budgets") {
			pol := strings.Replace(tmpl, budgetSlot, fmt.Sprint(b), 1)
			if err := scoreEnvPolicyAs(ctx, t, tmpl, ctlTag, int64(b), spec, spec, pol, seeds, argmax.Budget{}); err != nil {
				return err
			}
		}
	}
	for _, pol := range t.Strings("policies") {
		if err := scoreEnvPolicy(ctx, t, ctlTag, 0, spec, spec, pol, seeds); err != nil {
			return err
		}
	}
	return nil
}

// ctlFrontier reads one seed's frontier of a template: return against the
// median time per decision at each budget.
func ctlFrontier(seed []*store.Trial, tmpl string) []eval.FrontierPoint {
	var pts []eval.FrontierPoint
	for _, s := range lab.StepsOf(seed, tmpl, ctlTag+mReturn) {
		p := eval.FrontierPoint{Budget: argmax.Budget{Samples: s}, Quality: stats.Interval{Est: seedValue(seed, tmpl, ctlTag+mReturn, s)}}
		p.MedianTime = time.Duration(seedValue(seed, tmpl, ctlTag+mDecideTime, s) * float64(time.Second))
		p.Mean.Steps = seedValue(seed, tmpl, ctlTag+mModelSteps, s)
		pts = append(pts, p)
	}
	return pts
}

func summarizeRuntimeCostControl(res *lab.Results) Row {
	row, ts := newRow(res, ctlExp, ctlAspect, "Runtime cost in continuous control",
		"In continuous control too, a planner pays at every decision and a trained policy once: at matched return the policy's answer is much cheaper per decision.", runtimeCostRule)
	row.TimingVerdict = true
	if len(ts) == 0 {
		return row
	}
	metric := ctlTag + mReturn
	by := envDeciders(ts, metric)
	amort := bestAt(ts, by[argmax.Amortized], metric, 0)
	direct := by[argmax.Direct]

	chart := report.Chart{Title: "Return against time per decision", XLabel: "median wall time per decision (s, †)", YLabel: "mean return", LogX: true}
	tab := report.Table{Caption: "Return and cost per decision at each budget (means over seeds; time †)", Header: []string{"policy", "role", "budget", "return", "simulator steps / decision", "time / decision †"}}
	for _, d := range lab.Deciders(ts, metric) {
		s := report.Series{Name: d.Decider}
		for _, st := range lab.StepsOf(ts, d.Decider, metric) {
			r, tm := meanFig(ts, d.Decider, metric, "", st), geoFig(ts, d.Decider, ctlTag+mDecideTime, "s", st)
			r.Name, r.Decider, r.Role = fmt.Sprintf("return at budget %d", st), d.Decider, d.Role
			row.Figures = append(row.Figures, r)
			budget := "–"
			if strings.Contains(d.Decider, budgetSlot) {
				budget = fmt.Sprint(st)
			}
			tab.Rows = append(tab.Rows, []string{d.Decider, string(d.Role), budget, r.Text(),
				report.Num(roundSig(meanFig(ts, d.Decider, ctlTag+mModelSteps, "", st).Value)), dur(tm.Value)})
			s.Points = append(s.Points, report.Point{X: tm.Value, Y: r.Value, Lo: r.Lo, Hi: r.Hi})
		}
		chart.Series = append(chart.Series, s)
	}

	var ratios, breakEven, matched []float64
	bounded, below := false, false // some seed's R is only a lower (upper) bound
	for _, seed := range perSeed(ts) {
		q, tA := seedValue(seed, amort, metric, 0), seedValue(seed, amort, ctlTag+mDecideTime, 0)
		tD, reached, side := math.Inf(1), false, eval.Inside
		worst := 0.0
		for _, d := range direct {
			pts := ctlFrontier(seed, d)
			c, s := eval.AtQuality(pts, q, eval.CostMedianTime)
			for _, p := range pts {
				worst = math.Max(worst, eval.CostMedianTime(p))
			}
			if s != eval.Above && c < tD {
				tD, reached, side = c, true, s
			}
		}
		below = below || side == eval.Below
		if !reached {
			tD, bounded = worst, true
		}
		if tA > 0 && tD > 0 {
			ratios = append(ratios, math.Log(tD/tA))
			matched = append(matched, math.Log(tD))
		}
		if train := seedValue(seed, amort, ctlTag+mTrainSeconds, 0); reached && train > 0 && tD > tA {
			breakEven = append(breakEven, train/(tD-tA))
		}
	}
	r := ratioFig("R: direct time at the amortized return / amortized time", ratios).For(amort, argmax.Amortized)
	if len(ratios) > 0 {
		switch {
		case bounded && below: // bounds both ways: nothing is known
			r.Lo, r.Hi = 0, math.Inf(1)
		case bounded:
			r.Bound, r.Hi = ">=", math.Inf(1)
		case below: // the cheapest budget already beats the policy
			r.Bound, r.Lo = "<=", 0
		}
	}
	be := seedsFig("decisions after which training has paid for itself", "decisions", breakEven)
	be.Timing = true
	row.Figures = append(row.Figures, r, be)
	row.Verdict, row.Why = runtimeCostVerdict(r)
	row.Why += fmt.Sprintf(" (policy %s at return %s)", amort, meanFig(ts, amort, metric, "", 0).Text())

	sec := row.Section
	sec.Tables = append(sec.Tables, tab)
	sec.Charts = drawable(sec.Charts, chart)
	sec.Text = "Each frontier is one planner whose budget — CEM's samples per iteration — climbs a ladder; R reads the planners' frontiers (their Pareto envelope, interpolated in log time) at the return of the best trained policy. " +
		"Times are medians per decision measured while other trials run († : they vary from run to run). " +
		"Break-even: the training wall time divided by the time per decision the policy saves at matched return."
	row.Section = sec
	tMatched := math.NaN()
	if len(matched) > 0 {
		tMatched = math.Exp(stats.Mean(matched))
	}
	reach := "reaches"
	if bounded {
		reach = "does not reach, in the budgets measured, on some seeds"
	}
	row.Direct = Cell{Figure: fmt.Sprintf("%s the policy's return", reach), Timing: fmt.Sprintf("%s / decision there (geometric mean over seeds); R = %s", dur(tMatched), r.Text())}
	row.Amortized = Cell{Figure: fmt.Sprintf("%s: return %s", amort, meanFig(ts, amort, metric, "", 0).Text()),
		Timing: fmt.Sprintf("%s / decision; training pays after %s decisions", dur(geoFig(ts, amort, ctlTag+mDecideTime, "s", 0).Value), be.Text())}
	if hs := by[argmax.Hybrid]; len(hs) > 0 {
		h := bestAt(ts, hs, metric, maxStep(ts, hs, metric))
		row.Hybrid = Cell{Figure: fmt.Sprintf("%s: best return %s", h, meanFig(ts, h, metric, "", maxStep(ts, hs, metric)).Text())}
	}
	return row
}

// maxStep is the largest step at which any of ds has metric.
func maxStep(ts []*store.Trial, ds []string, metric string) int64 {
	var m int64
	for _, d := range ds {
		for _, s := range lab.StepsOf(ts, d, metric) {
			m = max(m, s)
		}
	}
	return m
}
