package claims

import (
	"argmax"
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/direct/mcts"
	"argmax/game"
	"argmax/lab"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The data-efficiency claim: an amortized policy needs labelled data to
// reach the quality a direct optimizer gets from search alone; a hybrid
// (search guided by the learned policy) needs less of both.

// DataEfficiency trains a policy on N solver-labelled games and scores it
// on every tic-tac-toe position, alone and as the prior of a small search.
var DataEfficiency = lab.Experiment{
	Name: "claims/data-efficiency",
	Doc: "Tic-tac-toe: an amortized policy (a policy net, or a table from position to the most frequent label) fitted to N uniformly random games whose positions are labelled by the exact solver, " +
		"scored on all 4,520 non-terminal positions; and a hybrid, PUCT search with a small budget whose move priors come from that policy (values from random rollouts).",
	Version: 1,
	Params: []lab.Param{
		{Name: "games", Kind: lab.Int, Doc: "solver-labelled training games", Quick: 16, Range: lab.Between(0, 1e7)},
		{Name: "explore", Kind: lab.Float, Doc: "probability of a random move during data collection (1: uniformly random games)", Quick: 1.0, Range: lab.Between(0, 1)},
		learnerParam,
		{Name: "hybrid_sims", Kind: lab.Int, Doc: "simulations of the policy-guided search (0: no hybrid)", Quick: 16, Range: lab.Between(0, 1<<20)},
	},
	Run: func(ctx context.Context, t *lab.Trial) error {
		sol := tictactoeSolution()
		label := func(s game.State) game.Action { return sol.byKey[s.Key()].bestAction() }
		data := demonstrations(gameByName("tictactoe"), label, t.Int("games"), t.Float("explore"), t.CommonRand(1))
		pol := fitLearner(t.Text("learner"), data, t.Rand(4).Uint64())
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rng := t.Rand(2)
		keys := map[uint64]bool{}
		for _, e := range data {
			keys[e.key] = true
		}
		seen := 0
		acc := policyAccuracy(sol.positions, func(s game.State) game.Action {
			if keys[s.Key()] {
				seen++
			}
			return pol.move(s, rng)
		})
		acc.record(t, "")
		t.Record("coverage", share(seen, len(sol.positions)))
		t.Record("examples", float64(len(data)))
		if hs := t.Int("hybrid_sims"); hs > 0 {
			s, err := mcts.New(mcts.Config{Selection: mcts.PUCT, Seed: t.Rand(3).Uint64(), Evaluator: newPriorEval(pol)})
			if err != nil {
				return err
			}
			hacc, err := mctsAccuracy(ctx, s, sol.positions, hs)
			if err != nil {
				return err
			}
			hacc.record(t, "hybrid_")
		}
		return nil
	},
}

// priorEval is a leaf evaluator for PUCT: move priors from a learned
// policy (the amortized part), values from random rollouts.
type priorEval struct {
	roll mcts.Evaluator
	pol  policy
}

func newPriorEval(pol policy) *priorEval {
	return &priorEval{roll: (&mcts.Rollouts{N: 1}).Clone(), pol: pol}
}

// Evaluate implements mcts.Evaluator.
func (e *priorEval) Evaluate(leaves []mcts.Leaf, rng *rand.Rand) argmax.Cost {
	c := e.roll.Evaluate(leaves, rng)
	for i := range leaves {
		if leaves[i].Priors != nil {
			e.pol.prior(leaves[i].State, leaves[i].Legal, leaves[i].Priors)
			c.ForwardPasses++
		}
	}
	return c
}

// Clone implements mcts.Cloner.
func (e *priorEval) Clone() mcts.Evaluator { return newPriorEval(clonePolicy(e.pol)) }

func init() {
	lab.Register(DataEfficiency)
	register(Claim{Aspect: "data efficiency", Experiments: []string{DataEfficiency.Name, ConvergenceSearch.Name}, Summarize: summarizeDataEfficiency})
}

// crossing returns, for one seed's learning curve (data sizes xs ascending,
// shares ys), the data size at which the curve first reaches target,
// interpolated linearly in log2(1+x) between grid points; ok is false if it
// never does.
func crossing(xs, ys []float64, target float64) (float64, bool) {
	for i := range xs {
		if ys[i] >= target {
			if i == 0 {
				return xs[0], true
			}
			l0, l1 := math.Log2(1+xs[i-1]), math.Log2(1+xs[i])
			f := (target - ys[i-1]) / (ys[i] - ys[i-1])
			return math.Exp2(l0+f*(l1-l0)) - 1, true
		}
	}
	return 0, false
}

// curvesBySeed returns each seed index's learning curve of metric.
func curvesBySeed(trials []*store.Trial, metric string) map[int][2][]float64 {
	out := map[int][2][]float64{}
	xs, groups := byParam(trials, "games")
	for i, x := range xs {
		for _, t := range groups[i] {
			if v, ok := t.Value(metric, 0); ok {
				c := out[t.SeedIndex]
				c[0] = append(c[0], x)
				c[1] = append(c[1], v)
				out[t.SeedIndex] = c
			}
		}
	}
	return out
}

// gamesToMatch summarizes, over seeds, the data needed by a learning curve
// to reach MCTS's share at a budget (the MCTS share of the same seed index).
type match struct {
	sims           float64
	mcts           stats.Interval
	games          stats.Interval // over seeds that reached it
	reached, seeds int
}

func gamesToMatch(curves map[int][2][]float64, mctsTrials []*store.Trial, sims float64) match {
	m := match{sims: sims}
	at := lab.Where(mctsTrials, "sims", sims)
	m.mcts = lab.CI(at, "optimal_share", 0)
	var gs []float64
	for _, t := range at {
		target, ok := t.Value("optimal_share", 0)
		c, have := curves[t.SeedIndex]
		if !ok || !have {
			continue
		}
		m.seeds++
		if g, ok := crossing(c[0], c[1], target); ok {
			m.reached++
			gs = append(gs, g)
		}
	}
	m.games = stats.MeanCI(gs, 0.95)
	return m
}

func (m match) text(maxGames float64) string {
	if m.seeds == 0 {
		return "–"
	}
	if m.reached < m.seeds {
		return fmt.Sprintf("> %s games on %d of %d seeds", report.Num(maxGames), m.seeds-m.reached, m.seeds)
	}
	g := m.games
	g.Lo = math.Max(0, g.Lo)
	return lab.FormatCI(g) + " games"
}

func summarizeDataEfficiency(res *lab.Results) Row {
	row := Row{
		Aspect: "data efficiency",
		Claim:  "A direct optimizer needs no data: MCTS at N simulations reaches its quality from the rules alone, while an amortized policy must see G* labelled games to match it; search guided by the learned policy (hybrid) needs fewer.",
		Rule: "For each MCTS budget N, per seed, G* is the number of solver-labelled games at which the policy's optimal-move share (all tic-tac-toe positions) first reaches MCTS@N's share on the same seed (interpolated in log games). " +
			"Holds if, for every N, the untrained policy (0 games) is below MCTS@N (95% intervals disjoint) and every seed reaches it within the data sizes tried (G* > 0); " +
			"does not hold if the untrained policy already matches MCTS@N at some budget; otherwise inconclusive.",
		Verdict: NotMeasured,
		Why:     "no trials",
		Direct:  NotMeasuredCell, Amortized: NotMeasuredCell, Hybrid: NotMeasuredCell,
	}
	sec := report.Section{Title: "Data efficiency"}
	all := res.Of(DataEfficiency.Name)
	search := lab.Where(res.Of(ConvergenceSearch.Name), "game", "tictactoe")
	if len(all) == 0 || len(search) == 0 {
		row.Section = sec
		return row
	}
	ts, kind := primaryLearner(all)
	xs, groups := byParam(ts, "games")
	maxG := xs[len(xs)-1]
	untrained := lab.CI(groups[0], "optimal_share", 0)
	curves := curvesBySeed(ts, "optimal_share")
	hcurves := curvesBySeed(ts, "hybrid_optimal_share")
	budgets, _ := byParam(search, "sims")
	var direct, amort, hyb []string
	verdict := Holds
	tab := report.Table{Caption: "Games needed to match MCTS (mean [95% interval] over seeds)", Header: []string{"MCTS budget", "MCTS optimal moves (0 games)", "policy: games to match", "hybrid: games to match"}}
	var whys []string
	for _, b := range budgets {
		if b < 16 || b > 256 {
			continue
		}
		m := gamesToMatch(curves, search, b)
		h := gamesToMatch(hcurves, search, b)
		direct = append(direct, fmt.Sprintf("@%s sims %s", report.Num(b), pct(m.mcts)))
		amort = append(amort, fmt.Sprintf("@%s: %s", report.Num(b), m.text(maxG)))
		if h.seeds > 0 {
			hyb = append(hyb, fmt.Sprintf("@%s: %s", report.Num(b), h.text(maxG)))
		}
		tab.Rows = append(tab.Rows, []string{report.Num(b) + " sims", pct(m.mcts), m.text(maxG), h.text(maxG)})
		v := Holds
		switch {
		case untrained.Est >= m.mcts.Est:
			v = DoesNotHold
		case !(untrained.Hi < m.mcts.Lo) || m.reached < m.seeds || m.seeds == 0 || xs[0] != 0:
			v = Inconclusive
		}
		verdict = combine(verdict, v)
		whys = append(whys, fmt.Sprintf("MCTS@%s %s reached after %s", report.Num(b), pct(m.mcts), m.text(maxG)))
	}
	if len(direct) == 0 {
		row.Section = sec
		return row
	}
	row.Verdict = verdict
	row.Direct = Cell{Figure: "0 games: MCTS optimal moves " + joinSemi(direct)}
	row.Amortized = Cell{Figure: fmt.Sprintf("%s, games to match MCTS (untrained: %s): %s", learnerName(kind), pct(untrained), joinSemi(amort))}
	if len(hyb) > 0 {
		hs := lab.ParamString(ts[0], "hybrid_sims")
		row.Hybrid = Cell{Figure: fmt.Sprintf("PUCT@%s sims + learned prior, games to match: %s", hs, joinSemi(hyb))}
	}
	row.Why = "untrained policy " + pct(untrained) + "; " + joinSemi(whys)

	chart := report.Chart{Title: "Tic-tac-toe: optimal moves vs labelled games", XLabel: "solver-labelled games (+1)", YLabel: "optimal moves, all positions (%)", LogX: true, YRange: [2]float64{40, 100}}
	shift := func(s report.Series) report.Series {
		for i := range s.Points {
			s.Points[i].X++
		}
		return s
	}
	for _, k := range []string{"mlp", "table"} {
		kt := lab.Where(all, "learner", k)
		if len(kt) == 0 {
			continue
		}
		chart.Series = append(chart.Series, shift(curve(learnerName(k), kt, "games", "optimal_share", 100)))
		if len(hyb) > 0 {
			chart.Series = append(chart.Series, shift(curve("PUCT@"+lab.ParamString(kt[0], "hybrid_sims")+" + "+learnerName(k)+" prior", kt, "games", "hybrid_optimal_share", 100)))
		}
	}
	for _, b := range budgets {
		if b < 16 || b > 256 {
			continue
		}
		iv := lab.CI(lab.Where(search, "sims", b), "optimal_share", 0)
		chart.Series = append(chart.Series, report.Series{Name: "MCTS@" + report.Num(b) + " (no data)", Fit: true, Points: []report.Point{report.P(1, 100*iv.Est), report.P(maxG+1, 100*iv.Est)}})
	}
	sec.Charts = append(sec.Charts, chart)
	sec.Tables = append(sec.Tables, tab)
	for _, k := range []string{"mlp", "table"} {
		if kt := lab.Where(all, "learner", k); len(kt) > 0 {
			sec.Tables = append(sec.Tables, metricTable("By data size: "+learnerName(k), "games", kt, "optimal_share", "strict_share", "coverage", "examples", "hybrid_optimal_share"))
		}
	}
	sec.Text = "The MCTS figures are those of the convergence experiment on the same tic-tac-toe positions (plain UCT, no data). Training data: the positions of uniformly random games, each labelled with the solver's strictly best move. " +
		"The policy net (MLP 18→128→128→9) generalizes to positions it has not seen; the table cannot, so its quality follows the share of positions its data covers. " +
		"The hybrid is PUCT with a small simulation budget whose move priors come from the learned policy and whose leaf values come from random rollouts."
	row.Section = sec
	return row
}
