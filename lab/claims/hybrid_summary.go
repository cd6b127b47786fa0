package claims

import (
	"fmt"
	"math"
	"strings"

	"argmax"
	"argmax/lab"
	"argmax/lab/eval"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The summaries of the hybrid experiment's four claims. Every deciding
// figure is a per-seed difference of optimal-move shares on the same
// positions (or a match score), averaged over seeds with its t interval.

// hybridTrials returns the experiment's trials and the deciders of their
// parameters (every trial of one run shares them).
func hybridTrials(ts []*store.Trial) (hybridSpecs, error) {
	return specsOf(lab.ParamString(ts[0], "net"), lab.ParamInts(ts[0], "arbiter_sims"), lab.ParamString(ts[0], "arbiter_calib"))
}

// hybridN is the number of positions each seed scored.
func hybridN(ts []*store.Trial, h hybridSpecs) int {
	ns := lab.ValuesOf(ts, h.net, tagHybrid+mN, 0)
	if len(ns) == 0 {
		return 0
	}
	return int(stats.Mean(ns))
}

// seedValue is decider's metric at step s in one seed's trials (NaN when
// absent).
func seedValue(seed []*store.Trial, decider, metric string, s int64) float64 {
	vs := lab.ValuesOf(seed, decider, metric, s)
	if len(vs) == 0 {
		return math.NaN()
	}
	return stats.Mean(vs)
}

// boundedDiffs collects per-seed differences a − b of optimal-move
// shares on the same positions, where b may be read off a frontier: a
// lower bound when b is at most the frontier's value (the cost lies below
// the frontier's measured range), an upper bound when b is at least it
// (above the range).
type boundedDiffs struct {
	a, b  []float64
	bound string
}

func (d *boundedDiffs) add(a, b float64, side eval.Side) {
	d.a, d.b = append(d.a, a), append(d.b, b)
	switch side {
	case eval.Below:
		d.bound = cmpBound(d.bound, ">=")
	case eval.Above:
		d.bound = cmpBound(d.bound, "<=")
	}
}

// cmpBound combines the bounds of seeds: one kind of bound stays, two
// kinds make the figure no bound of either kind (marked "?").
func cmpBound(have, add string) string {
	if have == "" || have == add {
		return add
	}
	return "?"
}

// fig is the mean difference over seeds with an interval that covers both
// the spread over seeds (t interval) and the sampling error of two shares
// over all the positions scored (n per seed; normal approximation, taking
// the shares as independent, which overstates the error of paired ones):
// so that one seed, or seeds that agree by chance, never make a difference
// look exact.
func (d boundedDiffs) fig(name string, n int) lab.Figure {
	var diffs []float64
	for i := range d.a {
		if !math.IsNaN(d.a[i]) && !math.IsNaN(d.b[i]) {
			diffs = append(diffs, d.a[i]-d.b[i])
		}
	}
	iv := stats.MeanCI(diffs, 0.95)
	if total := float64(n * len(diffs)); total > 0 && len(diffs) > 0 {
		pa, pb := clamp01(stats.Mean(d.a)), clamp01(stats.Mean(d.b))
		h := 1.96 * math.Sqrt((pa*(1-pa)+pb*(1-pb))/total)
		iv.Lo, iv.Hi = math.Min(iv.Lo, iv.Est-h), math.Max(iv.Hi, iv.Est+h)
		iv.N = max(iv.N, int(total)) // the interval is one over positions too
	}
	f := lab.FigureOf(name, "share", iv)
	f.Bound = d.bound
	return f
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// lower reports whether f's interval shows a value above 0: its lower end
// is above 0 and it is not only an upper bound.
func lower(f lab.Figure) bool { return f.Lo > 0 && (f.Bound == "" || f.Bound == ">=") }

// below reports whether f's interval shows a value below 0.
func below(f lab.Figure) bool { return f.Hi < 0 && (f.Bound == "" || f.Bound == "<=") }

// signsVerdict is the shared form of the hybrid rules: holds if every
// figure is shown above 0, does not hold if some figure is shown below 0,
// otherwise inconclusive.
func signsVerdict(figs []lab.Figure) (Verdict, string) {
	var why []string
	nan, all, some := false, true, false
	for _, f := range figs {
		why = append(why, fmt.Sprintf("%s %s", f.Name, f.Text()))
		switch {
		case math.IsNaN(f.Value):
			nan, all = true, false
		case below(f):
			some, all = true, false
		case !lower(f):
			all = false
		}
	}
	w := strings.Join(why, "; ")
	switch {
	case len(figs) == 0:
		return Inconclusive, "nothing measured"
	case some:
		return DoesNotHold, w
	case nan:
		return Inconclusive, w + " (not all measured)"
	case all:
		return Holds, w
	}
	return Inconclusive, w
}

const hybridParentsRule = "At each PUCT budget S of the sweep (sims), per seed on the same positions: ΔA = optimal share of PUCT over the expert-iteration net at S minus that of the net alone (the amortized parent); " +
	"ΔD = the same minus the share plain MCTS reaches in the hybrid's median wall time per decision (interpolated on MCTS's frontier in log time; a bound outside its measured range). " +
	"Holds if every ΔA and ΔD has a lower bound above 0 (the hybrid beats both parents at every budget); does not hold if some ΔA or ΔD has an upper bound below 0; otherwise inconclusive. The direct side rests on timings (†)."

const bootstrappingRule = "Search helped by the net: at each PUCT budget S, ΔS = optimal share of PUCT over the net minus that of plain MCTS at S simulations (interpolated in log simulations) and ΔT = the same at equal wall time per decision (†); " +
	"the net helped by search: ΔN = optimal share of the expert-iteration net alone minus that of a net trained on the same number of its own games without search (raw self-play: moves drawn from the net, outcome-weighted self-imitation as the policy target, same value targets and steps). " +
	"Holds if every ΔS and ΔT and ΔN has a lower bound above 0; does not hold if one has an upper bound below 0; otherwise inconclusive."

const arbiterRule = "The arbiter is calibrated on training positions only, for a mean of arbiter_ref simulations per decision. ΔF = its optimal share minus the share of the AlphaZero frontier (the net alone and PUCT over it at every budget, interpolated in log forward passes per decision) at the arbiter's measured forward passes per decision. " +
	"Holds if ΔF's lower bound is above 0 (the arbiter lies above the frontier at matched compute); does not hold if ΔF's upper bound is below 0; otherwise inconclusive."

const gumbelRule = "At each small budget (gumbel_sims), Gumbel root search and PUCT over the same net play a match at equal simulations per move, both colours from the same random openings: S = Gumbel's score (pooled over seeds, Wilson interval). " +
	"Holds if every S has a lower bound above 0.5; does not hold if some S has an upper bound below 0.5; otherwise inconclusive. The optimal-move shares of both (and of the net alone) are shown beside."

// hybridDiffs returns, per PUCT budget, ΔA and ΔD (hybrid vs parents) and
// ΔS (equal simulations).
func hybridDiffs(ts []*store.Trial, h hybridSpecs) (sims []int64, dA, dD, dS []lab.Figure) {
	seeds, npos := perSeed(ts), hybridN(ts, h)
	for _, s := range lab.ParamInts(ts[0], "sims") {
		S := int64(s)
		var a, d, e boundedDiffs
		for _, seed := range seeds {
			qH := seedValue(seed, h.az, tagHybrid+mOptimal, S)
			a.add(qH, seedValue(seed, h.net, tagHybrid+mOptimal, 0), eval.Inside)
			front := storedFrontier(seed, h.mcts, tagHybrid)
			qD, side := eval.AtCost(front, seedValue(seed, h.az, tagHybrid+".median_seconds", S), eval.CostMedianTime)
			d.add(qH, qD, side)
			qS, side := eval.AtCost(front, float64(S), eval.CostSimulations)
			e.add(qH, qS, side)
		}
		sims = append(sims, S)
		n := fmt.Sprintf(" at %d sims", S)
		dA = append(dA, a.fig("ΔA"+n, npos).For(h.az, argmax.Hybrid))
		df := d.fig("ΔD"+n, npos).For(h.az, argmax.Hybrid)
		df.Timing = true
		dD = append(dD, df)
		dS = append(dS, e.fig("ΔS"+n, npos).For(h.az, argmax.Hybrid))
	}
	return sims, dA, dD, dS
}

// hybridRow starts a row of the hybrid experiment with the table of every
// decider measured.
func hybridRow(res *lab.Results, aspect, title, claim, rule string) (Row, []*store.Trial, hybridSpecs, bool) {
	row, ts := newRow(res, Hybrid.Name, aspect, title, claim, rule)
	if len(ts) == 0 {
		return row, ts, hybridSpecs{}, false
	}
	h, err := hybridTrials(ts)
	if err != nil {
		row.Why = err.Error()
		return row, ts, h, false
	}
	tab, figs := suiteRows(ts, tagHybrid, "Every decider of the hybrid experiment on the deep positions (mean over seeds)")
	row.Section.Tables = append(row.Section.Tables, tab)
	row.Figures = append(row.Figures, figs...)
	row.Section.Text = fmt.Sprintf("The net: %s, trained from scratch by expert iteration (no solver labels); the raw-self-play baseline: %s.", h.net, h.raw)
	return row, ts, h, true
}

func summarizeHybridParents(res *lab.Results) Row {
	row, ts, h, ok := hybridRow(res, "hybrid vs parents", "The hybrid against both parents at equal compute",
		"PUCT search guided by a net trained by expert iteration is better than both of its parents — the net alone and plain MCTS in the same time per decision.", hybridParentsRule)
	if !ok {
		return row
	}
	sims, dA, dD, _ := hybridDiffs(ts, h)
	figs := append(append([]lab.Figure(nil), dA...), dD...)
	row.Figures = append(row.Figures, figs...)
	row.Verdict, row.Why = signsVerdict(figs)
	row.TimingVerdict = true
	last := sims[len(sims)-1]
	row.Amortized = Cell{Figure: fmt.Sprintf("%s: %s", h.net, pct(shareFig(ts, h.net, tagHybrid+mOptimal, 0).Interval()))}
	row.Hybrid = Cell{Figure: fmt.Sprintf("%s @ %d: %s", h.az, last, pct(shareFig(ts, h.az, tagHybrid+mOptimal, last).Interval()))}
	row.Direct = Cell{Figure: fmt.Sprintf("plain MCTS in the hybrid's time: hybrid − MCTS %s", dD[len(dD)-1].Text())}
	row.Section.Charts = drawable(row.Section.Charts, timeChart(ts, h))
	return row
}

// shareSeries is decider's optimal share at each of its budgets, against
// the budget.
func shareSeries(ts []*store.Trial, decider, name string) report.Series {
	s := report.Series{Name: name}
	for _, p := range lab.StepsOf(ts, decider, tagHybrid+mOptimal) {
		q := shareFig(ts, decider, tagHybrid+mOptimal, p)
		s.Points = append(s.Points, report.Point{X: float64(p), Y: q.Value, Lo: q.Lo, Hi: q.Hi})
	}
	return s
}

// timeChart draws quality against wall time per decision for the parents,
// the hybrid and the arbiters.
func timeChart(ts []*store.Trial, h hybridSpecs) report.Chart {
	c := report.Chart{Title: "Quality against time per decision (†)", XLabel: "median time per decision (s)", YLabel: "optimal-move share on the deep positions", LogX: true}
	for _, d := range append([]string{h.net, h.mcts, h.az, h.gumbel}, h.arbiters...) {
		s := report.Series{Name: d}
		for _, p := range lab.StepsOf(ts, d, tagHybrid+mOptimal) {
			q := shareFig(ts, d, tagHybrid+mOptimal, p)
			t := geoFig(ts, d, tagHybrid+".median_seconds", "s", p)
			s.Points = append(s.Points, report.Point{X: t.Value, Y: q.Value, Lo: q.Lo, Hi: q.Hi})
		}
		c.Series = append(c.Series, s)
	}
	return c
}

func summarizeBootstrapping(res *lab.Results) Row {
	row, ts, h, ok := hybridRow(res, "bootstrapping", "Bootstrapping both ways: the net improves search, search improves the net",
		"Net-guided search beats plain MCTS at equal simulations and at equal wall time, and the net trained on search targets beats a net trained on as many of its own games without search.", bootstrappingRule)
	if !ok {
		return row
	}
	_, _, dT, dS := hybridDiffs(ts, h)
	var n boundedDiffs
	for _, seed := range perSeed(ts) {
		n.add(seedValue(seed, h.net, tagHybrid+mOptimal, 0), seedValue(seed, h.raw, tagHybrid+mOptimal, 0), eval.Inside)
	}
	dN := n.fig("ΔN", hybridN(ts, h)).For(h.net, argmax.Amortized)
	figs := append(append(append([]lab.Figure(nil), dS...), dT...), dN)
	row.Figures = append(row.Figures, figs...)
	row.Verdict, row.Why = signsVerdict(figs)
	row.TimingVerdict = true
	sc := report.Chart{Title: "Search with and without the net, and the nets with and without search", XLabel: "simulations per decision (the nets alone: 1)", YLabel: "optimal-move share on the deep positions", LogX: true}
	for _, d := range []string{h.mcts, h.az} {
		sc.Series = append(sc.Series, shareSeries(ts, d, d))
	}
	for _, d := range []string{h.net, h.raw} {
		q := shareFig(ts, d, tagHybrid+mOptimal, 0)
		sc.Series = append(sc.Series, report.Series{Name: d, Points: []report.Point{{X: 1, Y: q.Value, Lo: q.Lo, Hi: q.Hi}}})
	}
	row.Section.Charts = drawable(row.Section.Charts, sc)
	row.Direct = Cell{Figure: fmt.Sprintf("MCTS; PUCT over the net − MCTS at equal sims: %s", dS[len(dS)-1].Text())}
	row.Amortized = Cell{Figure: fmt.Sprintf("search-trained net − raw-self-play net: %s", dN.Text())}
	row.Hybrid = Cell{Figure: fmt.Sprintf("at equal time: %s", dT[len(dT)-1].Text())}
	return row
}

func summarizeArbiter(res *lab.Results) Row {
	row, ts, h, ok := hybridRow(res, "arbiter", "The arbiter's Pareto frontier: when is search worth it?",
		"An arbiter that answers with the net alone where it is confident and searches elsewhere lies above the AlphaZero frontier: better quality at the same mean compute per decision.", arbiterRule)
	if !ok {
		return row
	}
	ref := int64(lab.ParamFloat(ts[0], "arbiter_ref"))
	arb := ""
	for i, s := range lab.ParamInts(ts[0], "arbiter_sims") {
		if int64(s) == ref {
			arb = h.arbiters[i]
		}
	}
	var dF, dRef boundedDiffs
	var ratio []float64
	for _, seed := range perSeed(ts) {
		qArb := seedValue(seed, arb, tagHybrid+mOptimal, 0)
		fArb := seedValue(seed, arb, tagHybrid+mForward, 0)
		front := storedFrontier(seed, h.az, tagHybrid)
		front = append(front, eval.FrontierPoint{Quality: stats.Interval{Est: seedValue(seed, h.net, tagHybrid+mOptimal, 0)}, Mean: eval.CostMeans{ForwardPasses: 1}})
		q, side := eval.AtCost(front, fArb, eval.CostForwardPasses)
		dF.add(qArb, q, side)
		dRef.add(qArb, seedValue(seed, h.az, tagHybrid+mOptimal, ref), eval.Inside)
		ratio = append(ratio, fArb/seedValue(seed, h.az, tagHybrid+mForward, ref))
	}
	f := dF.fig("ΔF", hybridN(ts, h)).For(arb, argmax.Hybrid)
	r := dRef.fig(fmt.Sprintf("arbiter − PUCT @ %d", ref), hybridN(ts, h)).For(arb, argmax.Hybrid)
	cr := seedsFig(fmt.Sprintf("arbiter's forward passes / PUCT @ %d's", ref), "×", ratio).For(arb, argmax.Hybrid)
	row.Figures = append(row.Figures, f, r, cr)
	row.Verdict, row.Why = signsVerdict([]lab.Figure{f})
	row.Why += fmt.Sprintf("; against PUCT @ %d: %s at %s its compute", ref, r.Text(), cr.Text())
	searched := meanFig(ts, arb, tagHybrid+".searched", "", 0)
	row.Hybrid = Cell{Figure: fmt.Sprintf("%s: %s, searched %s of positions, %s forward passes per decision", arb,
		pct(shareFig(ts, arb, tagHybrid+mOptimal, 0).Interval()), pct(searched.Interval()), report.Num(roundSig(meanFig(ts, arb, tagHybrid+mForward, "", 0).Value)))}
	row.Amortized = Cell{Figure: fmt.Sprintf("net alone %s", pct(shareFig(ts, h.net, tagHybrid+mOptimal, 0).Interval()))}
	row.Direct = Cell{Figure: fmt.Sprintf("PUCT @ %d: %s", ref, pct(shareFig(ts, h.az, tagHybrid+mOptimal, ref).Interval()))}
	fc := report.Chart{Title: "Quality against counted compute: the net, PUCT over it, the arbiters", XLabel: "forward passes per decision", YLabel: "optimal-move share on the deep positions", LogX: true}
	for _, d := range append([]string{h.net, h.az, h.gumbel}, h.arbiters...) {
		s := report.Series{Name: d}
		for _, p := range lab.StepsOf(ts, d, tagHybrid+mOptimal) {
			q := shareFig(ts, d, tagHybrid+mOptimal, p)
			s.Points = append(s.Points, report.Point{X: meanFig(ts, d, tagHybrid+mForward, "", p).Value, Y: q.Value, Lo: q.Lo, Hi: q.Hi})
		}
		fc.Series = append(fc.Series, s)
	}
	row.Section.Charts = drawable(row.Section.Charts, fc, timeChart(ts, h))
	return row
}

func summarizeGumbel(res *lab.Results) Row {
	row, ts, h, ok := hybridRow(res, "gumbel vs puct", "Gumbel root search against PUCT at a few simulations",
		"At a handful of simulations per move, Gumbel root search with sequential halving plays better than PUCT over the same net (Danihelka et al. 2022).", gumbelRule)
	if !ok {
		return row
	}
	tab := report.Table{Caption: "Gumbel against PUCT over the same net, at equal simulations", Header: []string{"sims", "match score (Gumbel)", "games", "Gumbel: optimal moves", "PUCT: optimal moves", "Gumbel − PUCT", "net alone"}}
	var scores []lab.Figure
	var cells []string
	for _, s := range lab.ParamInts(ts[0], "gumbel_sims") {
		S := int64(s)
		n := meanFig(ts, h.gumbel, "match.n", "", S).Value
		vals := lab.ValuesOf(ts, h.gumbel, "match.score", S)
		sc := lab.FigureOf(fmt.Sprintf("S at %d sims", s), "share", stats.ShareCI(vals, int(n), 0.95)).For(h.gumbel, argmax.Hybrid)
		sc.N = int(n) * len(vals) // games
		var dq boundedDiffs
		for _, seed := range perSeed(ts) {
			dq.add(seedValue(seed, h.gumbel, tagHybrid+mOptimal, S), seedValue(seed, h.az, tagHybrid+mOptimal, S), eval.Inside)
		}
		d := dq.fig(fmt.Sprintf("Gumbel − PUCT optimal share at %d sims", s), hybridN(ts, h)).For(h.gumbel, argmax.Hybrid)
		scores = append(scores, sc)
		row.Figures = append(row.Figures, sc, d)
		tab.Rows = append(tab.Rows, []string{fmt.Sprint(s), sc.Interval().String(), fmt.Sprintf("%.0f × %d seeds", n, len(vals)),
			pct(shareFig(ts, h.gumbel, tagHybrid+mOptimal, S).Interval()), pct(shareFig(ts, h.az, tagHybrid+mOptimal, S).Interval()), d.Text(),
			pct(shareFig(ts, h.net, tagHybrid+mOptimal, 0).Interval())})
		cells = append(cells, fmt.Sprintf("%d sims: score %s", s, report.Num(roundSig(sc.Value))))
	}
	// The rule compares each score with 0.5: shift them to signs.
	shifted := make([]lab.Figure, len(scores))
	for i, f := range scores {
		f.Value, f.Lo, f.Hi = f.Value-0.5, f.Lo-0.5, f.Hi-0.5
		f.Name = strings.Replace(f.Name, "S at", "S − 0.5 at", 1)
		shifted[i] = f
	}
	row.Verdict, row.Why = signsVerdict(shifted)
	row.Section.Tables = append([]report.Table{tab}, row.Section.Tables...)
	gc := report.Chart{Title: "Gumbel and PUCT over the same net at small budgets", XLabel: "simulations per decision", YLabel: "optimal-move share on the deep positions", LogX: true}
	for _, d := range []string{h.gumbel, h.az, h.mcts} {
		gc.Series = append(gc.Series, shareSeries(ts, d, d))
	}
	row.Section.Charts = drawable(row.Section.Charts, gc)
	gs := lab.ParamInts(ts[0], "gumbel_sims")
	small := int64(gs[len(gs)-1])
	q, side := eval.AtCost(storedFrontier(ts, h.mcts, tagHybrid), float64(small), eval.CostSimulations)
	row.Direct = Cell{Figure: fmt.Sprintf("plain MCTS at %d sims: %s%.1f%%", small, map[eval.Side]string{eval.Below: "≤ ", eval.Above: "≥ "}[side], 100*q)}
	row.Hybrid = Cell{Figure: "Gumbel vs PUCT: " + strings.Join(cells, "; ")}
	row.Amortized = Cell{Figure: fmt.Sprintf("net alone %s", pct(shareFig(ts, h.net, tagHybrid+mOptimal, 0).Interval()))}
	return row
}
