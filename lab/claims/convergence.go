package claims

import (
	"context"
	"fmt"
	"math"
	"strings"

	"argmax/direct/mcts"
	"argmax/game"
	"argmax/game/connect4/calibration"
	"argmax/lab"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The convergence claim: with more compute a direct optimizer converges to
// the argmax of its objective (MCTS's move becomes the solver's optimal
// move), while an amortized optimizer converges to the best description of
// its training data — trained on a suboptimal demonstrator, it converges to
// the demonstrator's choices, not to the optimum, as its data grows.

// ConvergenceSearch measures MCTS's share of optimal moves against exact
// scores as its simulation budget grows.
var ConvergenceSearch = lab.Experiment{
	Name: "claims/convergence-search",
	Doc: "MCTS (plain UCT, random rollouts) at a simulation budget, scored against exact move scores: every non-terminal tic-tac-toe position (4,520, solved by negamax) " +
		"or the connect-four end-game positions of the calibration file (solver scores). A move is optimal when it keeps the position's win/draw/loss value.",
	Version: 1,
	Params: []lab.Param{
		{Name: "game", Kind: lab.String, Doc: "tictactoe or connect4", Quick: "tictactoe", Choices: []string{"tictactoe", "connect4"}},
		{Name: "sims", Kind: lab.Int, Doc: "simulations per move", Quick: 64, Range: lab.Between(1, 1<<24)},
		{Name: "positions", Kind: lab.Int, Doc: "positions scored per trial (0: all)", Quick: 0, Range: lab.AtLeast(0)},
		{Name: "solver", Kind: lab.Bool, Doc: "turn on MCTS-solver (proven values propagate)", Quick: false},
	},
	Run: func(ctx context.Context, t *lab.Trial) error {
		var ps []*scored
		if t.Text("game") == "tictactoe" {
			ps = tictactoeSolution().positions
		} else {
			ps = connect4Positions(calibration.End)
		}
		ps = sample(ps, t.Int("positions"), t.CommonRand(1))
		s, err := newMCTS(t.Rand(1), t.Bool("solver"))
		if err != nil {
			return err
		}
		acc, err := mctsAccuracy(ctx, s, ps, t.Int("sims"))
		if err != nil {
			return err
		}
		acc.record(t, "")
		t.Record("positions", float64(acc.n))
		return nil
	},
}

// ConvergenceLearner trains a policy on a suboptimal demonstrator's labels
// and measures whom it converges to.
var ConvergenceLearner = lab.Experiment{
	Name: "claims/convergence-learner",
	Doc: "An amortized policy (a policy net, or a table from position to the most frequent label) fitted to uniformly random tic-tac-toe games whose positions are labelled by a depth-limited negamax demonstrator (suboptimal). " +
		"Scored on all 4,520 positions: agreement with the demonstrator and share of optimal moves, as the number of games grows.",
	Version: 1,
	Params: []lab.Param{
		{Name: "games", Kind: lab.Int, Doc: "demonstration games", Quick: 64, Range: lab.Between(0, 1e7)},
		{Name: "explore", Kind: lab.Float, Doc: "probability of a random move during data collection (1: uniformly random games)", Quick: 1.0, Range: lab.Between(0, 1)},
		learnerParam,
		{Name: "demo_depth", Kind: lab.Int, Doc: "search depth of the demonstrator (plies)", Quick: 2, Range: lab.Between(1, 9)},
		{Name: "hybrid_sims", Kind: lab.Ints, Doc: "budgets of PUCT search guided by the learned policy (the hybrid); empty for none", Quick: []int{}, Range: lab.Between(1, 1<<20)},
	},
	Run: func(ctx context.Context, t *lab.Trial) error {
		sol := tictactoeSolution()
		demo := depthLimited{t.Int("demo_depth")}
		// Data from common random numbers: at a seed index, the data of a
		// smaller size is a prefix of the larger one (a learning curve).
		data := demonstrations(gameByName("tictactoe"), demo.move, t.Int("games"), t.Float("explore"), t.CommonRand(1))
		if ctx.Err() != nil {
			return ctx.Err()
		}
		pol := fitLearner(t.Text("learner"), data, t.Rand(4).Uint64())
		if ctx.Err() != nil {
			return ctx.Err()
		}
		keys := map[uint64]bool{}
		for _, e := range data {
			keys[e.key] = true
		}
		rng := t.Rand(2)
		agree, seen, demoOpt := 0, 0, 0
		acc := policyAccuracy(sol.positions, func(s game.State) game.Action {
			mv := pol.move(s, rng)
			d := demo.move(s)
			if mv == d {
				agree++
			}
			if keys[s.Key()] {
				seen++
			}
			if sol.byKey[s.Key()].optimal(d) {
				demoOpt++
			}
			return mv
		})
		n := len(sol.positions)
		t.Record("agree_demo", share(agree, n))
		t.Record("optimal_share", share(acc.optimal, n))
		t.Record("strict_share", share(acc.strict, n))
		t.Record("demo_optimal_share", share(demoOpt, n))
		t.Record("coverage", share(seen, n))
		t.Record("examples", float64(len(data)))
		// Hybrid: search whose priors come from the learned (biased) policy.
		for _, hs := range t.Ints("hybrid_sims") {
			s, err := mcts.New(mcts.Config{Selection: mcts.PUCT, Seed: t.Rand(uint64(100 + hs)).Uint64(), Evaluator: newPriorEval(pol)})
			if err != nil {
				return err
			}
			hacc, err := mctsAccuracy(ctx, s, sol.positions, hs)
			if err != nil {
				return err
			}
			t.RecordAt("hybrid_optimal_share", int64(hs), share(hacc.optimal, hacc.n))
		}
		return nil
	},
}

func init() {
	lab.Register(ConvergenceSearch)
	lab.Register(ConvergenceLearner)
	register(Claim{
		Aspect:      "convergence",
		Experiments: []string{ConvergenceSearch.Name, ConvergenceLearner.Name},
		Summarize:   summarizeConvergence,
	})
}

// primaryLearner returns the trials of the learner shown in the table:
// the policy net when it was run, else the table.
func primaryLearner(trials []*store.Trial) ([]*store.Trial, string) {
	if ts := lab.Where(trials, "learner", "mlp"); len(ts) > 0 {
		return ts, "mlp"
	}
	if ts := lab.Where(trials, "learner", "table"); len(ts) > 0 {
		return ts, "table"
	}
	return trials, "table"
}

func learnerName(kind string) string {
	if kind == "mlp" {
		return "policy net"
	}
	return "table policy"
}

// byParam groups trials by a numeric parameter, ascending.
func byParam(trials []*store.Trial, name string) ([]float64, [][]*store.Trial) {
	var xs []float64
	groups := map[float64][]*store.Trial{}
	for _, t := range trials {
		x := lab.ParamFloat(t, name)
		if _, ok := groups[x]; !ok {
			xs = append(xs, x)
		}
		groups[x] = append(groups[x], t)
	}
	sortFloats(xs)
	out := make([][]*store.Trial, len(xs))
	for i, x := range xs {
		out[i] = groups[x]
	}
	return xs, out
}

func sortFloats(xs []float64) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// pct renders a share as a percentage with its interval.
func pct(iv stats.Interval) string {
	if math.IsNaN(iv.Est) {
		return "–"
	}
	if iv.N <= 1 {
		return fmt.Sprintf("%.1f%%", 100*iv.Est)
	}
	// A share lies in [0, 1] whatever the t interval says.
	return fmt.Sprintf("%.1f%% [%.1f, %.1f]", 100*iv.Est, 100*math.Max(0, iv.Lo), 100*math.Min(1, iv.Hi))
}

// curve makes a chart series of a metric against a parameter with 95%
// bands over seeds.
func curve(name string, trials []*store.Trial, param, metric string, scale float64) report.Series {
	s := report.Series{Name: name}
	xs, groups := byParam(trials, param)
	for i, x := range xs {
		iv := lab.CI(groups[i], metric, 0)
		if math.IsNaN(iv.Est) {
			continue
		}
		s.Points = append(s.Points, report.Point{X: x, Y: scale * iv.Est, Lo: scale * iv.Lo, Hi: scale * iv.Hi})
	}
	return s
}

// isShare reports whether a metric is a proportion in [0, 1].
func isShare(m string) bool {
	return strings.HasSuffix(m, "share") || m == "agree_demo" || m == "coverage" || m == "score"
}

// metricTable tabulates metrics by parameter value.
func metricTable(caption, param string, trials []*store.Trial, metrics ...string) report.Table {
	tab := report.Table{Caption: caption, Header: append([]string{param, "seeds"}, metrics...)}
	xs, groups := byParam(trials, param)
	for i, x := range xs {
		row := []string{report.Num(x), fmt.Sprint(len(groups[i]))}
		for _, m := range metrics {
			iv := lab.CI(groups[i], m, 0)
			if isShare(m) {
				iv.Lo, iv.Hi = math.Max(0, iv.Lo), math.Min(1, iv.Hi)
			}
			row = append(row, lab.FormatCI(iv))
		}
		tab.Rows = append(tab.Rows, row)
	}
	return tab
}

func summarizeConvergence(res *lab.Results) Row {
	row := Row{
		Aspect: "convergence",
		Claim: "As compute grows, MCTS's move converges to the solver's optimal move; a policy trained on a suboptimal demonstrator converges, as its data grows, " +
			"to the demonstrator's choices and not to the optimum.",
		Rule: "Search: holds if, on each game, the error rate (1 − optimal share) at the largest budget has a 95% upper bound ≤ 2% and lies below the interval of the smallest budget; does not hold if the largest budget's error has a lower bound > 2%. " +
			"Learner: with d the demonstrator's own error rate, holds if at the largest data size the agreement with the demonstrator has a lower bound ≥ 95% and the learner's error has a lower bound ≥ d/2 (it kept the demonstrator's mistakes); " +
			"does not hold if the learner's error upper bound < d/2 (it moved towards the optimum). The row holds if both parts hold, does not hold if either does not.",
		Hybrid: NotMeasuredCell,
	}
	sec := report.Section{Title: "Convergence"}
	search := res.Of(ConvergenceSearch.Name)
	// Trials with a hybrid search are a separate entry of the suite; the
	// learning curves use the others.
	var learner, hyb []*store.Trial
	for _, t := range res.Of(ConvergenceLearner.Name) {
		if len(lab.Steps([]*store.Trial{t}, "hybrid_optimal_share")) > 0 {
			hyb = append(hyb, t)
		} else {
			learner = append(learner, t)
		}
	}
	searchV, learnV := NotMeasured, NotMeasured
	var why []string

	if len(search) > 0 {
		chart := report.Chart{Title: "MCTS optimal-move share vs simulations", XLabel: "simulations per move", YLabel: "optimal moves (%)", LogX: true, YRange: [2]float64{0, 100}}
		var figs []string
		searchV = Holds
		for _, g := range []string{"tictactoe", "connect4"} {
			ts := lab.Where(search, "game", g)
			if len(ts) == 0 {
				continue
			}
			label := map[string]string{"tictactoe": "tic-tac-toe (all 4,520 positions)", "connect4": "connect four end-games"}[g]
			chart.Series = append(chart.Series, curve(label, ts, "sims", "optimal_share", 100))
			xs, groups := byParam(ts, "sims")
			lo, hi := lab.CI(groups[0], "optimal_share", 0), lab.CI(groups[len(groups)-1], "optimal_share", 0)
			short := map[string]string{"tictactoe": "tic-tac-toe", "connect4": "c4 end-games"}[g]
			figs = append(figs, fmt.Sprintf("%s: %s at %s sims → %s at %s", short, pct(lo), report.Num(xs[0]), pct(hi), report.Num(xs[len(xs)-1])))
			errHi := 1 - hi.Lo // upper bound of error at the largest budget
			errHiLo := 1 - hi.Hi
			errLoLo := 1 - lo.Hi
			v := Inconclusive
			switch {
			case errHiLo > 0.02:
				v = DoesNotHold
			case errHi <= 0.02 && errHi < errLoLo:
				v = Holds
			}
			why = append(why, fmt.Sprintf("%s error %.1f%% → %.1f%% (%s)", short, 100*(1-lo.Est), 100*(1-hi.Est), v))
			searchV = combine(searchV, v)
			sec.Tables = append(sec.Tables, metricTable("MCTS on "+label, "sims", ts, "optimal_share", "strict_share", "critical_share", "sims_per_move"))
		}
		sec.Charts = append(sec.Charts, chart)
		row.Direct = Cell{Figure: "MCTS optimal moves: " + joinLines(figs)}
		row.Direct.Timing = timingLine(search, "sims", "seconds_per_move", "MCTS s/move")
	}
	if len(learner) > 0 {
		main, kind := primaryLearner(learner)
		xs, groups := byParam(main, "games")
		last := groups[len(groups)-1]
		agree := lab.CI(last, "agree_demo", 0)
		opt := lab.CI(last, "optimal_share", 0)
		demo := lab.CI(last, "demo_optimal_share", 0)
		d := 1 - demo.Est
		errLo, errHi := 1-opt.Hi, 1-opt.Lo
		learnV = Inconclusive
		switch {
		case errHi < d/2:
			learnV = DoesNotHold
		case agree.Lo >= 0.95 && errLo >= d/2:
			learnV = Holds
		}
		row.Amortized = Cell{Figure: fmt.Sprintf("%s, %s demo games: agrees with the demonstrator %s; optimal %s vs demonstrator %.1f%%, optimum 100%%",
			learnerName(kind), report.Num(xs[len(xs)-1]), pct(agree), pct(opt), 100*demo.Est)}
		why = append(why, fmt.Sprintf("the %s agrees with the demonstrator %.1f%%, optimal %.1f%% vs demonstrator %.1f%% (%s)", learnerName(kind), 100*agree.Est, 100*opt.Est, 100*demo.Est, learnV))
		chart := report.Chart{Title: "Policies trained on a depth-2 demonstrator (suboptimal)", XLabel: "demonstration games", YLabel: "share of all positions (%)", LogX: true, YRange: [2]float64{0, 100}}
		for _, k := range []string{"mlp", "table"} {
			ts := lab.Where(learner, "learner", k)
			if len(ts) == 0 {
				continue
			}
			chart.Series = append(chart.Series,
				curve(learnerName(k)+": agrees with demonstrator", ts, "games", "agree_demo", 100),
				curve(learnerName(k)+": optimal moves", ts, "games", "optimal_share", 100))
			sec.Tables = append(sec.Tables, metricTable("Learner by data size: "+learnerName(k), "games", ts, "agree_demo", "optimal_share", "strict_share", "demo_optimal_share", "coverage", "examples"))
		}
		chart.Series = append(chart.Series, curve("positions seen in the data", main, "games", "coverage", 100))
		flat := report.Series{Name: "demonstrator's optimal share", Fit: true}
		for _, x := range xs {
			flat.Points = append(flat.Points, report.P(x, 100*demo.Est))
		}
		chart.Series = append(chart.Series, flat)
		sec.Charts = append(sec.Charts, chart)
	}
	if len(hyb) > 0 {
		steps := lab.Steps(hyb, "hybrid_optimal_share")
		var figs []string
		chart := report.Chart{Title: "Hybrid: PUCT guided by the demonstrator-trained policy", XLabel: "PUCT simulations per move", YLabel: "optimal moves, all positions (%)", LogX: true, YRange: [2]float64{50, 100}}
		ser := report.Series{Name: "PUCT + learned prior"}
		for _, st := range steps {
			iv := lab.CI(hyb, "hybrid_optimal_share", st)
			figs = append(figs, fmt.Sprintf("%s at %d sims", pct(iv), st))
			ser.Points = append(ser.Points, report.Point{X: float64(st), Y: 100 * iv.Est, Lo: 100 * math.Max(0, iv.Lo), Hi: 100 * math.Min(1, iv.Hi)})
		}
		prior := lab.CI(hyb, "optimal_share", 0)
		chart.Series = append(chart.Series, ser,
			report.Series{Name: "the policy alone", Fit: true, Points: []report.Point{report.P(float64(steps[0]), 100*prior.Est), report.P(float64(steps[len(steps)-1]), 100*prior.Est)}})
		sec.Charts = append(sec.Charts, chart)
		row.Hybrid = Cell{Figure: fmt.Sprintf("PUCT with the %s (%s games, %s optimal alone) as prior: %s",
			learnerName(lab.ParamString(hyb[0], "learner")), lab.ParamString(hyb[0], "games"), pct(prior), joinSemi(figs))}
	}
	row.Verdict = combine2(searchV, learnV)
	row.Why = joinSemi(why)
	sec.Text = "Direct: MCTS with plain UCT and one random rollout per leaf. Amortized: a policy net (MLP 18→128→128→9, argmax/nn, cross-entropy, Adam) and, for comparison, a lookup table of labels, " +
		"fitted to the positions of uniformly random games labelled by a depth-2 negamax demonstrator (it takes immediate wins and blocks immediate threats, nothing deeper); the table answers unseen positions with a random legal move. " +
		"Hybrid (search guided by a learned policy) is measured in the data-efficiency row."
	row.Section = sec
	return row
}

// combine merges sub-verdicts of one part: any failure fails, any
// inconclusive makes it inconclusive.
func combine(a, b Verdict) Verdict {
	switch {
	case a == DoesNotHold || b == DoesNotHold:
		return DoesNotHold
	case a == Inconclusive || b == Inconclusive:
		return Inconclusive
	case a == NotMeasured:
		return b
	case b == NotMeasured:
		return a
	}
	return Holds
}

// combine2 merges the verdicts of a row's parts; a part not measured makes
// the row not measured only if no part was measured.
func combine2(vs ...Verdict) Verdict {
	out := NotMeasured
	for _, v := range vs {
		out = combine(out, v)
	}
	return out
}

func joinLines(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += "; "
		}
		out += x
	}
	return out
}

func joinSemi(s []string) string { return joinLines(s) }

// timingLine summarizes a timing metric at the smallest and largest value
// of a parameter.
func timingLine(trials []*store.Trial, param, metric, label string) string {
	xs, groups := byParam(trials, param)
	if len(xs) == 0 {
		return ""
	}
	first, last := lab.CI(groups[0], metric, 0), lab.CI(groups[len(groups)-1], metric, 0)
	return fmt.Sprintf("%s: %s at %s → %s at %s", label, dur(first.Est), report.Num(xs[0]), dur(last.Est), report.Num(xs[len(xs)-1]))
}

// dur renders seconds compactly.
func dur(s float64) string {
	switch {
	case math.IsNaN(s):
		return "–"
	case s < 1e-6:
		return fmt.Sprintf("%.0f ns", s*1e9)
	case s < 1e-3:
		return fmt.Sprintf("%.1f µs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.1f ms", s*1e3)
	}
	return fmt.Sprintf("%.2f s", s)
}
