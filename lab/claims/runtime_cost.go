package claims

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"argmax"
	"argmax/direct/alphabeta"
	"argmax/direct/mcts"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/lab"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/nn"
)

// The runtime-cost claim: a direct optimizer pays for every decision
// (search nodes, simulations, time), an amortized one pays once, in
// training, and then answers each decision for the price of a lookup or a
// forward pass.

// RuntimeCost measures the per-decision cost of the solver, MCTS at
// several budgets, and a policy fitted to the solver's labels.
var RuntimeCost = lab.Experiment{
	Name: "claims/runtime-cost",
	Doc: "Connect four middle-game positions of the calibration file: per-decision cost of the exact solver (nodes, time), of MCTS at several budgets (simulations, time) " +
		"and of an amortized policy fitted to the solver's labels of those positions (a table: one lookup per decision), with the policy's training cost (the solver time spent labelling).",
	Version: 1,
	Params: []lab.Param{
		{Name: "positions", Kind: lab.Int, Doc: "middle-game positions per trial", Quick: 100, Full: 300, Range: lab.Between(1, 300)},
		{Name: "sims", Kind: lab.Ints, Doc: "MCTS budgets to time", Quick: []int{64, 1024, 16384}, Range: lab.Between(1, 1<<24), MinLen: 1},
		{Name: "repeats", Kind: lab.Int, Doc: "repetitions of the cheap answers, for stable timings", Quick: 200, Range: lab.Between(1, 1e6)},
		{Name: "train_positions", Kind: lab.Int, Doc: "positions from random games labelled by the solver to train the policy net (0: no net)", Quick: 4000, Full: 40000, Range: lab.Between(0, 1e7)},
		{Name: "hybrid_sims", Kind: lab.Ints, Doc: "budgets of PUCT guided by the policy net (the hybrid); empty for none", Quick: []int{64, 1024}, Range: lab.Between(1, 1<<24)},
		{Name: "train_steps", Kind: lab.Int, Doc: "Adam steps of the policy net", Quick: 3000, Full: 20000, Range: lab.Between(1, 1e8)},
	},
	Run: func(ctx context.Context, t *lab.Trial) error {
		ps := sample(connect4Positions(calibration.Middle), t.Int("positions"), t.CommonRand(1))
		// Direct: the exact solver, every move analysed, best move played.
		sol := alphabeta.New()
		labels := make([]example, 0, len(ps))
		var solAcc accuracy
		start := time.Now()
		for _, p := range ps {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			st := p.state.Clone().(*connect4.State) // positions are shared between parallel trials
			n0 := sol.Nodes()
			scores := sol.Analyze(st, false)
			best := 0
			for c := range scores {
				if scores[c] > scores[best] {
					best = c
				}
			}
			solAcc.add(p, game.Action(best), argmax.Cost{Nodes: sol.Nodes() - n0})
			labels = append(labels, example{key: p.state.Key(), state: p.state, action: game.Action(best)})
		}
		solAcc.elapsed = time.Since(start)
		t.Record("solver_nodes_per_move", float64(solAcc.nodes)/float64(solAcc.n))
		t.Record("solver_optimal_share", share(solAcc.optimal, solAcc.n))
		t.Timing("solver_seconds_per_move", solAcc.elapsed.Seconds()/float64(solAcc.n))

		// Direct: MCTS at each budget.
		for i, sims := range t.Ints("sims") {
			s, err := newMCTS(t.Rand(uint64(10+i)), false)
			if err != nil {
				return err
			}
			acc, err := mctsAccuracy(ctx, s, ps, sims)
			if err != nil {
				return err
			}
			t.RecordAt("mcts_sims_per_move", int64(sims), float64(acc.sims)/float64(acc.n))
			t.RecordAt("mcts_optimal_share", int64(sims), share(acc.optimal, acc.n))
			t.TimingAt("mcts_seconds_per_move", int64(sims), acc.elapsed.Seconds()/float64(acc.n))
		}

		// Amortized: the table fitted to the solver's labels (training cost:
		// the solver time above), answering with one lookup.
		start = time.Now()
		tab := newTabular(connect4.Width)
		tab.fit(labels)
		fitTime := time.Since(start)
		rng := rand.New(rand.NewPCG(1, 2))
		reps := t.Int("repeats")
		var tabAcc accuracy
		start = time.Now()
		for r := 0; r < reps; r++ {
			a := policyAccuracy(ps, func(s game.State) game.Action { return tab.move(s, rng) })
			if r == 0 {
				tabAcc = a
			}
		}
		el := time.Since(start)
		t.Record("table_lookups_per_move", 1)
		t.Record("table_optimal_share", share(tabAcc.optimal, tabAcc.n))
		t.Record("table_training_labels", float64(len(labels)))
		t.Record("table_training_nodes", float64(solAcc.nodes))
		t.Timing("table_seconds_per_move", el.Seconds()/float64(reps*len(ps)))
		t.Timing("table_training_seconds", solAcc.elapsed.Seconds()+fitTime.Seconds())

		// Amortized: a policy net trained on solver labels of positions from
		// random games (none of them the test positions), answering with
		// one forward pass.
		if n := t.Int("train_positions"); n > 0 {
			start = time.Now()
			data, nodes, err := solverLabels(ctx, sol, n, ps, t.CommonRand(2))
			if err != nil {
				return err
			}
			labelTime := time.Since(start)
			start = time.Now()
			net := trainMLP(connect4.Game{}, data, mlpConfig{hidden: []int{256, 256}, steps: t.Int("train_steps"), batch: 128, lr: 2e-3}, t.Rand(5).Uint64())
			trainTime := time.Since(start)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// Keep the trained net as an artefact of the trial.
			if path, err := t.ArtefactPath("policy.safetensors"); err == nil {
				if err := nn.Save(path, net.net.Params(), map[string]string{"game": "connect4", "labels": fmt.Sprint(len(data)), "trial": t.Key}); err != nil {
					return fmt.Errorf("saving the policy net: %w", err)
				}
			} else {
				return err
			}
			netReps := max(1, reps/10)
			var netAcc accuracy
			start = time.Now()
			for r := 0; r < netReps; r++ {
				a := policyAccuracy(ps, net.move)
				if r == 0 {
					netAcc = a
				}
			}
			el = time.Since(start)
			t.Record("net_forward_per_move", 1)
			t.Record("net_flops_per_move", float64(net.flops))
			t.Record("net_optimal_share", share(netAcc.optimal, netAcc.n))
			t.Record("net_strict_share", share(netAcc.strict, netAcc.n))
			t.Record("net_training_labels", float64(len(data)))
			t.Record("net_training_nodes", float64(nodes))
			t.Timing("net_seconds_per_move", el.Seconds()/float64(netReps*len(ps)))
			t.Timing("net_training_seconds", labelTime.Seconds()+trainTime.Seconds())
			// A random legal move, the floor any policy must beat.
			rr := rand.New(rand.NewPCG(t.Seed, 3))
			var buf [connect4.Width]game.Action
			rnd := policyAccuracy(ps, func(s game.State) game.Action { l := s.Legal(buf[:0]); return l[rr.IntN(len(l))] })
			t.Record("random_optimal_share", share(rnd.optimal, rnd.n))

			// Hybrid: PUCT whose priors come from the net (values from
			// random rollouts): one forward pass per simulation.
			for i, hs := range t.Ints("hybrid_sims") {
				s, err := mcts.New(mcts.Config{Selection: mcts.PUCT, Seed: t.Rand(uint64(200 + i)).Uint64(), Evaluator: newPriorEval(mlpAsPolicy{net.clone()})})
				if err != nil {
					return err
				}
				acc, err := mctsAccuracy(ctx, s, ps, hs)
				if err != nil {
					return err
				}
				t.RecordAt("hybrid_sims_per_move", int64(hs), float64(acc.sims)/float64(acc.n))
				t.RecordAt("hybrid_optimal_share", int64(hs), share(acc.optimal, acc.n))
				t.TimingAt("hybrid_seconds_per_move", int64(hs), acc.elapsed.Seconds()/float64(acc.n))
			}
		}
		return nil
	},
}

// solverLabels plays uniformly random connect-four games, takes one
// non-terminal position from each at a random ply (16 to 34), skips the
// held-out test positions, and labels it with the solver's strictly best
// move (lowest column on ties). It returns the examples and the solver
// nodes spent.
func solverLabels(ctx context.Context, sol *alphabeta.Solver, n int, heldOut []*scored, rng *rand.Rand) ([]example, int64, error) {
	skip := map[uint64]bool{}
	for _, p := range heldOut {
		skip[p.state.Key()] = true
	}
	n0 := sol.Nodes()
	var out []example
	var buf [connect4.Width]game.Action
	for len(out) < n {
		if len(out)%64 == 0 && ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		st := connect4.New()
		target := 16 + rng.IntN(19)
		ok := true
		for st.Ply() < target {
			if over, _ := st.Terminal(); over {
				ok = false
				break
			}
			l := st.Legal(buf[:0])
			st.Play(l[rng.IntN(len(l))])
		}
		if over, _ := st.Terminal(); !ok || over || skip[st.Key()] {
			continue
		}
		scores := sol.Analyze(st, false)
		best := 0
		for c := range scores {
			if scores[c] > scores[best] {
				best = c
			}
		}
		out = append(out, example{key: st.Key(), state: st.Clone(), action: game.Action(best)})
	}
	return out, sol.Nodes() - n0, nil
}

func init() {
	lab.Register(RuntimeCost)
	register(Claim{Aspect: "runtime cost", Experiments: []string{RuntimeCost.Name}, Summarize: summarizeRuntimeCost})
}

func summarizeRuntimeCost(res *lab.Results) Row {
	row := Row{
		Aspect: "runtime cost",
		Claim:  "A direct optimizer pays at every decision (nodes, simulations, time); an amortized policy pays once in training and then answers each decision far more cheaply.",
		Rule: "Timings are compared by geometric means with 95% intervals over seeds (t on logarithms). Holds if each amortized answer's time per decision, times 10, is below the cheapest direct optimizer's (upper vs lower bound): at least ten times cheaper; " +
			"does not hold if an amortized answer's lower bound reaches the cheapest direct optimizer's upper bound; otherwise inconclusive. The verdict rests on timings (†).",
		Hybrid:        NotMeasuredCell,
		Verdict:       NotMeasured,
		TimingVerdict: true,
		Why:           "no trials",
	}
	sec := report.Section{Title: "Runtime cost"}
	ts := res.Of(RuntimeCost.Name)
	if len(ts) == 0 {
		row.Section = sec
		return row
	}
	span := func(iv stats.Interval) string {
		return fmt.Sprintf("%s [%s, %s]", dur(iv.Est), dur(iv.Lo), dur(iv.Hi))
	}
	nodes := lab.CI(ts, "solver_nodes_per_move", 0)
	solT := lab.GeoCI(ts, "solver_seconds_per_move", 0)
	tabT := lab.GeoCI(ts, "table_seconds_per_move", 0)
	netT := lab.GeoCI(ts, "net_seconds_per_move", 0)
	haveNet := len(lab.Values(ts, "net_seconds_per_move", 0)) > 0
	budgets := lab.Steps(ts, "mcts_sims_per_move")
	cheapest := solT
	var mctsFig, mctsTime, mctsOpt []string
	tab := report.Table{Caption: "Per-decision cost on held-out connect-four middle-game positions (mean [95% interval] over seeds; † timings, geometric means)",
		Header: []string{"decider", "work per decision", "optimal moves", "time per decision †"}}
	tab.Rows = append(tab.Rows, []string{"exact solver (alpha-beta)", lab.FormatCI(nodes) + " nodes", pct(lab.CI(ts, "solver_optimal_share", 0)), span(solT)})
	chart := report.Chart{Title: "Time per decision †", XLabel: "MCTS simulations per move", YLabel: "seconds per decision", LogX: true, LogY: true}
	mctsSeries := report.Series{Name: "MCTS"}
	for _, b := range budgets {
		iv := lab.GeoCI(ts, "mcts_seconds_per_move", b)
		if iv.Est < cheapest.Est {
			cheapest = iv
		}
		mctsSeries.Points = append(mctsSeries.Points, report.Point{X: float64(b), Y: iv.Est, Lo: iv.Lo, Hi: iv.Hi})
		mctsFig = append(mctsFig, report.Num(float64(b)))
		mctsOpt = append(mctsOpt, fmt.Sprintf("%.1f%%", 100*lab.CI(ts, "mcts_optimal_share", b).Est))
		mctsTime = append(mctsTime, dur(iv.Est))
		tab.Rows = append(tab.Rows, []string{fmt.Sprintf("MCTS %s sims", report.Num(float64(b))), lab.FormatCI(lab.CI(ts, "mcts_sims_per_move", b)) + " simulations",
			pct(lab.CI(ts, "mcts_optimal_share", b)), span(iv)})
	}
	tab.Rows = append(tab.Rows, []string{"amortized: table of the solver's labels of these positions", "1 lookup", pct(lab.CI(ts, "table_optimal_share", 0)), span(tabT)})
	if haveNet {
		tab.Rows = append(tab.Rows, []string{"amortized: policy net trained on other positions", fmt.Sprintf("1 forward pass, %s FLOPs", report.Num(lab.CI(ts, "net_flops_per_move", 0).Est)),
			pct(lab.CI(ts, "net_optimal_share", 0)), span(netT)})
		tab.Rows = append(tab.Rows, []string{"a random legal move", "–", pct(lab.CI(ts, "random_optimal_share", 0)), "–"})
	}
	x0, x1 := float64(budgets[0]), float64(budgets[len(budgets)-1])
	chart.Series = append(chart.Series, mctsSeries,
		report.Series{Name: "exact solver", Fit: true, Points: []report.Point{report.P(x0, solT.Est), report.P(x1, solT.Est)}},
		report.Series{Name: "amortized table", Fit: true, Points: []report.Point{report.P(x0, tabT.Est), report.P(x1, tabT.Est)}},
	)
	if haveNet {
		chart.Series = append(chart.Series, report.Series{Name: "amortized policy net", Fit: true, Points: []report.Point{report.P(x0, netT.Est), report.P(x1, netT.Est)}})
	}
	sec.Charts = append(sec.Charts, chart)
	sec.Tables = append(sec.Tables, tab)

	row.Direct = Cell{
		Figure: fmt.Sprintf("solver %s nodes/move (%s optimal); MCTS %s sims/move (%s optimal)", lab.FormatCI(nodes), pct(lab.CI(ts, "solver_optimal_share", 0)), joinSlash(mctsFig), joinSlash(mctsOpt)),
		Timing: fmt.Sprintf("solver %s/move; MCTS %s/move", dur(solT.Est), joinSlash(mctsTime)),
	}
	row.Amortized = Cell{
		Figure: fmt.Sprintf("table: 1 lookup/move (%s optimal, fitted to these positions)", pct(lab.CI(ts, "table_optimal_share", 0))),
		Timing: fmt.Sprintf("table %s/move after %s of solver labelling", dur(tabT.Est), dur(lab.GeoCI(ts, "table_training_seconds", 0).Est)),
	}
	if hsteps := lab.Steps(ts, "hybrid_optimal_share"); len(hsteps) > 0 {
		var figs, times []string
		for _, b := range hsteps {
			iv := lab.GeoCI(ts, "hybrid_seconds_per_move", b)
			figs = append(figs, fmt.Sprintf("%s sims %s", report.Num(float64(b)), pct(lab.CI(ts, "hybrid_optimal_share", b))))
			times = append(times, dur(iv.Est))
			tab.Rows = append(tab.Rows, []string{fmt.Sprintf("hybrid: PUCT %s sims + policy-net prior", report.Num(float64(b))),
				lab.FormatCI(lab.CI(ts, "hybrid_sims_per_move", b)) + " simulations, one forward pass each", pct(lab.CI(ts, "hybrid_optimal_share", b)), span(iv)})
		}
		row.Hybrid = Cell{Figure: "PUCT + policy-net prior, 1 forward pass per simulation: optimal moves " + joinSemi(figs), Timing: "PUCT + net " + joinSlash(times) + "/move"}
	}
	amort := []stats.Interval{tabT}
	names := []string{"table"}
	if haveNet {
		row.Amortized.Figure += fmt.Sprintf("; policy net: 1 forward pass of %s FLOPs/move, %s optimal on unseen positions (random move %s)",
			report.Num(lab.CI(ts, "net_flops_per_move", 0).Est), pct(lab.CI(ts, "net_optimal_share", 0)), pct(lab.CI(ts, "random_optimal_share", 0)))
		row.Amortized.Timing += fmt.Sprintf("; net %s/move after %s of labelling and training", dur(netT.Est), dur(lab.GeoCI(ts, "net_training_seconds", 0).Est))
		amort = append(amort, netT)
		names = append(names, "policy net")
	}
	row.Verdict = Holds
	for _, a := range amort {
		switch {
		case a.Lo >= cheapest.Hi:
			row.Verdict = DoesNotHold
		case !(10*a.Hi < cheapest.Lo) && row.Verdict == Holds:
			row.Verdict = Inconclusive
		}
	}
	var parts []string
	for i, a := range amort {
		parts = append(parts, fmt.Sprintf("%s %s/decision, %s× cheaper", names[i], dur(a.Est), report.Num(roundSig(cheapest.Est/a.Est))))
	}
	row.Why = fmt.Sprintf("against the cheapest direct optimizer (%s/decision): %s", dur(cheapest.Est), joinSemi(parts))
	trainT := lab.GeoCI(ts, "table_training_seconds", 0)
	if solT.Est > tabT.Est {
		be := trainT.Est / (solT.Est - tabT.Est)
		sec.Text = fmt.Sprintf("Amortization of the table pays for itself against the solver after about %s decisions (its training time over the time saved per decision): once per labelled position, since it only answers positions it was fitted to. ", report.Num(roundSig(be)))
	}
	if haveNet {
		sec.Text += "The policy net (MLP 84→256→256→7, argmax/nn) is trained on the solver's labels of positions taken from uniformly random games, none of them a test position, so it answers positions it never saw — at the price of accuracy. "
	}
	sec.Text += "The hybrid is PUCT whose move priors come from the policy net and whose leaf values come from random rollouts: it pays a forward pass per simulation, and its quality depends on how good the prior is."
	row.Section = sec
	return row
}

func joinSlash(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " / "
		}
		out += x
	}
	return out
}

// roundSig rounds to 2 significant digits.
func roundSig(x float64) float64 {
	if x == 0 {
		return 0
	}
	p := 1.0
	for x*p < 10 {
		p *= 10
	}
	for x*p >= 100 {
		p /= 10
	}
	return float64(int64(x*p+0.5)) / p
}
