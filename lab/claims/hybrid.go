package claims

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"argmax"
	"argmax/game"
	"argmax/hybrid/arbiter"
	"argmax/lab"
	"argmax/lab/bots"
	"argmax/lab/eval"
)

// The hybrid claims: a net trained by expert iteration (hybrid/alphazero,
// no solver labels) guides PUCT search, and the comparisons the seeds make
// about it — the hybrid against both of its parents at equal compute, the
// two halves bootstrapping each other, an arbiter that decides per
// position whether search is worth it, and Gumbel root search against
// PUCT at a handful of simulations. One experiment measures them all on
// the same positions with the same net; each claim summarizes its part.

// Hybrid measures, on deep middle-game positions, the AlphaZero net alone,
// PUCT over it at several budgets, plain MCTS over a wider range, Gumbel
// search, the arbiter calibrated for several mean budgets, a net trained
// on as many of its own games without search, and the trivial baselines;
// beside every other decider of the suite at the reference budget; times
// them interleaved; and plays Gumbel against PUCT at small budgets.
var Hybrid = lab.Experiment{
	Name: "claims/hybrid",
	Doc: "A policy/value net trained from scratch by expert iteration (hybrid/alphazero: self-play with search, the search's targets; no solver labels) and what it makes: " +
		"the net alone, PUCT over it (alphazero), Gumbel root search (gumbel), the System-1/System-2 arbiter calibrated on training positions for target mean budgets, " +
		"beside plain MCTS with random rollouts, a net trained on the same number of its own games without search (raw self-play), and the random and 2-ply baselines — " +
		"the optimal-move share on held-out deep positions with counted costs, wall time per decision interleaved (†), and matches of Gumbel against PUCT at equal simulations.",
	Version: 2,
	Params: withTrain([]lab.Param{
		{Name: "sets", Kind: lab.Strings, Doc: "position sets (game/connect4/positions)", Quick: []string{"middle-deep"}, MinLen: 1},
		{Name: "positions", Kind: lab.Int, Doc: "positions drawn from each set per seed (0: all)", Quick: 200, Full: 0, Range: lab.Between(0, 1e6)},
		{Name: "net", Kind: lab.String, Doc: "the expert-iteration net: the keys of the alphazero kind that train it (iterations=N,size=S,gumbel=BOOL,games=N,train_sims=N)",
			Quick: "iterations=32,size=small,gumbel=true", Full: "iterations=80,size=medium,gumbel=true"},
		{Name: "sims", Kind: lab.Ints, Doc: "simulation budgets of PUCT over the net (the hybrid), compared with both parents", Quick: []int{16, 64, 200}, Full: []int{16, 64, 200, 800}, Range: lab.Between(1, 1<<20), MinLen: 1},
		{Name: "mcts_sims", Kind: lab.Ints, Doc: "simulation budgets of plain MCTS (the direct parent)", Quick: []int{16, 64, 256, 1024, 4096}, Full: []int{16, 64, 256, 1024, 4096, 16384, 65536}, Range: lab.Between(1, 1<<26), MinLen: 2},
		{Name: "gumbel_sims", Kind: lab.Ints, Doc: "the small budgets at which Gumbel search and PUCT are compared", Quick: []int{4, 16}, Range: lab.Between(2, 1<<20), MinLen: 1},
		{Name: "match_games", Kind: lab.Int, Doc: "games of each Gumbel-vs-PUCT match per seed (both colours from random openings)", Quick: 40, Full: 200, Range: lab.Between(2, 1e6)},
		{Name: "opening_plies", Kind: lab.Int, Doc: "random plies of each match opening", Quick: 4, Range: lab.Between(0, 20)},
		{Name: "arbiter_sims", Kind: lab.Ints, Doc: "target mean simulations per decision the arbiter is calibrated for, on the training set's positions", Quick: []int{50, 200}, Full: []int{25, 50, 100, 200, 400}, Range: lab.Between(1, 1<<20), MinLen: 1},
		{Name: "arbiter_calib", Doc: "the part of the training set the arbiter is calibrated on (train, train-PHASE, train-deep, train-PHASE-deep: the kind of position it is tested on)", Kind: lab.String, Quick: "train-middle-deep"},
		{Name: "arbiter_ref", Kind: lab.Int, Doc: "the PUCT budget the arbiter is held against (one of sims; the arbiter of the same target mean budget is the one compared)", Quick: 200, Range: lab.Between(1, 1<<20)},
		{Name: "nodes", Kind: lab.Int, Doc: "node budget of the suite deciders that take one", Quick: 1000000, Range: lab.Between(1, 1<<40)},
		{Name: "timing_positions", Kind: lab.Int, Doc: "positions timed per decider and budget", Quick: 40, Full: 120, Range: lab.Between(1, 1e6)},
		{Name: "rounds", Kind: lab.Int, Doc: "interleaved timing rounds", Quick: 2, Full: 3, Range: lab.Between(1, 1000)},
	}),
	Seeds: [2]int{3, 5},
	Run:   runHybrid,
}

// hybridSpecs are the deciders of the hybrid experiment, by part.
type hybridSpecs struct {
	net, raw, az, gumbel, mcts string
	arbiters                   []string // one per target mean budget
}

func specsOf(net string, arbiterSims []int, calib string) (hybridSpecs, error) {
	raw, err := rawKeys(net)
	if err != nil {
		return hybridSpecs{}, err
	}
	h := hybridSpecs{net: "aznet:" + net, raw: "aznet:" + raw, az: "alphazero:" + net, gumbel: "gumbel:" + net, mcts: "mcts"}
	for _, s := range arbiterSims {
		h.arbiters = append(h.arbiters, fmt.Sprintf("arbiter:%s,mean_sims=%d,calib=%s", net, s, calib))
	}
	return h, nil
}

// rawKeys returns the keys of the baseline net trained on the same number
// of its own games without search: net's keys without those of the
// search, with raw=true.
func rawKeys(net string) (string, error) {
	var keep []string
	iters := false
	for _, kv := range strings.Split(net, ",") {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "gumbel", "train_sims", "raw":
			continue
		case "iterations":
			iters = true
		case "checkpoint":
			return "", fmt.Errorf("parameter net %q: the experiment trains its nets (iterations=N), so that the raw-self-play baseline can play as many games", net)
		}
		keep = append(keep, kv)
	}
	if !iters {
		return "", fmt.Errorf("parameter net %q: iterations=N is required", net)
	}
	return strings.Join(append(keep, "raw=true"), ","), nil
}

const tagHybrid = "deep"

// simBudgets is one simulation budget per value.
func simBudgets(sims []int) []argmax.Budget {
	out := make([]argmax.Budget, len(sims))
	for i, s := range sims {
		out[i] = argmax.Budget{Simulations: int64(s)}
	}
	return out
}

func runHybrid(ctx context.Context, t *lab.Trial) error {
	ps, env, err := setup(ctx, t)
	if err != nil {
		return err
	}
	sims, gsims := t.Ints("sims"), t.Ints("gumbel_sims")
	if !slices.Contains(sims, t.Int("arbiter_ref")) {
		return fmt.Errorf("parameter arbiter_ref %d: not among the budgets sims %v", t.Int("arbiter_ref"), sims)
	}
	if !slices.Contains(t.Ints("arbiter_sims"), t.Int("arbiter_ref")) {
		return fmt.Errorf("parameter arbiter_ref %d: no arbiter is calibrated for it (arbiter_sims %v)", t.Int("arbiter_ref"), t.Ints("arbiter_sims"))
	}
	h, err := specsOf(t.Text("net"), t.Ints("arbiter_sims"), t.Text("arbiter_calib"))
	if err != nil {
		return err
	}
	// The nets train side by side, the suite's among them.
	if err := prepare(env, h.net, h.raw); err != nil {
		return err
	}
	azSims := append(slices.Clone(sims), gsims...)
	slices.Sort(azSims)
	azSims = slices.Compact(azSims)
	type part struct {
		e    bots.SuiteEntry
		sims []int
	}
	parts := []part{
		{bots.SuiteEntry{Spec: "random", Role: argmax.Baseline}, nil},
		{bots.SuiteEntry{Spec: "tactical", Role: argmax.Baseline}, nil},
		{bots.SuiteEntry{Spec: h.net, Role: argmax.Amortized}, nil},
		{bots.SuiteEntry{Spec: h.raw, Role: argmax.Amortized}, nil},
		{bots.SuiteEntry{Spec: h.mcts, Role: argmax.Direct, Axis: "sims"}, t.Ints("mcts_sims")},
		{bots.SuiteEntry{Spec: h.az, Role: argmax.Hybrid, Axis: "sims"}, azSims},
		{bots.SuiteEntry{Spec: h.gumbel, Role: argmax.Hybrid, Axis: "sims"}, gsims},
	}
	for _, a := range h.arbiters {
		parts = append(parts, part{bots.SuiteEntry{Spec: a, Role: argmax.Hybrid}, nil})
	}
	// Every other decider of the suite beside them, at the reference
	// budget.
	for _, e := range suite() {
		if !slices.ContainsFunc(parts, func(p part) bool { return p.e.Spec == e.Spec }) {
			parts = append(parts, part{e, []int{t.Int("arbiter_ref")}})
		}
	}
	nodes := []int{t.Int("nodes")}
	var timed []eval.Named
	var entries []bots.SuiteEntry
	for _, p := range parts {
		var last game.Decider
		mk := func(argmax.Budget) (game.Decider, error) {
			d, err := bots.NewIn(env, c4, p.e.Spec)
			last = d
			return d, err
		}
		budgets := budgetsOf(p.e, p.sims, nodes)
		if p.e.Role == argmax.Hybrid && p.e.Axis == "sims" {
			budgets = simBudgets(p.sims) // the experiment's own sweep: not capped like the suite's
		}
		pts, err := eval.Frontier(ctx, mk, budgets, ps, 1)
		if err != nil {
			return fmt.Errorf("%s: %w", p.e.Spec, err)
		}
		for _, pt := range pts {
			record(t, p.e, tagHybrid, pt)
		}
		if a, ok := last.(*arbiter.Arbiter); ok {
			t.RecordFor(p.e.Spec, p.e.Role, tagHybrid+".searched", 0, a.Stats().SearchShare())
		}
		bots.Close(last)
		for _, b := range budgets {
			d, err := bots.NewIn(env, c4, p.e.Spec)
			if err != nil {
				return err
			}
			defer bots.Close(d)
			timed = append(timed, eval.Named{Name: p.e.Spec, Decider: d, Budget: b})
			entries = append(entries, p.e)
		}
	}
	n := min(t.Int("timing_positions"), len(ps))
	tms, err := eval.Time(ctx, timed, ps[:n], t.Int("rounds"))
	if err != nil {
		return err
	}
	for i, tm := range tms {
		t.TimingFor(entries[i].Spec, entries[i].Role, tagHybrid+".median_seconds", step(timed[i].Budget), tm.Median.Seconds())
	}
	// Gumbel against PUCT at equal simulations, over the same net.
	bot := func(spec string) eval.Factory {
		return func() (game.Decider, error) { return bots.NewIn(env, c4, spec) }
	}
	for _, s := range gsims {
		b := argmax.Budget{Simulations: int64(s)}
		r, err := eval.Match(ctx, c4, bot(h.gumbel), bot(h.az), eval.MatchConfig{
			Games: t.Int("match_games"), RandomPlies: t.Int("opening_plies"), Seed: t.Seed,
			BudgetA: b, BudgetB: b, NameA: h.gumbel, NameB: h.az,
		})
		if err != nil {
			return err
		}
		rec := func(m string, v float64) { t.RecordFor(h.gumbel, argmax.Hybrid, m, int64(s), v) }
		rec("match.score", r.Score.Est)
		rec("match.n", float64(r.N))
		rec("match.wins", float64(r.Wins))
		rec("match.draws", float64(r.Draws))
		rec("match.losses", float64(r.Losses))
	}
	return nil
}

func init() {
	lab.Register(Hybrid)
	register(Claim{Aspect: "hybrid vs parents", Experiments: []string{Hybrid.Name}, Summarize: summarizeHybridParents})
	register(Claim{Aspect: "bootstrapping", Experiments: []string{Hybrid.Name}, Summarize: summarizeBootstrapping})
	register(Claim{Aspect: "arbiter", Experiments: []string{Hybrid.Name}, Summarize: summarizeArbiter})
	register(Claim{Aspect: "gumbel vs puct", Experiments: []string{Hybrid.Name}, Summarize: summarizeGumbel})
}
