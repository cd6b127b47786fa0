package mcts

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/game/tictactoe"
)

func parse(t testing.TB, g game.Game, moves string) game.State {
	t.Helper()
	st, err := g.Parse(moves)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func mustNew(t testing.TB, cfg Config) *Searcher {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func search(t testing.TB, s *Searcher, st game.State, b argmax.Budget) *Result {
	t.Helper()
	r, err := s.Search(context.Background(), st, b)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// plain hides game.RandomPlayouter, so Rollouts takes its generic path.
type plain struct{ game.State }

func (p plain) Clone() game.State { return plain{p.State.Clone()} }

// configs are the settings every behavioural test runs under.
var configs = []struct {
	name string
	cfg  Config
}{
	{"uct", Config{}},
	{"uct-solver", DefaultConfig()},
	{"puct", Config{Selection: PUCT}},
	{"puct-solver-batch8", Config{Selection: PUCT, Solver: true, Batch: 8}},
	{"uct-solver-threads2", Config{Solver: true, Threads: 2}},
	{"uct-rollouts4", Config{Evaluator: &Rollouts{N: 4}}},
}

// TestTactics checks that the search takes an immediate win and blocks an
// immediate loss, in both games, under every configuration, with and
// without the fast random playouts.
func TestTactics(t *testing.T) {
	tests := []struct {
		name  string
		g     game.Game
		moves string
		want  []game.Action // acceptable moves, 0-based
	}{
		{"c4 win either side", connect4.Game{}, "445566", []game.Action{2, 6}},
		{"c4 win vertical", connect4.Game{}, "414145", []game.Action{3}},
		{"c4 block vertical", connect4.Game{}, "41414", []game.Action{3}},
		{"c4 block horizontal", connect4.Game{}, "21334", []game.Action{4}},
		{"ttt win rather than block", tictactoe.Game{}, "1425", []game.Action{2}},
		{"ttt block", tictactoe.Game{}, "152", []game.Action{2}},
		{"ttt block diagonal", tictactoe.Game{}, "529", []game.Action{0}},
	}
	for _, c := range configs {
		for _, tc := range tests {
			for _, generic := range []bool{false, true} {
				name := c.name + "/" + tc.name
				if generic {
					name += "/generic-rollouts"
				}
				t.Run(name, func(t *testing.T) {
					st := parse(t, tc.g, tc.moves)
					if generic {
						st = plain{st}
					}
					before := st.String()
					r := search(t, mustNew(t, c.cfg), st, argmax.Budget{Simulations: 3000})
					if !slices.Contains(tc.want, r.Action) {
						t.Errorf("%s: chose %d, want one of %v; children %+v", tc.moves, r.Action, tc.want, r.Children)
					}
					if st.String() != before {
						t.Errorf("search changed the position: %q, was %q", st.String(), before)
					}
				})
			}
		}
	}
}

// TestSolverProves checks that MCTS-solver proves won, lost and drawn
// positions (values from the calibration file and tic-tac-toe theory) and
// stops early, and that without the solver nothing is proven.
func TestSolverProves(t *testing.T) {
	tests := []struct {
		g     game.Game
		moves string
		want  game.Outcome
	}{
		{connect4.Game{}, "5341652523462351422157335627763", game.Win},
		{connect4.Game{}, "44321675636734742516661737232", game.Win},
		{connect4.Game{}, "631357214231724677467434733661114", game.Loss},
		{connect4.Game{}, "564771665767572622721224411645134", game.Loss},
		{connect4.Game{}, "131345546631451446422161265372367523", game.Draw},
		{connect4.Game{}, "324552421754571422676346455126771117", game.Draw},
		{connect4.Game{}, "7672323414445663523655661773372752", game.Draw},
		{tictactoe.Game{}, "1425", game.Win},
		{tictactoe.Game{}, "12", game.Win},
		{tictactoe.Game{}, "152", game.Draw},
		{tictactoe.Game{}, "1295", game.Draw},
		{tictactoe.Game{}, "125", game.Loss},
		{tictactoe.Game{}, "51", game.Draw},
	}
	for _, tc := range tests {
		t.Run(tc.g.Name()+"/"+tc.moves, func(t *testing.T) {
			st := parse(t, tc.g, tc.moves)
			r := search(t, mustNew(t, DefaultConfig()), st, argmax.Budget{Simulations: 200000})
			if !r.Proven || r.Outcome != tc.want {
				t.Fatalf("proven=%v outcome=%v, want proven %v (status %v, %d sims)", r.Proven, r.Outcome, tc.want, r.Status, r.Cost.Simulations)
			}
			if r.Status != Solved || r.Cost.Simulations >= 200000 {
				t.Errorf("status %v after %d simulations, want solved early", r.Status, r.Cost.Simulations)
			}
			// The chosen move keeps the value; a proven child agrees with it.
			for _, c := range r.Children {
				if c.Action == r.Action && (!c.Proven || c.Outcome != tc.want) {
					t.Errorf("chose %d with proven=%v outcome=%v, want proven %v", c.Action, c.Proven, c.Outcome, tc.want)
				}
				if c.Proven && c.Outcome > tc.want {
					t.Errorf("child %d proven %v, better than the root's %v", c.Action, c.Outcome, tc.want)
				}
			}
			r = search(t, mustNew(t, Config{}), st, argmax.Budget{Simulations: 2000})
			if r.Proven {
				t.Errorf("proven without the solver")
			}
		})
	}
}

// TestSolverAgreesWithCalibration checks every proof (root and moves) the
// solver finds on calibration positions against the exact scores.
func TestSolverAgreesWithCalibration(t *testing.T) {
	ps := calibration.All()
	if testing.Short() {
		ps = ps[:100]
	}
	s := mustNew(t, DefaultConfig())
	sign := func(x int) game.Outcome { return game.Outcome(min(max(x, -1), 1)) }
	proofs := 0
	for _, p := range ps {
		st := parse(t, connect4.Game{}, p.Moves)
		r := search(t, s, st, argmax.Budget{Simulations: 2000})
		if r.Proven {
			proofs++
			if r.Outcome != sign(p.Best()) {
				t.Errorf("%s: proven %v, exact score %d", p.Moves, r.Outcome, p.Best())
			}
		}
		for _, c := range r.Children {
			if c.Proven {
				proofs++
				if c.Outcome != sign(p.Scores[c.Action]) {
					t.Errorf("%s: move %d proven %v, exact score %d", p.Moves, c.Action+1, c.Outcome, p.Scores[c.Action])
				}
			}
		}
	}
	if proofs < len(ps) {
		t.Errorf("only %d proofs on %d positions", proofs, len(ps))
	}
	t.Logf("%d proofs on %d positions, all exact", proofs, len(ps))
}

// TestCalibrationEnd measures the share of optimal moves (keeping the
// win/draw/loss value) on the end-game positions of the calibration file
// with 20,000 simulations and the solver (the first 100 with -short).
func TestCalibrationEnd(t *testing.T) {
	ps := calibration.Of(calibration.End)
	if testing.Short() {
		ps = ps[:100]
	}
	s := mustNew(t, DefaultConfig())
	opt, strict := 0, 0
	for _, p := range ps {
		r := search(t, s, parse(t, connect4.Game{}, p.Moves), argmax.Budget{Simulations: 20000})
		if p.Optimal(int(r.Action)) {
			opt++
		} else {
			t.Logf("%s: chose %d, scores %v", p.Moves, r.Action+1, p.Scores)
		}
		if p.StrictlyOptimal(int(r.Action)) {
			strict++
		}
	}
	share := float64(opt) / float64(len(ps))
	t.Logf("optimal %d/%d = %.1f%%, strictly optimal %d/%d", opt, len(ps), 100*share, strict, len(ps))
	if share < 0.95 {
		t.Errorf("optimal-move share %.3f < 0.95", share)
	}
}

// TestDeterminism checks that the same seed gives the same move and the
// same visit counts (also with two root-parallel threads and batches), and
// that another seed gives other counts.
func TestDeterminism(t *testing.T) {
	st := parse(t, connect4.Game{}, "4453")
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			run := func(seed uint64) *Result {
				cfg := c.cfg
				cfg.Seed = seed
				return search(t, mustNew(t, cfg), st, argmax.Budget{Simulations: 5000})
			}
			a, b, other := run(7), run(7), run(8)
			visits := func(r *Result) []int64 {
				var v []int64
				for _, c := range r.Children {
					v = append(v, c.Visits)
				}
				return v
			}
			if a.Action != b.Action || !slices.Equal(visits(a), visits(b)) || a.Value != b.Value {
				t.Errorf("same seed: %d %v %v vs %d %v %v", a.Action, visits(a), a.Value, b.Action, visits(b), b.Value)
			}
			if slices.Equal(visits(a), visits(other)) {
				t.Errorf("seeds 7 and 8 gave the same visits %v", visits(a))
			}
			if a.Cost.Simulations != 5000 {
				t.Errorf("%d simulations, want 5000", a.Cost.Simulations)
			}
			var sum int64
			for _, c := range a.Children {
				sum += c.Visits
			}
			// Every simulation but each thread's first (which expands the
			// root) goes through one child.
			if want := int64(5000 - max(c.cfg.Threads, 1)); sum != want {
				t.Errorf("children visits sum to %d, want %d", sum, want)
			}
		})
	}
}

// TestReuse checks that with Reuse the subtree of the position reached is
// kept with its visits, one or two plies down, and that an unrelated
// position starts afresh.
func TestReuse(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Reuse = true
	for _, threads := range []int{1, 2} {
		cfg.Threads = threads
		s := mustNew(t, cfg)
		st := connect4.New()
		r1 := search(t, s, st, argmax.Budget{Simulations: 20000})
		var played Child
		for _, c := range r1.Children {
			if c.Action == r1.Action {
				played = c
			}
		}
		// One ply down: the subtree of the move played, plus 100 new
		// simulations, all through the (expanded) root's children.
		st.Play(r1.Action)
		r2 := search(t, s, st, argmax.Budget{Simulations: 100})
		var sum int64
		for _, c := range r2.Children {
			sum += c.Visits
		}
		if want := played.Visits - int64(threads) + 100; sum != want {
			t.Errorf("threads=%d: after reuse the children have %d visits, want %d (the move had %d)", threads, sum, want, played.Visits)
		}
		if r2.Reused == 0 || r2.Reused > r1.Cost.Nodes {
			t.Errorf("threads=%d: reused %d nodes of %d", threads, r2.Reused, r1.Cost.Nodes)
		}
		// Two plies down: the bot's move and the reply.
		st.Play(r2.Action)
		st.Play(3)
		r3 := search(t, s, st, argmax.Budget{Simulations: 100})
		if r3.Reused == 0 {
			t.Errorf("threads=%d: two plies down, nothing reused", threads)
		}
		// The same position again: the whole tree.
		r4 := search(t, s, st, argmax.Budget{Simulations: 100})
		if r4.Reused < r3.Reused+r3.Cost.Nodes {
			t.Errorf("threads=%d: same position reused %d nodes, want ≥ %d", threads, r4.Reused, r3.Reused+r3.Cost.Nodes)
		}
		// An unrelated position: a fresh tree.
		r5 := search(t, s, parse(t, connect4.Game{}, "1111"), argmax.Budget{Simulations: 100})
		if r5.Reused != 0 {
			t.Errorf("threads=%d: unrelated position reused %d nodes", threads, r5.Reused)
		}
	}
	// Without Reuse nothing is kept.
	s := mustNew(t, DefaultConfig())
	st := connect4.New()
	search(t, s, st, argmax.Budget{Simulations: 1000})
	if r := search(t, s, st, argmax.Budget{Simulations: 1000}); r.Reused != 0 {
		t.Errorf("reuse off: %d nodes reused", r.Reused)
	}
}

// TestNoise checks that Dirichlet noise changes the root priors, keeps
// their sum at 1, depends on the seed only, and is not compounded when the
// same root is searched again with reuse.
func TestNoise(t *testing.T) {
	priors := func(r *Result) []float64 {
		var p []float64
		for _, c := range r.Children {
			p = append(p, c.Prior)
		}
		return p
	}
	st := connect4.New()
	for _, alpha := range []float64{0.3, 1, 2.5} {
		cfg := Config{Selection: PUCT, NoiseAlpha: alpha, NoiseFraction: 0.25, Seed: 3}
		p := priors(search(t, mustNew(t, cfg), st, argmax.Budget{Simulations: 50}))
		sum, moved := 0.0, false
		for _, x := range p {
			sum += x
			if x < 0.75/7-1e-6 {
				t.Errorf("alpha=%v: prior %v below (1-fraction)·uniform", alpha, x)
			}
			moved = moved || math.Abs(x-1.0/7) > 1e-3
		}
		if math.Abs(sum-1) > 1e-5 || !moved {
			t.Errorf("alpha=%v: priors %v (sum %v), want noisy priors summing to 1", alpha, p, sum)
		}
		if q := priors(search(t, mustNew(t, cfg), st, argmax.Budget{Simulations: 50})); !slices.Equal(p, q) {
			t.Errorf("alpha=%v: same seed, priors %v then %v", alpha, p, q)
		}
		cfg.Seed = 4
		if q := priors(search(t, mustNew(t, cfg), st, argmax.Budget{Simulations: 50})); slices.Equal(p, q) {
			t.Errorf("alpha=%v: seeds 3 and 4 gave the same priors", alpha)
		}
	}
	// Without noise the rollout priors are uniform.
	for _, x := range priors(search(t, mustNew(t, Config{Selection: PUCT}), st, argmax.Budget{Simulations: 50})) {
		if math.Abs(x-1.0/7) > 1e-6 {
			t.Errorf("no noise: prior %v, want 1/7", x)
		}
	}
	// Reusing the same root: noise replaces the old noise, so the priors
	// stay a (1-f, f) mix of uniform and a Dirichlet sample.
	cfg := Config{Selection: PUCT, NoiseAlpha: 0.03, NoiseFraction: 0.5, Reuse: true}
	s := mustNew(t, cfg)
	for i := 0; i < 5; i++ {
		for _, x := range priors(search(t, s, st, argmax.Budget{Simulations: 20})) {
			if x < 0.5/7-1e-6 {
				t.Fatalf("search %d: prior %v below (1-fraction)·uniform: noise compounded", i, x)
			}
		}
	}
}

// TestPriorsGuidePUCT checks that PUCT follows the evaluator's priors and
// UCT ignores them.
func TestPriorsGuidePUCT(t *testing.T) {
	st := connect4.New()
	ev := favour{move: 5}
	r := search(t, mustNew(t, Config{Selection: PUCT, Evaluator: ev}), st, argmax.Budget{Simulations: 200})
	if r.Action != 5 {
		t.Errorf("puct chose %d, want the favoured 5; %+v", r.Action, r.Children)
	}
	r = search(t, mustNew(t, Config{Evaluator: ev}), st, argmax.Budget{Simulations: 200})
	for _, c := range r.Children {
		if c.Visits < 20 {
			t.Errorf("uct: move %d has %d visits; uniform values should spread them", c.Action, c.Visits)
		}
	}
}

// favour is an evaluator that values every position as a draw and puts 0.9
// of the prior on one move.
type favour struct{ move game.Action }

func (f favour) Evaluate(leaves []Leaf, _ *rand.Rand) argmax.Cost {
	for i := range leaves {
		l := &leaves[i]
		l.Value = 0
		for j, a := range l.Legal {
			switch {
			case l.Priors == nil:
			case a == f.move:
				l.Priors[j] = 0.9
			default:
				l.Priors[j] = 0.1 / float32(len(l.Legal)-1)
			}
		}
	}
	return argmax.Cost{ForwardPasses: int64(len(leaves))}
}

// TestBatchSizes checks that the evaluator sees batches of the configured
// size, that no leaf is left pending and all simulations are counted.
func TestBatchSizes(t *testing.T) {
	for _, batch := range []int{1, 4, 16} {
		ev := &counting{}
		s := mustNew(t, Config{Selection: PUCT, Batch: batch, Evaluator: ev})
		r := search(t, s, connect4.New(), argmax.Budget{Simulations: 2000})
		if r.Cost.Simulations != 2000 {
			t.Errorf("batch=%d: %d simulations", batch, r.Cost.Simulations)
		}
		if ev.largest != batch {
			t.Errorf("batch=%d: largest batch %d", batch, ev.largest)
		}
		if ev.leaves < 2000*9/10 {
			t.Errorf("batch=%d: %d leaves evaluated for 2000 simulations", batch, ev.leaves)
		}
		for _, n := range s.workers[0].t.nodes {
			if n.flags&flagPending != 0 {
				t.Fatalf("batch=%d: a node is still pending", batch)
			}
		}
	}
}

type counting struct {
	largest, leaves int
	r               Rollouts
}

func (c *counting) Evaluate(leaves []Leaf, rng *rand.Rand) argmax.Cost {
	c.largest = max(c.largest, len(leaves))
	c.leaves += len(leaves)
	return c.r.Evaluate(leaves, rng)
}

// TestTimeBudget checks that a time budget stops the search close to it,
// with one and two threads.
func TestTimeBudget(t *testing.T) {
	for _, threads := range []int{1, 2} {
		for _, d := range []time.Duration{20 * time.Millisecond, 100 * time.Millisecond} {
			s := mustNew(t, Config{Threads: threads})
			r := search(t, s, connect4.New(), argmax.Budget{Time: d})
			if r.Status != TimeLimit {
				t.Errorf("threads=%d %v: status %v", threads, d, r.Status)
			}
			// The clock is read every 20-80µs; the slack is for machines
			// loaded by other work.
			if r.Cost.Elapsed < d || r.Cost.Elapsed > d+250*time.Millisecond {
				t.Errorf("threads=%d %v: took %v", threads, d, r.Cost.Elapsed)
			}
			if r.Cost.Simulations < 100 {
				t.Errorf("threads=%d %v: only %d simulations", threads, d, r.Cost.Simulations)
			}
		}
	}
	// Whichever limit comes first stops the search.
	r := search(t, mustNew(t, Config{}), connect4.New(), argmax.Budget{Time: time.Minute, Simulations: 500})
	if r.Status != SimulationLimit || r.Cost.Simulations != 500 {
		t.Errorf("sims before time: status %v, %d simulations", r.Status, r.Cost.Simulations)
	}
	r = search(t, mustNew(t, Config{}), connect4.New(), argmax.Budget{Nodes: 700})
	if r.Status != NodeLimit || r.Cost.Nodes < 700 || r.Cost.Nodes > 710 {
		t.Errorf("node limit: status %v, %d nodes", r.Status, r.Cost.Nodes)
	}
}

// TestZeroAllocs checks that simulations allocate nothing once the arena
// has grown: a search of 20,000 simulations allocates exactly as much as
// one of 1,000 (the per-search result and position copies), and a single
// thread step allocates nothing at all.
func TestZeroAllocs(t *testing.T) {
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg
			s := mustNew(t, cfg)
			st := connect4.New()
			search(t, s, st, argmax.Budget{Simulations: 40000})
			small := testing.AllocsPerRun(5, func() { s.Search(context.Background(), st, argmax.Budget{Simulations: 1000}) })
			large := testing.AllocsPerRun(5, func() { s.Search(context.Background(), st, argmax.Budget{Simulations: 20000}) })
			if large != small {
				t.Errorf("1,000 simulations: %v allocations, 20,000: %v", small, large)
			}
			w := s.workers[0]
			w.t.reset()
			w.simLimit, w.nodeLimit = math.MaxInt64, math.MaxInt64
			if per := testing.AllocsPerRun(5000, w.step); per != 0 {
				t.Errorf("%v allocations per step", per)
			}
		})
	}
}

// TestTemperature checks that a temperature samples several moves over
// seeds, and that none ever picks a move proven lost.
func TestTemperature(t *testing.T) {
	seen := map[game.Action]bool{}
	for seed := uint64(0); seed < 40; seed++ {
		cfg := Config{Temperature: 1, Seed: seed}
		r := search(t, mustNew(t, cfg), connect4.New(), argmax.Budget{Simulations: 300})
		seen[r.Action] = true
	}
	if len(seen) < 3 {
		t.Errorf("temperature 1 chose only %v over 40 seeds", seen)
	}
	// "41414": every move but 4 loses at once; with the solver and a high
	// temperature the search still blocks.
	for seed := uint64(0); seed < 20; seed++ {
		cfg := Config{Temperature: 10, Seed: seed, Solver: true}
		if r := search(t, mustNew(t, cfg), parse(t, connect4.Game{}, "41414"), argmax.Budget{Simulations: 2000}); r.Action != 3 {
			t.Errorf("seed %d: chose %d, a proven loss", seed, r.Action)
		}
	}
}

// TestErrors checks the configuration and input errors.
func TestErrors(t *testing.T) {
	bad := []struct {
		cfg  Config
		want string
	}{
		{Config{C: -1}, "exploration constant"},
		{Config{Selection: 7}, "selection 7"},
		{Config{Batch: -2}, "batch=-2"},
		{Config{Threads: -1}, "threads=-1"},
		{Config{NoiseAlpha: 0.3}, "set both or neither"},
		{Config{NoiseAlpha: 0.3, NoiseFraction: 1.5}, "noise fraction=1.5"},
		{Config{Temperature: math.NaN()}, "temperature"},
		{Config{MaxNodes: -5}, "max nodes"},
		{Config{FPU: 2}, "FPU=2"},
	}
	for _, tc := range bad {
		if _, err := New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.cfg, err, tc.want)
		}
	}
	s := mustNew(t, Config{})
	if _, err := s.Search(context.Background(), parse(t, tictactoe.Game{}, "14253"), argmax.Budget{}); err == nil || !strings.Contains(err.Error(), "over") {
		t.Errorf("finished game: error %v", err)
	}
	if _, err := s.Search(context.Background(), connect4.New(), argmax.Budget{Simulations: -1}); err == nil {
		t.Errorf("negative budget: no error")
	}
	tiny := mustNew(t, Config{MaxNodes: 5})
	if _, err := tiny.Search(context.Background(), connect4.New(), argmax.Budget{Simulations: 100}); err == nil || !strings.Contains(err.Error(), "max nodes 5") {
		t.Errorf("root cannot expand: error %v", err)
	}
}

// TestDefaultBudget checks that an unlimited budget falls back to
// Config.Budget, then to DefaultSimulations.
func TestDefaultBudget(t *testing.T) {
	r := search(t, mustNew(t, Config{}), connect4.New(), argmax.Budget{})
	if r.Cost.Simulations != DefaultSimulations {
		t.Errorf("%d simulations, want %d", r.Cost.Simulations, DefaultSimulations)
	}
	r = search(t, mustNew(t, Config{Budget: argmax.Budget{Simulations: 321}}), connect4.New(), argmax.Budget{})
	if r.Cost.Simulations != 321 {
		t.Errorf("%d simulations, want 321", r.Cost.Simulations)
	}
}

// TestMaxNodes checks that a full arena stops expansion but not the search.
func TestMaxNodes(t *testing.T) {
	s := mustNew(t, Config{MaxNodes: 500})
	r := search(t, s, connect4.New(), argmax.Budget{Simulations: 5000})
	if r.Cost.Simulations != 5000 || r.Cost.Nodes > 500 || len(s.workers[0].t.nodes) > 500 {
		t.Errorf("%d simulations, %d nodes created, tree of %d", r.Cost.Simulations, r.Cost.Nodes, len(s.workers[0].t.nodes))
	}
}

// TestCostIsCounted checks that the cost of a search comes from the work
// done: the rollouts' playouts and moves, the moves of the descents, the
// evaluator's own counts, and CutShort for a solver search that stopped
// unproven.
func TestCostIsCounted(t *testing.T) {
	st := connect4.New()
	r := search(t, mustNew(t, DefaultConfig()), st, argmax.Budget{Simulations: 500})
	c := r.Cost
	if c.Samples == 0 || c.Samples > 500 {
		t.Errorf("%d playouts for 500 simulations", c.Samples)
	}
	// A random connect-four game from the empty board lasts at least 7
	// plies, and every descent below the root plays a move.
	if c.Steps < 7*c.Samples {
		t.Errorf("%d model steps for %d playouts", c.Steps, c.Samples)
	}
	if c.ForwardPasses != 0 || c.CutShort != 1 {
		t.Errorf("rollout search: %d forward passes, cut short %d; want 0 and 1", c.ForwardPasses, c.CutShort)
	}
	r = search(t, mustNew(t, Config{Selection: PUCT, Evaluator: favour{3}, Batch: 4}), st, argmax.Budget{Simulations: 400})
	if r.Cost.ForwardPasses < 300 || r.Cost.ForwardPasses > 400 || r.Cost.Samples != 0 || r.Cost.CutShort != 0 {
		t.Errorf("evaluator cost not passed on: %+v", r.Cost)
	}
	// A solved position is not cut short.
	won := parse(t, tictactoe.Game{}, "1425")
	r = search(t, mustNew(t, DefaultConfig()), won, argmax.Budget{Simulations: 100000})
	if r.Status != Solved || r.Cost.CutShort != 0 {
		t.Errorf("solved search: status %v, cut short %d", r.Status, r.Cost.CutShort)
	}
}

// TestContextStopsSearch checks that a cancelled context stops a search
// with no other limit, promptly.
func TestContextStopsSearch(t *testing.T) {
	for _, threads := range []int{1, 2} {
		s := mustNew(t, Config{Threads: threads})
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		start := time.Now()
		_, err := s.Search(ctx, connect4.New(), argmax.Budget{Simulations: math.MaxInt64})
		cancel()
		if err != context.DeadlineExceeded {
			t.Errorf("threads=%d: err %v, want the context's", threads, err)
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("threads=%d: stopped after %v", threads, el)
		}
	}
}

// TestDistribution checks that the visit distribution is a distribution
// over legal actions, puts everything on a proven win, and agrees with
// Decide.
func TestDistribution(t *testing.T) {
	ctx := context.Background()
	dst := make([]float32, connect4.Width)
	st := parse(t, connect4.Game{}, "1111112")
	if _, err := mustNew(t, Config{Seed: 3}).Distribution(ctx, st, argmax.Budget{Simulations: 2000}, dst); err != nil {
		t.Fatal(err)
	}
	sum := float32(0)
	for a, p := range dst {
		if p < 0 || (p > 0 && !st.IsLegal(game.Action(a))) {
			t.Errorf("action %d: probability %v", a, p)
		}
		sum += p
	}
	if math.Abs(float64(sum-1)) > 1e-5 {
		t.Errorf("probabilities sum to %v", sum)
	}
	mv, _, err := mustNew(t, Config{Seed: 3}).Decide(ctx, st, argmax.Budget{Simulations: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if best := slices.Index(dst, slices.Max(dst)); game.Action(best) != mv {
		t.Errorf("most visited action %d, Decide plays %d", best, mv)
	}
	// Column 1 wins at once for the side to move in "121212": proven.
	st = parse(t, connect4.Game{}, "121212")
	if _, err := mustNew(t, DefaultConfig()).Distribution(ctx, st, argmax.Budget{Simulations: 2000}, dst); err != nil {
		t.Fatal(err)
	}
	if dst[0] != 1 {
		t.Errorf("proven win: distribution %v, want all on column 1", dst)
	}
}

// TestStopLead checks the adaptive stopping rule: a position with one
// clearly best move stops long before the budget, a balanced one (the empty
// board, where several columns are close) spends more, and a bad setting is
// refused.
func TestStopLead(t *testing.T) {
	cfg := Config{StopLead: 0.5, Seed: 1}
	budget := argmax.Budget{Simulations: 20000}
	// The side to move wins at once in column 1.
	easy := search(t, mustNew(t, cfg), parse(t, connect4.Game{}, "121314"), budget)
	hard := search(t, mustNew(t, cfg), connect4.New(), budget)
	if easy.Status != Decided || easy.Cost.Simulations >= 20000/4 {
		t.Errorf("easy position: %v after %d simulations", easy.Status, easy.Cost.Simulations)
	}
	if hard.Cost.Simulations <= 2*easy.Cost.Simulations {
		t.Errorf("hard position: %d simulations, easy %d: no adaptation", hard.Cost.Simulations, easy.Cost.Simulations)
	}
	if easy.Cost.CutShort != 0 {
		t.Error("a decided search is not cut short")
	}
	for _, bad := range []Config{{StopLead: -0.1}, {StopLead: 1.5}, {StopMin: -1}} {
		if _, err := New(bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
