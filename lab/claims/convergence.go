package claims

import (
	"context"
	"fmt"
	"math"

	"argmax"
	"argmax/game"
	"argmax/game/tictactoe"
	"argmax/lab"
	"argmax/lab/bots"
	"argmax/lab/eval"
	"argmax/lab/learners"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The convergence claim: with more compute a direct optimizer converges to
// the argmax of its objective; an amortized learner converges to the best
// description of its data — a noisy demonstrator's moves, not the argmax —
// unless the data come from search (expert iteration).

// Convergence measures search error against simulations on deep openings
// and middle games (and on tic-tac-toe, where it reaches zero), and, on
// held-out positions where a noisy demonstrator loses the value, what a
// net trained on that demonstrator plays, beside a net trained on search
// results.
var Convergence = lab.Experiment{
	Name: "claims/convergence",
	Doc: "Direct: the error (1 − optimal share) of MCTS against simulations on deep opening and middle-game positions, and on every critical tic-tac-toe position. " +
		"Amortized: nets trained on a noisy demonstrator (the tactical rule, centre-most of what it allows: it loses the value on deep positions) and on search results (MCTS moves: expert iteration), " +
		"scored on held-out positions where the demonstrator's move loses the value: how often each copies the demonstrator and how often it keeps the value.",
	Version: 2,
	Params: withTrain([]lab.Param{
		{Name: "search_sets", Kind: lab.Strings, Doc: "position sets of the search curve", Quick: []string{"openings-deep", "middle-deep"}, MinLen: 1},
		{Name: "positions", Kind: lab.Int, Doc: "positions drawn from each set per seed (0: all)", Quick: 150, Full: 0, Range: lab.Between(0, 1e6)},
		{Name: "sims", Kind: lab.Ints, Doc: "simulation budgets", Quick: []int{1, 4, 16, 64, 256, 1024, 4096}, Full: []int{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536}, Range: lab.Between(1, 1<<26), MinLen: 3},
		{Name: "nodes", Kind: lab.Ints, Doc: "node budgets of the deciders that take one (the solver)", Quick: []int{1000, 10000, 100000, 1000000}, Range: lab.Between(1, 1<<40)},
		{Name: "learner_sets", Kind: lab.Strings, Doc: "held-out sets the learners are scored on", Quick: []string{"openings", "beginning", "middle", "end", "openings-deep", "beginning-deep", "middle-deep", "end-deep"}, MinLen: 1},
		{Name: "demo_learner", Kind: lab.String, Doc: "net trained on the noisy demonstrator (bot spec)", Quick: "net:labels=demo"},
		{Name: "search_learner", Kind: lab.String, Doc: "net trained on search results (bot spec)", Quick: "net:labels=search"},
	}),
	Seeds: [2]int{3, 5},
	Run:   runConvergence,
}

func runConvergence(ctx context.Context, t *lab.Trial) error {
	sims := t.Ints("sims")
	ps, _, err := loadSets(t, t.Strings("search_sets"), t.Int("positions"), 3)
	if err != nil {
		return err
	}
	if err := measureSuite(ctx, t, ps, "conv", sims, t.Ints("nodes")); err != nil {
		return err
	}
	env, err := envFor(ctx, t)
	if err != nil {
		return err
	}
	if err := prepare(env, t.Text("demo_learner"), t.Text("search_learner")); err != nil {
		return err
	}
	// Tic-tac-toe: every critical position, where search can reach zero error.
	var ttt []eval.Position
	for _, p := range eval.TicTacToe() {
		if p.Critical() {
			ttt = append(ttt, p)
		}
	}
	var budgets []argmax.Budget
	for _, s := range sims {
		budgets = append(budgets, argmax.Budget{Simulations: int64(s)})
	}
	pts, err := eval.Frontier(ctx, func(argmax.Budget) (game.Decider, error) { return bots.NewIn(env, tictactoe.Game{}, "mcts") }, budgets, ttt, 1)
	if err != nil {
		return err
	}
	for _, p := range pts {
		record(t, bots.SuiteEntry{Spec: "mcts", Role: argmax.Direct, Axis: "sims"}, "ttt", p)
	}

	// The learners on held-out positions where the demonstrator errs.
	held, _, err := loadSets(t, t.Strings("learner_sets"), 0, 4)
	if err != nil {
		return err
	}
	var dis []eval.Position
	var demo []game.Action
	for _, p := range held {
		mv, err := learners.DemoMove(p.State)
		if err != nil {
			return err
		}
		if !p.Optimal(mv) {
			dis, demo = append(dis, p), append(demo, mv)
		}
	}
	t.Record("demo.disagree_share", float64(len(dis))/float64(len(held)))
	for _, spec := range []string{t.Text("demo_learner"), t.Text("search_learner")} {
		role, err := bots.RoleOf(spec)
		if err != nil {
			return err
		}
		d, err := bots.NewIn(env, c4, spec)
		if err != nil {
			return err
		}
		r, err := eval.Accuracy(ctx, d, dis, argmax.Budget{})
		if err != nil {
			return err
		}
		follow := 0
		for i, mv := range r.Moves {
			if mv == demo[i] {
				follow++
			}
		}
		t.RecordFor(spec, role, "dis.follow", 0, float64(follow)/float64(max(1, r.N)))
		t.RecordFor(spec, role, "dis.optimal", 0, r.OptimalShare.Est)
		t.RecordFor(spec, role, "dis.n", 0, float64(r.N))
		all, err := eval.Accuracy(ctx, d, held, argmax.Budget{})
		if err != nil {
			return err
		}
		t.RecordFor(spec, role, "held.optimal", 0, all.OptimalShare.Est)
		t.RecordFor(spec, role, "held.n", 0, float64(all.N))
		bots.Close(d)
	}
	return nil
}

func init() {
	lab.Register(Convergence)
	register(Claim{Aspect: "convergence", Experiments: []string{Convergence.Name}, Summarize: summarizeConvergence})
}

// errorSlope is one seed's slope of log2(error) against log2(simulations)
// for decider under tag; a zero error counts as half a position.
func errorSlope(seed []*store.Trial, decider, tag string) float64 {
	var xs, ys []float64
	for _, s := range lab.StepsOf(seed, decider, tag+mOptimal) {
		q, n := lab.ValuesOf(seed, decider, tag+mOptimal, s), lab.ValuesOf(seed, decider, tag+mN, s)
		if len(q) == 0 || len(n) == 0 || s <= 0 {
			continue
		}
		e := math.Max(1-q[0], 0.5/n[0])
		xs, ys = append(xs, math.Log2(float64(s))), append(ys, math.Log2(e))
	}
	return slope(xs, ys)
}

func summarizeConvergence(res *lab.Results) Row {
	row, ts := newRow(res, Convergence.Name, "convergence", "Convergence", "With more compute a direct optimizer converges to the argmax of its objective; an amortized learner converges to the best description of its data, not to the argmax.", convergenceRule)
	if len(ts) == 0 {
		return row
	}
	sec := row.Section
	demoSpec, searchSpec := lab.ParamString(ts[0], "demo_learner"), lab.ParamString(ts[0], "search_learner")
	var slopes, fs, gs []float64
	for _, seed := range perSeed(ts) {
		slopes = append(slopes, errorSlope(seed, "mcts", "conv"))
		v := func(d, m string) float64 {
			x := lab.ValuesOf(seed, d, m, 0)
			if len(x) == 0 {
				return math.NaN()
			}
			return x[0]
		}
		fs = append(fs, v(demoSpec, "dis.follow")-v(demoSpec, "dis.optimal"))
		gs = append(gs, v(searchSpec, "dis.optimal")-v(demoSpec, "dis.optimal"))
	}
	sl := seedsFig("direct: slope of log2(error) per doubling of simulations", "per doubling", slopes).For("mcts", argmax.Direct)
	f := seedsFig("F: demonstrator-trained net copies the demonstrator minus keeps the value, where the demonstrator errs", "share", fs).For(demoSpec, argmax.Amortized)
	g := seedsFig("G: value kept by the search-trained net minus the demonstrator-trained net, same positions", "share", gs).For(searchSpec, argmax.Amortized)
	row.Figures = append(row.Figures, sl, f, g)
	row.Verdict, row.Why = convergenceVerdict(sl, f, g)

	tab, figs := suiteRows(ts, "conv", "Every decider of the suite on deep opening and middle-game positions")
	row.Figures = append(row.Figures, figs...)
	ttab, tfigs := suiteRows(ts, "ttt", "MCTS on every critical tic-tac-toe position")
	row.Figures = append(row.Figures, tfigs...)
	ltab := report.Table{Caption: "The learners on held-out positions where the noisy demonstrator loses the value (mean [95% interval] over seeds)",
		Header: []string{"learner", "copies the demonstrator", "keeps the value", "keeps the value on all held-out positions"}}
	for _, d := range []string{demoSpec, searchSpec} {
		fl, op, all := shareFig(ts, d, "dis.follow", 0), shareFig(ts, d, "dis.optimal", 0), shareFig(ts, d, "held.optimal", 0)
		ltab.Rows = append(ltab.Rows, []string{d, pct(fl.Interval()), pct(op.Interval()), pct(all.Interval())})
		fl.Name, op.Name, all.Name = "copies the demonstrator where it errs", "keeps the value where the demonstrator errs", "keeps the value on held-out positions"
		row.Figures = append(row.Figures, fl.For(d, argmax.Amortized), op.For(d, argmax.Amortized), all.For(d, argmax.Amortized))
	}
	noise := meanFig(ts, "", "demo.disagree_share", "share", 0)
	sec.Tables = append(sec.Tables, ltab, tab, ttab)

	chart := report.Chart{Title: "Search error against simulations", XLabel: "simulations per decision", YLabel: "error (1 − optimal share)", LogX: true, LogY: true}
	for _, tag := range []string{"conv", "ttt"} {
		s := report.Series{Name: map[string]string{"conv": "connect four, deep openings + middle", "ttt": "tic-tac-toe, critical positions"}[tag]}
		for _, st := range lab.StepsOf(ts, "mcts", tag+mOptimal) {
			q := shareFig(ts, "mcts", tag+mOptimal, st)
			if 1-q.Value > 0 {
				s.Points = append(s.Points, report.Point{X: float64(st), Y: 1 - q.Value, Lo: 1 - q.Hi, Hi: 1 - q.Lo})
			}
		}
		chart.Series = append(chart.Series, s)
	}
	sec.Charts = drawable(sec.Charts, chart)

	steps := lab.StepsOf(ts, "mcts", "conv"+mOptimal)
	if len(steps) > 0 {
		lo, hi := steps[0], steps[len(steps)-1]
		row.Direct = Cell{Figure: fmt.Sprintf("MCTS error on deep positions %s at %d sims → %s at %d sims (slope %s); tic-tac-toe error at %d sims: %s",
			pctErr(shareFig(ts, "mcts", "conv"+mOptimal, lo)), lo, pctErr(shareFig(ts, "mcts", "conv"+mOptimal, hi)), hi, sl.Text(), hi,
			pctErr(shareFig(ts, "mcts", "ttt"+mOptimal, hi)))}
	}
	row.Amortized = Cell{Figure: fmt.Sprintf("where the demonstrator errs (%s of held-out positions): its net copies it %s and keeps the value %s; the search-trained net keeps it %s",
		pct(noise.Interval()), pct(shareFig(ts, demoSpec, "dis.follow", 0).Interval()), pct(shareFig(ts, demoSpec, "dis.optimal", 0).Interval()),
		pct(shareFig(ts, searchSpec, "dis.optimal", 0).Interval()))}
	if hyb, q := bestOf(ts, "conv", argmax.Hybrid); hyb != "" {
		row.Hybrid = Cell{Figure: fmt.Sprintf("%s: best %.1f%% optimal on the deep positions", hyb, 100*q)}
	}
	sec.Text = "The demonstrator is the tactical rule playing the centre-most move it allows: a systematic teacher a net can learn, which loses the value exactly on the deep positions. " +
		"Both nets are scored on positions none was trained on (the test sets are disjoint from the training positions, mirror images included)."
	row.Section = sec
	return row
}

// pctErr renders the error (1 − share) of a share figure.
func pctErr(f lab.Figure) string {
	return pct(stats.Interval{Est: 1 - f.Value, Lo: 1 - f.Hi, Hi: 1 - f.Lo, N: f.N})
}
