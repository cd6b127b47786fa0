package claims

import (
	"context"
	"fmt"
	"math"
	"slices"

	"argmax"
	"argmax/lab"
	"argmax/lab/bots"
	"argmax/lab/eval"
	"argmax/lab/report"
	"argmax/lab/stats"
)

// The problem-solving claim (the table's first rows: how each solves a
// problem, and the computational approach): a direct optimizer works on
// each problem, so with an adaptive stopping rule it spends more on harder
// positions; an amortized net spends one forward pass on every position,
// and its error grows with difficulty instead.

// ProblemSolving bins positions by difficulty — the exact solver's node
// count — and measures, per bin, the simulations an adaptive search spends
// and the error of every suite decider.
var ProblemSolving = lab.Experiment{
	Name: "claims/problem-solving",
	Doc: "Positions of every phase binned by difficulty (quantiles of the nodes the exact solver searched to label them). Per bin: the simulations spent by MCTS with an adaptive stopping rule " +
		"(stop once the best move's lead is safe) and its error, and the error and counted cost of every suite decider.",
	Version: 1,
	Params: withTrain([]lab.Param{
		{Name: "sets", Kind: lab.Strings, Doc: "position sets pooled and binned", Quick: []string{"openings", "beginning", "middle", "end"}, MinLen: 1},
		{Name: "positions", Kind: lab.Int, Doc: "positions drawn from each set per seed (0: all)", Quick: 100, Full: 0, Range: lab.Between(0, 1e6)},
		{Name: "bins", Kind: lab.Int, Doc: "difficulty bins (quantiles of solver nodes)", Quick: 4, Range: lab.Between(2, 20)},
		{Name: "adaptive", Kind: lab.String, Doc: "the direct optimizer with an adaptive stopping rule (bot spec)", Quick: "mcts:stoplead=0.5,stopmin=64"},
		{Name: "max_sims", Kind: lab.Int, Doc: "the adaptive search's simulation cap", Quick: 4096, Full: 16384, Range: lab.Between(1, 1<<26)},
		{Name: "sims", Kind: lab.Int, Doc: "simulation budget of the suite deciders that take one", Quick: 256, Range: lab.Between(1, 1<<26)},
		{Name: "nodes", Kind: lab.Int, Doc: "node budget of the suite deciders that take one (the solver: without an opening book it takes minutes on early positions)", Quick: 1000000, Range: lab.Between(1, 1<<40)},
	}),
	Seeds: [2]int{3, 5},
	Run:   runProblemSolving,
}

func runProblemSolving(ctx context.Context, t *lab.Trial) error {
	ps, src, err := loadSets(t, t.Strings("sets"), t.Int("positions"), 5)
	if err != nil {
		return err
	}
	env, err := envFor(ctx, t)
	if err != nil {
		return err
	}
	if err := prepare(env); err != nil {
		return err
	}
	nodes := make([]float64, len(src))
	for i, p := range src {
		nodes[i] = float64(p.Nodes)
	}
	k := t.Int("bins")
	cuts := make([]float64, k-1)
	for i := range cuts {
		cuts[i] = stats.Quantile(nodes, float64(i+1)/float64(k))
	}
	bins := make([][]eval.Position, k)
	for i, p := range ps {
		b, _ := slices.BinarySearch(cuts, nodes[i])
		bins[b] = append(bins[b], p)
	}
	for b, c := range cuts {
		t.RecordAt("bin.upper_nodes", int64(b), c)
	}
	adaptive := t.Text("adaptive")
	role, err := bots.RoleOf(adaptive)
	if err != nil {
		return err
	}
	entries := append([]bots.SuiteEntry{{Spec: adaptive, Role: role, Axis: "sims"}}, suite()...)
	for _, e := range entries {
		budget := argmax.Budget{}
		switch {
		case e.Spec == adaptive:
			budget.Simulations = int64(t.Int("max_sims"))
		case e.Axis == "sims":
			budget.Simulations = int64(t.Int("sims"))
		case e.Axis == "nodes":
			budget.Nodes = int64(t.Int("nodes"))
		}
		d, err := bots.NewIn(env, c4, e.Spec)
		if err != nil {
			return err
		}
		for b, bp := range bins {
			if len(bp) == 0 {
				continue
			}
			r, err := eval.Accuracy(ctx, d, bp, budget)
			if err != nil {
				return fmt.Errorf("%s: %w", e.Spec, err)
			}
			rec := func(m string, v float64) { t.RecordFor(e.Spec, e.Role, m, int64(b), v) }
			rec("bin.optimal", r.OptimalShare.Est)
			rec("bin.n", float64(r.N))
			rec("bin.sims", r.Mean.Simulations)
			rec("bin.flops", r.Mean.FLOPs)
			rec("bin.nodes", r.Mean.Nodes)
		}
		bots.Close(d)
	}
	return nil
}

func init() {
	lab.Register(ProblemSolving)
	register(Claim{Aspect: "problem solving", Experiments: []string{ProblemSolving.Name}, Summarize: summarizeProblemSolving})
}

func summarizeProblemSolving(res *lab.Results) Row {
	row, ts := newRow(res, ProblemSolving.Name, "problem solving", "Problem solving and computational approach", "A direct optimizer works on each problem, spending more compute where it is harder; an amortized one answers every problem with the same forward pass, and errs more where it is harder.", problemSolvingRule)
	if len(ts) == 0 {
		return row
	}
	sec := row.Section
	adaptive := lab.ParamString(ts[0], "adaptive")
	// The amortized decider compared: the best on all bins together.
	amort, best := "", -1.0
	for _, d := range lab.Deciders(ts, "bin.optimal") {
		if d.Role != argmax.Amortized {
			continue
		}
		if v := stats.Mean(lab.ValuesOf(ts, d.Decider, "bin.optimal", 0)); v > best {
			amort, best = d.Decider, v
		}
	}
	var dSlopes, aSlopes, fSlopes []float64
	for _, seed := range perSeed(ts) {
		var bx, sims, errs, flops []float64
		for _, b := range lab.StepsOf(seed, adaptive, "bin.sims") {
			s := lab.ValuesOf(seed, adaptive, "bin.sims", b)
			e := lab.ValuesOf(seed, amort, "bin.optimal", b)
			f := lab.ValuesOf(seed, amort, "bin.flops", b)
			if len(s) == 0 || len(e) == 0 {
				continue
			}
			bx, sims, errs = append(bx, float64(b)), append(sims, math.Log2(math.Max(s[0], 1))), append(errs, 1-e[0])
			if len(f) > 0 {
				flops = append(flops, f[0])
			}
		}
		dSlopes, aSlopes = append(dSlopes, slope(bx, sims)), append(aSlopes, slope(bx, errs))
		if len(flops) == len(bx) {
			fSlopes = append(fSlopes, slope(bx, flops))
		}
	}
	dc := seedsFig("direct: slope of log2(simulations per decision) per difficulty bin", "per bin", dSlopes).For(adaptive, argmax.Direct)
	ae := seedsFig("amortized: slope of the error per difficulty bin", "per bin", aSlopes).For(amort, argmax.Amortized)
	af := seedsFig("amortized: slope of FLOPs per decision per difficulty bin", "FLOPs per bin", fSlopes).For(amort, argmax.Amortized)
	row.Figures = append(row.Figures, dc, ae, af)
	row.Verdict, row.Why = problemSolvingVerdict(dc, ae)

	steps := lab.StepsOf(ts, adaptive, "bin.sims")
	tab := report.Table{Caption: "Per difficulty bin (solver nodes): compute spent and error (mean over seeds)", Header: []string{"decider"}}
	for _, b := range steps {
		up := meanFig(ts, "", "bin.upper_nodes", "", b).Value
		label := fmt.Sprintf("bin %d", b+1)
		if !math.IsNaN(up) {
			label += fmt.Sprintf(" (≤ %s nodes)", report.Num(roundSig(up)))
		}
		tab.Header = append(tab.Header, label)
	}
	simRow := []string{adaptive + ": simulations"}
	for _, b := range steps {
		simRow = append(simRow, report.Num(roundSig(meanFig(ts, adaptive, "bin.sims", "", b).Value)))
	}
	tab.Rows = append(tab.Rows, simRow)
	simChart := report.Chart{Title: "Compute per decision by difficulty", XLabel: "difficulty bin", YLabel: "simulations (adaptive search)", LogY: true}
	errChart := report.Chart{Title: "Error by difficulty", XLabel: "difficulty bin", YLabel: "error (1 − optimal share)"}
	ss := report.Series{Name: adaptive}
	for _, b := range steps {
		f := meanFig(ts, adaptive, "bin.sims", "", b)
		ss.Points = append(ss.Points, report.Point{X: float64(b + 1), Y: f.Value, Lo: f.Lo, Hi: f.Hi})
	}
	simChart.Series = append(simChart.Series, ss)
	for _, d := range lab.Deciders(ts, "bin.optimal") {
		r := []string{d.Decider + " (" + string(d.Role) + "): error"}
		es := report.Series{Name: d.Decider}
		for _, b := range steps {
			q := shareFig(ts, d.Decider, "bin.optimal", b)
			q.Name = fmt.Sprintf("optimal share in difficulty bin %d", b+1)
			row.Figures = append(row.Figures, q.For(d.Decider, d.Role))
			r = append(r, pctErr(q))
			es.Points = append(es.Points, report.Point{X: float64(b + 1), Y: 1 - q.Value, Lo: 1 - q.Hi, Hi: 1 - q.Lo})
		}
		tab.Rows = append(tab.Rows, r)
		errChart.Series = append(errChart.Series, es)
	}
	sec.Tables = append(sec.Tables, tab)
	sec.Charts = drawable(sec.Charts, simChart, errChart)
	if len(steps) > 0 {
		first, last := steps[0], steps[len(steps)-1]
		row.Direct = Cell{Figure: fmt.Sprintf("%s spends %s → %s simulations from the easiest to the hardest bin (slope %s)", adaptive,
			report.Num(roundSig(meanFig(ts, adaptive, "bin.sims", "", first).Value)), report.Num(roundSig(meanFig(ts, adaptive, "bin.sims", "", last).Value)), dc.Text())}
		row.Amortized = Cell{Figure: fmt.Sprintf("%s: %s FLOPs in every bin; error %s → %s (slope %s)", amort,
			report.Num(roundSig(meanFig(ts, amort, "bin.flops", "", first).Value)),
			pctErr(shareFig(ts, amort, "bin.optimal", first)), pctErr(shareFig(ts, amort, "bin.optimal", last)), ae.Text())}
		if hyb, _ := bestOf(ts, "bin", argmax.Hybrid); hyb != "" {
			row.Hybrid = Cell{Figure: fmt.Sprintf("%s error %s → %s", hyb, pctErr(shareFig(ts, hyb, "bin.optimal", first)), pctErr(shareFig(ts, hyb, "bin.optimal", last)))}
		}
	}
	sec.Text = "Difficulty is the number of nodes the exact solver searched to score the position's moves (recorded with each position). The adaptive search stops once its most visited move leads the second by half the visits, or can no longer be overtaken; the suite's search deciders run at a fixed budget here."
	row.Section = sec
	return row
}
