package claims

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"argmax"
	"argmax/lab"
	"argmax/lab/bots"
	"argmax/lab/eval"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The runtime-cost claim: a direct optimizer pays for every decision, an
// amortized one pays once, in training, and then answers each decision
// more cheaply — compared at matched quality on the cost–quality frontier,
// not against whichever budget is cheapest.

// RuntimeCost measures the cost–quality frontier of every suite decider on
// deep positions, and times them one at a time, interleaved.
var RuntimeCost = lab.Experiment{
	Name: "claims/runtime-cost",
	Doc: "The cost–quality frontier of every decider of the suite on held-out deep connect-four positions (where the 2-ply tactical rule can lose the value): " +
		"the optimal-move share against the counted cost per decision (simulations, model steps, forward passes, FLOPs) at each budget of the deciders that take one, " +
		"and wall time per decision measured one decider at a time, interleaved, medians (†). Trained deciders also report their training cost.",
	Version: 2,
	Params: withTrain([]lab.Param{
		{Name: "sets", Kind: lab.Strings, Doc: "position sets (game/connect4/positions)", Quick: []string{"middle-deep"}, Full: []string{"middle-deep", "beginning-deep"}, MinLen: 1},
		{Name: "positions", Kind: lab.Int, Doc: "positions drawn from each set per seed (0: all)", Quick: 200, Full: 0, Range: lab.Between(0, 1e6)},
		{Name: "sims", Kind: lab.Ints, Doc: "simulation budgets of the deciders that take one", Quick: []int{1, 4, 16, 64, 256, 1024, 4096}, Full: []int{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536}, Range: lab.Between(1, 1<<26), MinLen: 2},
		{Name: "nodes", Kind: lab.Ints, Doc: "node budgets of the deciders that take one", Quick: []int{1000, 10000, 100000, 1000000}, Range: lab.Between(1, 1<<40)},
		{Name: "timing_positions", Kind: lab.Int, Doc: "positions timed per decider and budget", Quick: 60, Full: 200, Range: lab.Between(1, 1e6)},
		{Name: "rounds", Kind: lab.Int, Doc: "interleaved timing rounds", Quick: 2, Full: 5, Range: lab.Between(1, 1000)},
	}),
	Seeds: [2]int{3, 5},
	Run:   runRuntimeCost,
}

const tagDeep = "deep"

func runRuntimeCost(ctx context.Context, t *lab.Trial) error {
	ps, _, err := loadSets(t, t.Strings("sets"), t.Int("positions"), 1)
	if err != nil {
		return err
	}
	env, err := envFor(ctx, t)
	if err != nil {
		return err
	}
	sims, nodes := t.Ints("sims"), t.Ints("nodes")
	var timed []eval.Named
	var entries []bots.SuiteEntry
	for _, e := range suite() {
		if _, err := measure(ctx, t, env, e, ps, tagDeep, sims, nodes); err != nil {
			return err
		}
		for _, b := range budgetsOf(e, sims, nodes) {
			d, err := bots.NewIn(env, c4, e.Spec)
			if err != nil {
				return err
			}
			defer bots.Close(d)
			timed = append(timed, eval.Named{Name: e.Spec, Decider: d, Budget: b})
			entries = append(entries, e)
		}
		// Training cost, apart from the per-decision cost.
		d, err := bots.NewIn(env, c4, e.Spec)
		if err != nil {
			return err
		}
		if tr, ok := d.(argmax.Trainable); ok {
			c := tr.TrainingCost()
			rec := func(m string, v float64) { t.RecordFor(e.Spec, e.Role, m, 0, v) }
			rec("train.flops", float64(c.FLOPs))
			rec("train.iterations", float64(c.Iterations))
			rec("train.label_nodes", float64(c.Nodes))
			rec("train.label_steps", float64(c.Steps))
			t.TimingFor(e.Spec, e.Role, "train.seconds", 0, c.Elapsed.Seconds())
		}
		bots.Close(d)
	}
	n := min(t.Int("timing_positions"), len(ps))
	tms, err := eval.Time(ctx, timed, ps[:n], t.Int("rounds"))
	if err != nil {
		return err
	}
	for i, tm := range tms {
		t.TimingFor(entries[i].Spec, entries[i].Role, tagDeep+".median_seconds", step(timed[i].Budget), tm.Median.Seconds())
	}
	return nil
}

func init() {
	lab.Register(RuntimeCost)
	register(Claim{Aspect: "runtime cost", Experiments: []string{RuntimeCost.Name}, Summarize: summarizeRuntimeCost})
}

// storedFrontier rebuilds one seed's frontier of decider from its stored
// figures under tag: quality, counted cost and median time per step.
func storedFrontier(ts []*store.Trial, decider, tag string) []eval.FrontierPoint {
	var pts []eval.FrontierPoint
	for _, s := range lab.StepsOf(ts, decider, tag+mOptimal) {
		v := func(m string) float64 {
			xs := lab.ValuesOf(ts, decider, tag+m, s)
			if len(xs) == 0 {
				return math.NaN()
			}
			return stats.Mean(xs)
		}
		p := eval.FrontierPoint{Budget: argmax.Budget{Simulations: s}, Quality: stats.Interval{Est: v(mOptimal)}}
		p.Mean.Steps, p.Mean.FLOPs, p.Mean.Simulations, p.Mean.ForwardPasses = v(mSteps), v(mFLOPs), v(mSims), v(mForward)
		p.MedianTime = time.Duration(v(".median_seconds") * float64(time.Second))
		pts = append(pts, p)
	}
	return pts
}

// bestOf returns the decider of role with the highest mean optimal share
// under tag, and that share.
func bestOf(ts []*store.Trial, tag string, role argmax.Role) (string, float64) {
	best, q := "", -1.0
	for _, d := range lab.Deciders(ts, tag+mOptimal) {
		if d.Role != role {
			continue
		}
		for _, s := range lab.StepsOf(ts, d.Decider, tag+mOptimal) {
			if v := stats.Mean(lab.ValuesOf(ts, d.Decider, tag+mOptimal, s)); v > q {
				best, q = d.Decider, v
			}
		}
	}
	return best, q
}

// directCostAt returns the cheapest time per decision at which a direct
// decider of the seed reaches quality q, and whether one does (otherwise
// the costliest time measured: a lower bound), with the model steps it
// takes there.
func directCostAt(ts []*store.Trial, q float64) (sec, steps float64, reached bool) {
	sec, steps = math.Inf(1), math.NaN()
	worst := 0.0
	for _, d := range lab.Deciders(ts, tagDeep+mOptimal) {
		if d.Role != argmax.Direct {
			continue
		}
		pts := storedFrontier(ts, d.Decider, tagDeep)
		c, side := eval.AtQuality(pts, q, eval.CostMedianTime)
		for _, p := range pts {
			worst = math.Max(worst, eval.CostMedianTime(p))
		}
		if side == eval.Above || math.IsNaN(c) {
			continue
		}
		if c < sec {
			sec = c
			steps, _ = eval.AtQuality(pts, q, eval.CostSteps)
		}
	}
	if math.IsInf(sec, 1) {
		return worst, math.NaN(), false
	}
	return sec, steps, true
}

func summarizeRuntimeCost(res *lab.Results) Row {
	row, ts := newRow(res, RuntimeCost.Name, "runtime cost", "Runtime cost", "A direct optimizer pays at every decision; an amortized one pays once, in training, and then answers each decision more cheaply at the same quality.", runtimeCostRule)
	row.TimingVerdict = true
	if len(ts) == 0 {
		return row
	}
	sec := row.Section
	tab, figs := suiteRows(ts, tagDeep, "Every decider of the suite on held-out deep positions: quality and counted cost per decision (mean [95% interval] over seeds); time † is the mean per decision in the accuracy run")
	row.Figures = append(row.Figures, figs...)
	sec.Tables = append(sec.Tables, tab)

	amort, qA := bestOf(ts, tagDeep, argmax.Amortized)
	hyb, qH := bestOf(ts, tagDeep, argmax.Hybrid)
	var ratios []float64
	bounded := false
	var deltas, breakEven []float64
	for _, seed := range perSeed(ts) {
		q := stats.Mean(lab.ValuesOf(seed, amort, tagDeep+mOptimal, 0))
		tA := stats.Mean(lab.ValuesOf(seed, amort, tagDeep+".median_seconds", 0))
		tD, steps, ok := directCostAt(seed, q)
		if !ok {
			bounded = true
		}
		if tA > 0 && tD > 0 {
			ratios = append(ratios, math.Log(tD/tA))
		}
		if ok && steps > 0 {
			deltas = append(deltas, math.Max(0, tA-tD)/steps)
		}
		if train := lab.ValuesOf(seed, amort, "train.seconds", 0); ok && len(train) > 0 && tD > tA {
			breakEven = append(breakEven, train[0]/(tD-tA))
		}
	}
	r := lab.Figure{Name: "R: direct time at the amortized quality / amortized time", Unit: "×", Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Timing: true, Decider: amort, Role: argmax.Amortized}
	if len(ratios) > 0 {
		iv := stats.MeanCI(ratios, 0.95)
		r.Value, r.Lo, r.Hi, r.N = math.Exp(iv.Est), math.Exp(iv.Lo), math.Exp(iv.Hi), iv.N
		if len(ratios) == 1 {
			r.Lo, r.Hi = r.Value, r.Value
		}
		if bounded {
			r.Bound, r.Hi = ">=", math.Inf(1)
		}
	}
	row.Figures = append(row.Figures, r)
	row.Verdict, row.Why = runtimeCostVerdict(r)

	delta := seedsFig("model-step cost at which amortization pays (µs)", "µs", scale(deltas, 1e6))
	delta.Timing = true
	be := seedsFig("decisions after which training has paid for itself", "decisions", breakEven)
	be.Timing = true
	row.Figures = append(row.Figures, delta, be)

	mcts := "mcts"
	dq := func(s int64) string { return pct(shareFig(ts, mcts, tagDeep+mOptimal, s).Interval()) }
	steps := lab.StepsOf(ts, mcts, tagDeep+mOptimal)
	var parts []string
	for _, s := range steps {
		parts = append(parts, fmt.Sprintf("%s sims %s", report.Num(float64(s)), dq(s)))
	}
	solverSteps := lab.StepsOf(ts, "solver", tagDeep+mOptimal)
	top := int64(0)
	if len(solverSteps) > 0 {
		top = solverSteps[len(solverSteps)-1]
	}
	row.Direct = Cell{Figure: "MCTS on deep positions: " + strings.Join(parts, "; ") + fmt.Sprintf("; solver within %s nodes %s", report.Num(float64(top)), pct(shareFig(ts, "solver", tagDeep+mOptimal, top).Interval())),
		Timing: fmt.Sprintf("solver within %s nodes: %s/decision (median)", report.Num(float64(top)), dur(geoFig(ts, "solver", tagDeep+".median_seconds", "s", top).Value))}
	if amort != "" {
		row.Amortized = Cell{Figure: fmt.Sprintf("%s: %s optimal, %s FLOPs/decision (1 forward pass)", amort, pct(shareFig(ts, amort, tagDeep+mOptimal, 0).Interval()),
			report.Num(roundSig(meanFig(ts, amort, tagDeep+mFLOPs, "", 0).Value))),
			Timing: fmt.Sprintf("%s/decision; R = %s", dur(geoFig(ts, amort, tagDeep+".median_seconds", "s", 0).Value), r.Text())}
	}
	if hyb != "" {
		row.Hybrid = Cell{Figure: fmt.Sprintf("%s: best %.1f%% optimal", hyb, 100*qH)}
	}
	_ = qA

	// The cost–quality frontier chart: quality against time per decision.
	chart := report.Chart{Title: "Cost–quality frontier on deep positions †", XLabel: "median time per decision (s)", YLabel: "optimal-move share", LogX: true}
	work := report.Chart{Title: "Quality against counted work per decision", XLabel: "model steps + forward passes per decision", YLabel: "optimal-move share", LogX: true}
	for _, d := range lab.Deciders(ts, tagDeep+mOptimal) {
		s1 := report.Series{Name: d.Decider + " (" + string(d.Role) + ")"}
		s2 := s1
		for _, s := range lab.StepsOf(ts, d.Decider, tagDeep+mOptimal) {
			q := shareFig(ts, d.Decider, tagDeep+mOptimal, s)
			x := geoFig(ts, d.Decider, tagDeep+".median_seconds", "s", s).Value
			if x > 0 {
				s1.Points = append(s1.Points, report.Point{X: x, Y: q.Value, Lo: q.Lo, Hi: q.Hi})
			}
			w := meanFig(ts, d.Decider, tagDeep+mSteps, "", s).Value + meanFig(ts, d.Decider, tagDeep+mForward, "", s).Value
			if w > 0 {
				s2.Points = append(s2.Points, report.Point{X: w, Y: q.Value, Lo: q.Lo, Hi: q.Hi})
			}
		}
		chart.Series = append(chart.Series, s1)
		if len(s2.Points) > 0 {
			work.Series = append(work.Series, s2)
		}
	}
	sec.Charts = drawable(sec.Charts, chart, work)
	sec.Text = fmt.Sprintf("The amortized answer compared is the best amortized decider on these positions (%s). R compares it with the cheapest direct decider that reaches its quality, interpolated on the direct frontier in log time. "+
		"Making simulation expensive moves the crossover: with a model whose every step costs more than %s µs (from the counted model steps at the matched budget), the amortized answer is cheaper even where search is fast today. "+
		"Training pays for itself after %s decisions at matched quality. Timings ran one decider at a time, interleaved over rounds, medians.",
		amort, report.Num(roundSig(delta.Value)), report.Num(roundSig(be.Value)))
	row.Section = sec
	return row
}

// scale multiplies every value by k.
func scale(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * k
	}
	return out
}
