package claims

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"argmax"
	"argmax/game/connect4/calibration"
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
		{Name: "step_costs", Kind: lab.Strings, Doc: "the costly-model knob: extra time per model step (Go durations) at which the searching deciders are timed again, on the same positions",
			Quick: []string{"100ns", "250ns", "1us"}, Full: []string{"50ns", "100ns", "250ns", "1us", "4us", "16us"}},
		{Name: "step_cost_sims", Kind: lab.Int, Doc: "the largest simulation budget timed with a costly model", Quick: 1024, Full: 4096, Range: lab.Between(1, 1<<26)},
	}),
	Seeds: [2]int{3, 5},
	Run:   runRuntimeCost,
}

const (
	tagDeep        = "deep"
	tagCalibration = "calibration"
)

func runRuntimeCost(ctx context.Context, t *lab.Trial) error {
	ps, env, err := setup(ctx, t)
	if err != nil {
		return err
	}
	if err := prepare(env); err != nil {
		return err
	}
	sims, nodes := t.Ints("sims"), t.Ints("nodes")
	cal := eval.Calibration(calibration.Middle)
	var timed []eval.Named
	var entries []bots.SuiteEntry
	for _, e := range suite() {
		if _, err := measure(ctx, t, env, e, ps, tagDeep, sims, nodes); err != nil {
			return err
		}
		// The fixed-cost deciders (the nets among them) on the calibration
		// file's middle positions too: the figure their training is
		// checked against.
		if e.Axis == "" {
			if _, err := measure(ctx, t, env, e, cal, tagCalibration, nil, nil); err != nil {
				return err
			}
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
	// The costly-model knob: the deciders that search a model (a sims
	// axis), timed again with every model step costing more.
	var costs []time.Duration
	for _, c := range t.Strings("step_costs") {
		d, err := time.ParseDuration(c)
		if err != nil || d <= 0 {
			return fmt.Errorf("parameter step_costs: %q is not a positive duration (e.g. 250ns, 1us)", c)
		}
		costs = append(costs, d)
	}
	for _, e := range suite() {
		if e.Axis != "sims" {
			continue
		}
		for _, d := range costs {
			ce := bots.SuiteEntry{Spec: withStepCost(e.Spec, d), Role: e.Role, Axis: e.Axis}
			for _, b := range budgetsOf(e, sims, nodes) {
				if b.Simulations > int64(t.Int("step_cost_sims")) {
					continue
				}
				dec, err := bots.NewIn(env, c4, ce.Spec)
				if err != nil {
					return err
				}
				defer bots.Close(dec)
				timed = append(timed, eval.Named{Name: ce.Spec, Decider: dec, Budget: b})
				entries = append(entries, ce)
			}
		}
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

// withStepCost returns spec with the costly-model key step_cost=d.
func withStepCost(spec string, d time.Duration) string {
	sep := ":"
	if strings.Contains(spec, ":") {
		sep = ","
	}
	return spec + sep + "step_cost=" + d.String()
}

// costlyOf splits a spec with a step_cost key into the spec without it and
// the step cost; ok is false for other specs.
func costlyOf(spec string) (base string, d time.Duration, ok bool) {
	sp, err := bots.ParseSpec(spec)
	if err != nil {
		return "", 0, false
	}
	for i, kv := range sp.Args {
		if kv.Key == "step_cost" {
			if d, err = time.ParseDuration(kv.Value); err != nil {
				return "", 0, false
			}
			sp.Args = append(sp.Args[:i:i], sp.Args[i+1:]...)
			return sp.String(), d, true
		}
	}
	return "", 0, false
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
	if ctab, cfigs := suiteRows(ts, tagCalibration, "The fixed-cost deciders on the calibration file's middle positions (game/connect4/calibration; most are not deep): the figure a net's training is checked against"); len(ctab.Rows) > 0 {
		row.Figures = append(row.Figures, cfigs...)
		sec.Tables = append(sec.Tables, ctab)
	}

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
	r := ratioFig("R: direct time at the amortized quality / amortized time", ratios).For(amort, argmax.Amortized)
	if bounded && len(ratios) > 0 {
		r.Bound, r.Hi = ">=", math.Inf(1)
	}
	row.Figures = append(row.Figures, r)
	row.Verdict, row.Why = runtimeCostVerdict(r)

	delta := seedsFig("predicted: model-step cost at which amortization pays (µs, from the counted steps at the matched budget)", "µs", scale(deltas, 1e6))
	delta.Timing = true
	be := seedsFig("decisions after which training has paid for itself", "decisions", breakEven)
	be.Timing = true
	row.Figures = append(row.Figures, delta, be)
	knob, cross := costlyModel(ts, amort)
	if len(knob.Rows) > 0 {
		sec.Tables = append(sec.Tables, knob)
		row.Figures = append(row.Figures, cross)
	}

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
		calib := ""
		if c := shareFig(ts, amort, tagCalibration+mOptimal, 0); !math.IsNaN(c.Value) {
			calib = "; calibration middle " + pct(c.Interval())
		}
		row.Amortized = Cell{Figure: fmt.Sprintf("%s: %s optimal, %s FLOPs/decision (1 forward pass)%s", amort, pct(shareFig(ts, amort, tagDeep+mOptimal, 0).Interval()),
			report.Num(roundSig(meanFig(ts, amort, tagDeep+mFLOPs, "", 0).Value)), calib),
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
	predicted := "the amortized answer is already cheaper there"
	if !math.IsNaN(delta.Value) {
		predicted = fmt.Sprintf("with a model whose every step costs more than %s µs the amortized answer is cheaper", report.Num(roundSig(delta.Value)))
	}
	sec.Text = fmt.Sprintf("The amortized answer compared is the best amortized decider on these positions (%s). R compares it with the cheapest direct decider that reaches its quality, interpolated on the direct frontier in log time. "+
		"Making simulation expensive moves the crossover: the counted model steps of the cheapest search at the matched budget predict that %s; the costly-model table measures it, timing the searches (those with a model: MCTS, not the solver) again on a model whose every step costs a set time more, R there against the same searches (crossover measured: %s). "+
		"%s Timings ran one decider at a time, interleaved over rounds, medians.",
		amort, predicted, cross.Text(), paysFor(be))
	row.Section = sec
	return row
}

// costlyModel summarizes the costly-model knob: for each extra time per
// model step, R (the direct time at the quality of amort over amort's
// time, per seed, the quality taken from the plain model's frontier), and
// the step cost at which R crosses 1, interpolated in log R between
// measured step costs (a bound beyond them).
func costlyModel(ts []*store.Trial, amort string) (report.Table, lab.Figure) {
	tab := report.Table{Caption: "The costly-model knob †: the searches timed again on a model whose every step costs more (game.WithStepCost); R as above, at the amortized answer's quality",
		Header: []string{"extra time per model step", "R (direct / amortized time)", "amortized cheaper?"}}
	cross := lab.Figure{Name: "measured: model-step cost at which amortization pays", Unit: "µs", Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Timing: true, Decider: amort, Role: argmax.Amortized}
	type knob struct {
		base string
		d    time.Duration
	}
	var knobs []knob
	var costs []time.Duration
	var bases []string
	for _, d := range lab.Deciders(ts, tagDeep+".median_seconds") {
		if base, c, ok := costlyOf(d.Decider); ok && d.Role == argmax.Direct {
			knobs = append(knobs, knob{base, c})
			if !slices.Contains(bases, base) {
				bases = append(bases, base)
			}
			if !slices.Contains(costs, c) {
				costs = append(costs, c)
			}
		}
	}
	if amort == "" || len(costs) == 0 {
		return tab, cross
	}
	slices.Sort(costs)
	var crossings []float64
	logR := map[time.Duration][]float64{}
	atLeast := map[time.Duration]bool{} // R is only a lower bound (search did not reach q within the timed budgets)
	bounded, upper := false, false
	for _, seed := range perSeed(ts) {
		q := stats.Mean(lab.ValuesOf(seed, amort, tagDeep+mOptimal, 0))
		tA := stats.Mean(lab.ValuesOf(seed, amort, tagDeep+".median_seconds", 0))
		// R on the plain model, among the same searches (the solver, which
		// needs no model, is left out of the knob).
		plain := math.Inf(1)
		for _, base := range bases {
			if t, side := eval.AtQuality(storedFrontier(seed, base, tagDeep), q, eval.CostMedianTime); side != eval.Above && !math.IsNaN(t) {
				plain = math.Min(plain, t)
			}
		}
		prevD, prevR := 0.0, plain/tA
		found := prevR >= 1 && !math.IsInf(prevR, 1)
		if found {
			crossings = append(crossings, 0)
		}
		if math.IsInf(prevR, 1) {
			prevR = 0 // not reached on the plain model: interpolate from the first measured cost
		}
		for _, c := range costs {
			best, worst := math.Inf(1), 0.0
			for _, k := range knobs {
				if k.d != c {
					continue
				}
				var pts []eval.FrontierPoint
				for _, p := range storedFrontier(seed, k.base, tagDeep) {
					v := lab.ValuesOf(seed, withStepCost(k.base, c), tagDeep+".median_seconds", p.Budget.Simulations)
					if len(v) > 0 {
						p.MedianTime = time.Duration(v[0] * float64(time.Second))
						pts = append(pts, p)
						worst = math.Max(worst, v[0])
					}
				}
				if t, side := eval.AtQuality(pts, q, eval.CostMedianTime); side != eval.Above && !math.IsNaN(t) {
					best = math.Min(best, t)
				}
			}
			if tA <= 0 || (math.IsInf(best, 1) && worst == 0) {
				continue
			}
			r, bound := best/tA, math.IsInf(best, 1)
			if bound {
				r = worst / tA // no timed budget reaches q: R is at least this
				atLeast[c] = true
			}
			logR[c] = append(logR[c], math.Log(r))
			if bound && r < 1 {
				continue // unknown whether it crossed here
			}
			if !found && r >= 1 {
				x := c.Seconds() * 1e6
				if prevR > 0 {
					x = prevD + (x-prevD)*(-math.Log(prevR))/(math.Log(r)-math.Log(prevR))
				}
				crossings = append(crossings, x)
				found, upper = true, upper || bound // with a lower bound on R the crossing is at most x
			}
			prevD, prevR = c.Seconds()*1e6, r
		}
		if !found {
			bounded = true
		}
	}
	for _, c := range costs {
		if len(logR[c]) == 0 {
			continue
		}
		iv := stats.MeanCI(logR[c], 0.95)
		r := lab.Figure{Value: math.Exp(iv.Est), Lo: math.Exp(iv.Lo), Hi: math.Exp(iv.Hi), N: iv.N, Unit: "×"}
		if iv.N < 2 {
			r.Lo, r.Hi = r.Value, r.Value
		}
		if atLeast[c] {
			r.Bound, r.Hi = ">=", math.Inf(1)
		}
		tab.Rows = append(tab.Rows, []string{c.String(), r.Text(), yesNo(r.Value >= 1)})
	}
	switch {
	case bounded:
		cross.Value, cross.Lo, cross.Hi, cross.Bound = costs[len(costs)-1].Seconds()*1e6, costs[len(costs)-1].Seconds()*1e6, math.Inf(1), ">="
	case len(crossings) > 0:
		f := seedsFig(cross.Name, "µs", crossings)
		cross.Value, cross.Lo, cross.Hi, cross.N = f.Value, f.Lo, f.Hi, f.N
		if upper {
			cross.Bound, cross.Lo = "<=", math.Inf(-1)
		}
	}
	return tab, cross
}

// paysFor says after how many decisions training pays for itself.
func paysFor(be lab.Figure) string {
	if math.IsNaN(be.Value) {
		return "Training never pays for itself on this model: at matched quality search is as cheap per decision."
	}
	return fmt.Sprintf("Training pays for itself after %s decisions at matched quality.", report.Num(roundSig(be.Value)))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// scale multiplies every value by k.
func scale(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * k
	}
	return out
}

// ratioFig is the geometric mean over seeds of a ratio, from the ratios'
// logarithms, with its interval (a timing figure, in ×).
func ratioFig(name string, logs []float64) lab.Figure {
	r := lab.Figure{Name: name, Unit: "×", Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Timing: true}
	if len(logs) > 0 {
		iv := stats.MeanCI(logs, 0.95)
		r.Value, r.Lo, r.Hi, r.N = math.Exp(iv.Est), math.Exp(iv.Lo), math.Exp(iv.Hi), iv.N
		if len(logs) == 1 {
			r.Lo, r.Hi = r.Value, r.Value
		}
	}
	return r
}
