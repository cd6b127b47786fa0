package claims

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"argmax"
	"argmax/lab"
	"argmax/lab/report"
	"argmax/lab/store"
)

const infClaim = "An amortized encoder answers a new context in one forward pass, sooner than per-instance gradient steps reach the same objective, but it pays an amortization gap that per-instance optimization does not, and the gap grows on contexts shifted away from its training distribution (Cremer et al. 2018; Amos 2023)."

const infRule = "Per task family, per seed: A = the amortized solver with the least mean gap on training contexts, D = the direct solver with the least mean gap on training contexts (at its default budget); " +
	"G = A's mean held-out gap − D's; S = A's mean gap on shifted contexts − on held-out ones; R = the median over held-out contexts of the wall time the fastest direct solver needs to bring the objective to A's on that context (least iteration budget, doubled then bisected; a context not reached within reach_iters counts at that budget) ÷ A's time per decision; intervals over seeds. " +
	"Holds if on every family G and S have lower bounds above 0 and R a lower bound above 1; does not hold if on some family G or S has an upper bound below 0 or R an upper bound below 1; otherwise inconclusive."

const semiClaim = "Refining the amortized guess by a few gradient steps — semi-amortized inference, with the encoder trained alone (warm start) or through the steps (end to end, Kim et al. 2018) — closes most of the amortization gap: at least 90% of the amortized encoder's gap within 20 steps on held-out contexts."

const semiRule = "Per task family, per seed: A = the amortized solver with the least mean gap on training contexts; for each hybrid H that refines a guess, C_k = 1 − (H's mean held-out gap after k refinement steps) ÷ (A's mean held-out gap); H* = the hybrid with the largest mean C_20 on training contexts; intervals over seeds. " +
	"Holds if on every family H*'s C_20 has a lower bound ≥ 0.9; does not hold if on some family its upper bound is below 0.9; otherwise inconclusive (and when 20 steps were not measured)."

// infFamilyFigs are the decisive figures of one task family.
type infFamilyFigs struct {
	G, S, R lab.Figure
}

// infVerdict decides the amortization-gap claim over the families.
func infVerdict(fams []infFamilyFigs) Verdict {
	if len(fams) == 0 {
		return Inconclusive
	}
	holds := true
	for _, f := range fams {
		for _, x := range []lab.Figure{f.G, f.S, f.R} {
			if math.IsNaN(x.Lo) || math.IsNaN(x.Hi) {
				return Inconclusive
			}
		}
		if f.G.Hi < 0 || f.S.Hi < 0 || f.R.Hi < 1 {
			return DoesNotHold
		}
		holds = holds && f.G.Lo > 0 && f.S.Lo > 0 && f.R.Lo > 1
	}
	if holds {
		return Holds
	}
	return Inconclusive
}

// semiVerdict decides the semi-amortized claim from the C_20 of the best
// hybrid of each family.
func semiVerdict(c20 []lab.Figure) Verdict {
	if len(c20) == 0 {
		return Inconclusive
	}
	holds := true
	for _, c := range c20 {
		if math.IsNaN(c.Lo) || math.IsNaN(c.Hi) {
			return Inconclusive
		}
		if c.Hi < 0.9 {
			return DoesNotHold
		}
		holds = holds && c.Lo >= 0.9
	}
	if holds {
		return Holds
	}
	return Inconclusive
}

// infBest returns the decider of ds with the least (or, with most, the
// largest) mean of f over seeds, "" when none is measured.
func infBest(ds []string, most bool, f func(d string) float64) string {
	best, bv := "", math.NaN()
	for _, d := range ds {
		v := f(d)
		if math.IsNaN(v) {
			continue
		}
		if best == "" || (most && v > bv) || (!most && v < bv) {
			best, bv = d, v
		}
	}
	return best
}

// infChoice is the solvers a family's rows compare.
type infChoice struct {
	spec, fam string
	by        map[argmax.Role][]string
	amortized string // A: the least training gap among the amortized solvers
	direct    string // D: the least training gap among the direct solvers
}

func infChoose(ts []*store.Trial, spec, fam string) infChoice {
	c := infChoice{spec: spec, fam: fam, by: envDeciders(ts, infM(fam, ".train"+infGap))}
	train := func(d string) float64 { return meanFig(ts, d, infM(fam, ".train"+infGap), "", 0).Value }
	c.amortized = infBest(c.by[argmax.Amortized], false, train)
	c.direct = infBest(c.by[argmax.Direct], false, train)
	return c
}

// gapFigOf is the mean over seeds of decider's gap on split.
func (c infChoice) gapFigOf(ts []*store.Trial, d, split string) lab.Figure {
	f := meanFig(ts, d, infM(c.fam, "."+split+infGap), "", 0)
	f.Name = fmt.Sprintf("mean gap on %s %s contexts", c.fam, split)
	return f.For(d, roleIn(c.by, d))
}

// roleIn returns the role under which decider d appears in by.
func roleIn(by map[argmax.Role][]string, d string) argmax.Role {
	for r, ds := range by {
		if slices.Contains(ds, d) {
			return r
		}
	}
	return ""
}

// solverIndex is the index of spec in the trials' solver list (-1 if
// absent).
func solverIndex(ts []*store.Trial, spec string) int {
	return slices.Index(lab.ParamStrings(ts[0], "solvers"), spec)
}

// ratioR is, for direct solver d, the figure of R: its median time to
// reach the amortized solver's objective over the amortized time per
// decision, per seed.
func (c infChoice) ratioR(ts []*store.Trial, d string) lab.Figure {
	j := solverIndex(ts, c.amortized)
	f := perSeedFig(ts, fmt.Sprintf("R on %s: time for %s to reach %s's objective / %s's time per decision", c.fam, d, c.amortized, c.amortized), func(seed []*store.Trial) float64 {
		return seedValue(seed, d, infReach(c.fam, j, infSeconds), 0) / seedValue(seed, c.amortized, infM(c.fam, infSeconds), 0)
	})
	f.Timing = true
	return f.For(d, argmax.Direct)
}

func summarizeInference(res *lab.Results) Row {
	row, ts := newRow(res, infExp, infAspect, "Amortized inference: the amortization gap and its price", infClaim, infRule)
	if len(ts) == 0 {
		return row
	}
	specs, fams := infFamilies(ts)
	var decisive []infFamilyFigs
	var why, direct, amort, hybrid []string
	sec := row.Section
	for i, fam := range fams {
		c := infChoose(ts, specs[i], fam)
		if c.amortized == "" || c.direct == "" {
			row.Why = fmt.Sprintf("needs an amortized and a direct solver on %s", fam)
			return row
		}
		a := c.amortized
		g := perSeedFig(ts, "G on "+fam+": A's held-out gap − D's", func(seed []*store.Trial) float64 {
			return seedValue(seed, a, infM(fam, ".held-out"+infGap), 0) - seedValue(seed, c.direct, infM(fam, ".held-out"+infGap), 0)
		}).For(a, argmax.Amortized)
		s := perSeedFig(ts, "S on "+fam+": A's shifted gap − held-out gap", func(seed []*store.Trial) float64 {
			return seedValue(seed, a, infM(fam, ".shifted"+infGap), 0) - seedValue(seed, a, infM(fam, ".held-out"+infGap), 0)
		}).For(a, argmax.Amortized)
		fast := infBest(c.by[argmax.Direct], false, func(d string) float64 { return c.ratioR(ts, d).Value })
		r := lab.Figure{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
		if fast != "" {
			r = c.ratioR(ts, fast)
		}
		decisive = append(decisive, infFamilyFigs{G: g, S: s, R: r})
		row.Figures = append(row.Figures, g, s, r)
		why = append(why, fmt.Sprintf("%s (A = %s, D = %s): G = %s, S = %s, R = %s (%s)", fam, a, c.direct, g.Text(), s.Text(), r.Text(), fast))
		j := solverIndex(ts, a)
		ho := func(d string) string { return c.gapFigOf(ts, d, "held-out").Text() }
		direct = append(direct, fmt.Sprintf("%s: %s gap %s; %s reaches the encoder's objective in %s iterations (median)", fam, c.direct, ho(c.direct), fast,
			meanFig(ts, fast, infReach(fam, j, infIters), "", 0).Text()))
		others := ""
		for _, o := range c.by[argmax.Amortized] {
			if o != a {
				others += fmt.Sprintf(" (beside %s: %s)", o, ho(o))
			}
		}
		amort = append(amort, fmt.Sprintf("%s: %s gap held-out %s, shifted %s%s", fam, a, ho(a), c.gapFigOf(ts, a, "shifted").Text(), others))
		if h := infBest(c.by[argmax.Hybrid], false, func(d string) float64 { return meanFig(ts, d, infM(fam, ".train"+infGap), "", 0).Value }); h != "" {
			hybrid = append(hybrid, fmt.Sprintf("%s: %s gap %s", fam, h, ho(h)))
		}

		tab := report.Table{Caption: fmt.Sprintf("%s (%s): mean gap f(ŷ; x) − f(y*; x) to the exact solution per split, mean over seeds [95%%], at each solver's default budget; iterations and time per held-out decision, training time", fam, c.spec),
			Header: []string{"solver", "role", "train", "held-out", "shifted", "iterations", "time/decision †", "training †"}}
		for _, d := range lab.Deciders(ts, infM(fam, ".train"+infGap)) {
			cells := []string{d.Decider, string(d.Role)}
			for _, sp := range infSplits {
				f := c.gapFigOf(ts, d.Decider, sp.key)
				row.Figures = append(row.Figures, f)
				cells = append(cells, f.Text())
			}
			cells = append(cells, meanFig(ts, d.Decider, infM(fam, infIters), "", 0).Text(),
				dur(geoFig(ts, d.Decider, infM(fam, infSeconds), "s", 0).Value), dur(geoFig(ts, d.Decider, infM(fam, infTrainSec), "s", 0).Value))
			tab.Rows = append(tab.Rows, cells)
		}
		reach := report.Table{Caption: fmt.Sprintf("%s: what each direct solver needs to reach each amortized solver's objective on held-out contexts — median iterations, share of contexts reached within reach_iters, median time and R (÷ the amortized time per decision), mean over seeds [95%%]", fam),
			Header: []string{"direct", "amortized", "iterations", "reached", "time †", "R †"}}
		for _, am := range c.by[argmax.Amortized] {
			jj := solverIndex(ts, am)
			ca := c
			ca.amortized = am
			for _, d := range c.by[argmax.Direct] {
				reach.Rows = append(reach.Rows, []string{d, am, meanFig(ts, d, infReach(fam, jj, infIters), "", 0).Text(), meanFig(ts, d, infReach(fam, jj, infReached), "share", 0).Text(),
					dur(geoFig(ts, d, infReach(fam, jj, infSeconds), "s", 0).Value), ca.ratioR(ts, d).Text()})
			}
		}
		sec.Tables = append(sec.Tables, tab, reach)
		sec.Charts = drawable(sec.Charts, infFrontier(ts, c), infSplitChart(ts, c))
	}
	row.Verdict = infVerdict(decisive)
	row.TimingVerdict = true
	row.Why = strings.Join(why, "; ")
	row.Direct = Cell{Figure: strings.Join(direct, "; ")}
	row.Amortized = Cell{Figure: strings.Join(amort, "; ")}
	row.Hybrid = Cell{Figure: strings.Join(hybrid, "; ")}
	sec.Text = infText(ts)
	row.Section = sec
	return row
}

// infFrontier is the chart of a family's held-out gap against the time
// per decision: the direct and hybrid solvers along their iteration
// budgets, the others as one point.
func infFrontier(ts []*store.Trial, c infChoice) report.Chart {
	ch := report.Chart{Title: fmt.Sprintf("%s: held-out gap against time per decision", c.fam), XLabel: "time per decision (s) †", YLabel: "mean gap to the exact solution", LogX: true, LogY: true,
		Caption: "Mean over seeds. Direct and hybrid solvers at each iteration budget (the hybrids: the encoder's pass plus k steps); amortized and baseline solvers answer at one cost, drawn as a short flat line around it."}
	for _, d := range lab.Deciders(ts, infM(c.fam, ".train"+infGap)) {
		s := report.Series{Name: d.Decider}
		steps := lab.StepsOf(ts, d.Decider, infM(c.fam, infBudgetGap))
		for _, k := range steps {
			g := meanFig(ts, d.Decider, infM(c.fam, infBudgetGap), "", k)
			sec := geoFig(ts, d.Decider, infM(c.fam, infBudgetSec), "s", k).Value
			s.Points = append(s.Points, report.Point{X: sec, Y: g.Value, Lo: g.Lo, Hi: g.Hi})
		}
		if len(steps) == 0 {
			g := c.gapFigOf(ts, d.Decider, "held-out")
			sec := geoFig(ts, d.Decider, infM(c.fam, infSeconds), "s", 0).Value
			s.Points = []report.Point{{X: sec / 1.2, Y: g.Value, Lo: g.Lo, Hi: g.Hi}, {X: sec * 1.2, Y: g.Value, Lo: g.Lo, Hi: g.Hi}}
		}
		ch.Series = append(ch.Series, s)
	}
	return ch
}

// infSplitChart is the chart of every solver's mean gap per split.
func infSplitChart(ts []*store.Trial, c infChoice) report.Chart {
	ch := report.Chart{Title: fmt.Sprintf("%s: gap on training, held-out and shifted contexts", c.fam), XLabel: "0 = train, 1 = held-out, 2 = shifted", YLabel: "mean gap to the exact solution", LogY: true,
		Caption: "Mean over seeds with 95% bands, each solver at its default budget."}
	for _, d := range lab.Deciders(ts, infM(c.fam, ".train"+infGap)) {
		s := report.Series{Name: d.Decider}
		for x, sp := range infSplits {
			g := c.gapFigOf(ts, d.Decider, sp.key)
			s.Points = append(s.Points, report.Point{X: float64(x), Y: g.Value, Lo: g.Lo, Hi: g.Hi})
		}
		ch.Series = append(ch.Series, s)
	}
	return ch
}

// closedFig is C_k of hybrid h on split: 1 − h's mean gap after k steps ÷
// the amortized solver's mean gap, per seed.
func (c infChoice) closedFig(ts []*store.Trial, h, split string, k int64) lab.Figure {
	f := perSeedFig(ts, fmt.Sprintf("C_%d on %s %s contexts: share of %s's gap closed", k, c.fam, split, c.amortized), func(seed []*store.Trial) float64 {
		return 1 - seedValue(seed, h, infM(c.fam, "."+split+infRefine), k)/seedValue(seed, c.amortized, infM(c.fam, "."+split+infGap), 0)
	})
	return f.For(h, argmax.Hybrid)
}

func summarizeSemi(res *lab.Results) Row {
	row, ts := newRow(res, infExp, infSemi, "Semi-amortized inference: closing the amortization gap by refinement", semiClaim, semiRule)
	if len(ts) == 0 {
		return row
	}
	specs, fams := infFamilies(ts)
	var c20s []lab.Figure
	var why, direct, amort, hybrid []string
	sec := row.Section
	for i, fam := range fams {
		c := infChoose(ts, specs[i], fam)
		var refiners []string
		for _, h := range c.by[argmax.Hybrid] {
			if len(lab.StepsOf(ts, h, infM(fam, ".held-out"+infRefine))) > 0 {
				refiners = append(refiners, h)
			}
		}
		if c.amortized == "" || len(refiners) == 0 {
			row.Why = fmt.Sprintf("needs an amortized solver and a refining hybrid on %s", fam)
			return row
		}
		if !slices.Contains(lab.StepsOf(ts, refiners[0], infM(fam, ".held-out"+infRefine)), 20) {
			row.Why = "needs refinement curves of 20 steps"
			return row
		}
		best := infBest(refiners, true, func(h string) float64 { return c.closedFig(ts, h, "train", 20).Value })
		c20 := c.closedFig(ts, best, "held-out", 20)
		c20s = append(c20s, c20)
		row.Figures = append(row.Figures, c20)
		at := func(split string) string {
			var parts []string
			for _, k := range []int64{1, 5, 20} {
				f := c.closedFig(ts, best, split, k)
				if split == "held-out" && k != 20 {
					row.Figures = append(row.Figures, f)
				}
				parts = append(parts, fmt.Sprintf("C_%d %s", k, f.Text()))
			}
			return strings.Join(parts, ", ")
		}
		why = append(why, fmt.Sprintf("%s: H* = %s, C_20 = %s", fam, best, c20.Text()))
		hybrid = append(hybrid, fmt.Sprintf("%s: %s held-out %s; shifted %s", fam, best, at("held-out"), at("shifted")))
		amort = append(amort, fmt.Sprintf("%s: %s held-out gap %s", fam, c.amortized, c.gapFigOf(ts, c.amortized, "held-out").Text()))
		for _, d := range c.by[argmax.Direct] {
			f := meanFig(ts, d, infM(fam, infBudgetGap), "", 20)
			f.Name = fmt.Sprintf("mean held-out gap on %s after 20 iterations from Init", fam)
			row.Figures = append(row.Figures, f.For(d, argmax.Direct))
			direct = append(direct, fmt.Sprintf("%s: %s after 20 iterations from Init, gap %s", fam, d, f.Text()))
		}
		for _, d := range c.by[argmax.Baseline] {
			row.Figures = append(row.Figures, c.gapFigOf(ts, d, "held-out"))
		}

		tab := report.Table{Caption: fmt.Sprintf("%s: share C_k of the amortized gap (%s's) closed after k refinement steps, per hybrid and split, mean over seeds [95%%]", fam, c.amortized),
			Header: []string{"hybrid", "split", "C_0", "C_1", "C_5", "C_20", "gap after 20 steps"}}
		ch := report.Chart{Title: fmt.Sprintf("%s: share of the amortization gap closed by k refinement steps", fam), XLabel: "refinement steps k", YLabel: "C_k: share of the amortized gap closed",
			Caption: "C_k = 1 − (gap after k steps) ÷ (the amortized solver A's gap, " + c.amortized + "). Mean over seeds with 95% bands. C_0 < 0 for an end-to-end encoder, whose own guess is worse than the amortized one: it is trained for the answer after the steps. The dashed line is the claim's 0.9."}
		for _, h := range refiners {
			for _, split := range []string{"held-out", "shifted"} {
				cells := []string{h, split}
				for _, k := range []int64{0, 1, 5, 20} {
					cells = append(cells, c.closedFig(ts, h, split, k).Text())
				}
				cells = append(cells, meanFig(ts, h, infM(fam, "."+split+infRefine), "", 20).Text())
				tab.Rows = append(tab.Rows, cells)
				s := report.Series{Name: h + " (" + split + ")"}
				for _, k := range lab.StepsOf(ts, h, infM(fam, "."+split+infRefine)) {
					f := c.closedFig(ts, h, split, k)
					s.Points = append(s.Points, report.Point{X: float64(k), Y: f.Value, Lo: f.Lo, Hi: f.Hi})
				}
				ch.Series = append(ch.Series, s)
			}
		}
		ch.Series = append(ch.Series, report.Series{Name: "0.9", Fit: true, Points: []report.Point{report.P(0, 0.9), report.P(20, 0.9)}})
		sec.Tables = append(sec.Tables, tab)
		sec.Charts = drawable(sec.Charts, ch)
	}
	row.Verdict = semiVerdict(c20s)
	row.Why = strings.Join(why, "; ")
	row.Direct = Cell{Figure: strings.Join(direct, "; ")}
	row.Amortized = Cell{Figure: strings.Join(amort, "; ")}
	row.Hybrid = Cell{Figure: strings.Join(hybrid, "; ")}
	sec.Text = infText(ts)
	row.Section = sec
	return row
}

// infText describes the setting of the inference trials.
func infText(ts []*store.Trial) string {
	return fmt.Sprintf("Task families (lab/solvers): %s; solvers: %s. Per seed, %d contexts per split, new contexts and training seeds; gaps are against each task's exact solution (task.Exact). "+
		"Step sizes (lr, eta) are auto unless a spec gives them: the rate of the grid 1e-3..10 with the least mean objective on training contexts after tune_iters iterations (20 unless given) — from Init for the direct solvers and the end-to-end hybrid, from the encoder's own guesses for the warm-start hybrids. Times † are the fastest of %d repeats per decision.",
		strings.Join(lab.ParamStrings(ts[0], "tasks"), ", "), strings.Join(lab.ParamStrings(ts[0], "solvers"), ", "), int(lab.ParamFloat(ts[0], "eval")), int(lab.ParamFloat(ts[0], "repeats")))
}
