package guided

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"argmax"
	"argmax/direct/alphabeta"
	"argmax/direct/mcts"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
)

// countingNet is a fake net: priors from a fixed weight per action (the
// legal ones), a fixed value; it counts the states it evaluates and the
// calls, and reports one forward pass and 100 FLOPs per state.
type countingNet struct {
	weights []float32
	value   float32
	states  *int64
	calls   *int64
	maxN    *int
}

func newCounting(weights []float32, value float32) countingNet {
	return countingNet{weights: weights, value: value, states: new(int64), calls: new(int64), maxN: new(int)}
}

func (n countingNet) Evaluate(states []game.State, priors, values []float32) argmax.Cost {
	A := len(n.weights)
	for i, s := range states {
		for a := range A {
			if s.IsLegal(game.Action(a)) {
				priors[i*A+a] = n.weights[a]
			}
		}
		values[i] = n.value
	}
	*n.states += int64(len(states))
	*n.calls++
	*n.maxN = max(*n.maxN, len(states))
	return argmax.Cost{ForwardPasses: int64(len(states)), FLOPs: 100 * int64(len(states))}
}

func (n countingNet) Clone() countingNet { return n }

func centreWeights(centre float32) []float32 {
	w := []float32{1, 1, 1, centre, 1, 1, 1}
	return w
}

// TestPriorSteers checks that the net's prior steers the search: with the
// prior on the centre column the root visits go there, with a uniform
// prior they spread.
func TestPriorSteers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		centre   float32
		min, max float32 // bounds on the centre's visit share
	}{
		{"centre prior", 30, 0.6, 1},
		{"uniform prior", 1, 0, 0.3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(Adapt(newCounting(centreWeights(tc.centre), 0)), Config{Game: connect4.Game{}, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			dist := make([]float32, connect4.Width)
			if _, err := s.Distribution(context.Background(), connect4.New(), argmax.Budget{Simulations: 200}, dist); err != nil {
				t.Fatal(err)
			}
			if dist[3] < tc.min || dist[3] > tc.max {
				t.Errorf("centre share %.3f, want it in [%v, %v] (distribution %v)", dist[3], tc.min, tc.max, dist)
			}
		})
	}
}

// perfectNet knows tic-tac-toe: its value is the exact outcome for the
// side to move (from the exact solver), its priors uniform.
type perfectNet struct{ value map[uint64]float32 }

func newPerfect(t testing.TB) perfectNet {
	sol := alphabeta.NewGeneric(tictactoe.Game{})
	n := perfectNet{value: map[uint64]float32{}}
	var walk func(s game.State)
	walk = func(s game.State) {
		if _, ok := n.value[s.Key()]; ok {
			return
		}
		n.value[s.Key()] = float32(game.ScoreOutcome(sol.Solve(s)))
		var buf [9]game.Action
		for _, a := range s.Legal(buf[:0]) {
			s.Play(a)
			walk(s)
			s.Undo(a)
		}
	}
	walk(tictactoe.New())
	return n
}

func (n perfectNet) Evaluate(states []game.State, priors, values []float32) argmax.Cost {
	for i, s := range states {
		for a := range tictactoe.Cells {
			if s.IsLegal(game.Action(a)) {
				priors[i*tictactoe.Cells+a] = 1
			}
		}
		values[i] = n.value[s.Key()]
	}
	return argmax.Cost{ForwardPasses: int64(len(states))}
}

// criticalPositions returns the tic-tac-toe positions where some legal
// move loses the value, with the exact score of each move.
func criticalPositions() (states []game.State, scores [][]int) {
	sol := alphabeta.NewGeneric(tictactoe.Game{})
	seen := map[uint64]bool{}
	var walk func(s game.State)
	walk = func(s game.State) {
		if over, _ := s.Terminal(); over || seen[s.Key()] {
			return
		}
		seen[s.Key()] = true
		sc := sol.Analyze(s)
		best := alphabeta.Full
		for _, v := range sc {
			best = max(best, v)
		}
		for _, v := range sc {
			if v != alphabeta.Full && game.ScoreOutcome(v) != game.ScoreOutcome(best) {
				states, scores = append(states, s.Clone()), append(scores, sc)
				break
			}
		}
		var buf [9]game.Action
		for _, a := range s.Legal(buf[:0]) {
			s.Play(a)
			walk(s)
			s.Undo(a)
		}
	}
	walk(tictactoe.New())
	return states, scores
}

// TestPerfectValue checks that a perfect value net makes PUCT keep the
// value in every critical tic-tac-toe position with a few simulations,
// where a net that knows nothing (value 0) does not.
func TestPerfectValue(t *testing.T) {
	states, scores := criticalPositions()
	for _, tc := range []struct {
		name string
		net  Net
		min  float64 // share of value-keeping moves required
		max  float64
	}{
		{"perfect value", Shared(newPerfect(t)), 1, 1},
		{"no knowledge", Adapt(newCounting(make9(1), 0)), 0, 0.97},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.net, Config{Game: tictactoe.Game{}, NoSolver: true})
			if err != nil {
				t.Fatal(err)
			}
			good := 0
			for i, st := range states {
				a, _, err := s.Decide(context.Background(), st, argmax.Budget{Simulations: 24})
				if err != nil {
					t.Fatal(err)
				}
				best := alphabeta.Full
				for _, v := range scores[i] {
					best = max(best, v)
				}
				if game.ScoreOutcome(scores[i][a]) == game.ScoreOutcome(best) {
					good++
				}
			}
			share := float64(good) / float64(len(states))
			t.Logf("%d of %d critical positions (%.3f)", good, len(states), share)
			if share < tc.min || share > tc.max {
				t.Errorf("share of value-keeping moves %.3f, want it in [%v, %v]", share, tc.min, tc.max)
			}
		})
	}
}

func make9(v float32) []float32 {
	w := make([]float32, 9)
	for i := range w {
		w[i] = v
	}
	return w
}

// TestCosts checks that the decision's Cost carries the net's counts: one
// forward pass per leaf evaluated, the net's FLOPs, batches of at most
// Config.Batch leaves.
func TestCosts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		batch   int
		threads int
	}{
		{"default batch", 0, 1},
		{"batch 1", 1, 1},
		{"batch 4, two threads", 4, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			net := newCounting(centreWeights(3), 0.1)
			s, err := New(Adapt(net), Config{Game: connect4.Game{}, Batch: tc.batch, Threads: tc.threads})
			if err != nil {
				t.Fatal(err)
			}
			_, c, err := s.Decide(context.Background(), connect4.New(), argmax.Budget{Simulations: 300})
			if err != nil {
				t.Fatal(err)
			}
			if c.ForwardPasses != *net.states || c.FLOPs != 100**net.states || c.ForwardPasses == 0 {
				t.Errorf("cost %+v; the net evaluated %d states", c, *net.states)
			}
			if c.ForwardPasses > c.Simulations || c.Simulations != 300 || c.Samples != 0 {
				t.Errorf("cost %+v: want 300 simulations, no more forward passes, no rollouts", c)
			}
			want := tc.batch
			if want == 0 {
				want = DefaultBatch
			}
			if *net.maxN != want {
				t.Errorf("largest batch %d, want %d", *net.maxN, want)
			}
		})
	}
}

// TestDeterministic checks that a search is a function of its seed, with
// noise and temperature on, at one and two threads.
func TestDeterministic(t *testing.T) {
	st, _ := connect4.Parse("4453")
	for _, threads := range []int{1, 2} {
		run := func(seed uint64) *mcts.Result {
			s, err := New(Adapt(newCounting(centreWeights(2), 0)), Config{
				Game: connect4.Game{}, Seed: seed, Threads: threads, NoiseAlpha: 0.3, NoiseFraction: 0.25, Temperature: 1, RolloutMix: 0.5,
			})
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.Search(context.Background(), st, argmax.Budget{Simulations: 400})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		a, b := run(7), run(7)
		if a.Action != b.Action || a.Cost.ForwardPasses != b.Cost.ForwardPasses || a.Cost.Samples != b.Cost.Samples {
			t.Errorf("threads %d: the same seed gives %d and %d", threads, a.Action, b.Action)
		}
		for i := range a.Children {
			if a.Children[i] != b.Children[i] {
				t.Errorf("threads %d, move %d: %+v then %+v", threads, a.Children[i].Action, a.Children[i], b.Children[i])
			}
		}
		differ := false
		for seed := uint64(8); seed < 12 && !differ; seed++ {
			c := run(seed)
			for i := range a.Children {
				differ = differ || c.Children[i].Visits != a.Children[i].Visits
			}
		}
		if !differ {
			t.Errorf("threads %d: other seeds give the same visits", threads)
		}
		if a.Cost.Samples == 0 {
			t.Errorf("threads %d: rollout mix 0.5 but no playouts in %+v", threads, a.Cost)
		}
	}
}

// TestEvaluator checks the evaluator on one batch: priors restricted to
// the legal moves and renormalised (uniform when the net gives them no
// mass), values clamped, the rollout mix.
func TestEvaluator(t *testing.T) {
	full, _ := connect4.Parse("444444") // column 4 full
	net := Shared(EvalFunc(func(states []game.State, priors, values []float32) argmax.Cost {
		for i := range states {
			p := priors[i*7 : (i+1)*7]
			switch i {
			case 0: // mass on the full column and on column 1
				p[3], p[0] = 3, 1
			case 1: // all of it on the full column
				p[3] = 1
			}
			values[i] = []float32{2, float32(math.NaN())}[i]
		}
		return argmax.Cost{ForwardPasses: int64(len(states))}
	}))
	ev, err := NewEvaluator(net, Config{Game: connect4.Game{}})
	if err != nil {
		t.Fatal(err)
	}
	leaves := make([]mcts.Leaf, 2)
	for i := range leaves {
		leaves[i].State = full
		leaves[i].Legal = full.Legal(nil)
		leaves[i].Priors = make([]float32, len(leaves[i].Legal))
	}
	c := ev.Evaluate(leaves, rand.New(rand.NewPCG(1, 2)))
	if c.ForwardPasses != 2 {
		t.Errorf("cost %+v, want 2 forward passes", c)
	}
	if want := []float32{1, 0, 0, 0, 0, 0}; !near(leaves[0].Priors, want) {
		t.Errorf("priors %v, want %v (column 4 is full)", leaves[0].Priors, want)
	}
	if u := float32(1) / 6; !near(leaves[1].Priors, []float32{u, u, u, u, u, u}) {
		t.Errorf("priors %v, want uniform", leaves[1].Priors)
	}
	if leaves[0].Value != 1 || leaves[1].Value != 0 {
		t.Errorf("values %v, %v; want 1 (clamped) and 0 (NaN)", leaves[0].Value, leaves[1].Value)
	}
	if full.String() != "444444" {
		t.Errorf("the evaluator changed the state to %q", full.String())
	}

	// Rollouts only: the value is the playouts'.
	mixed, err := NewEvaluator(net, Config{Game: connect4.Game{}, RolloutMix: 1, Rollouts: 50})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := connect4.Parse("4453")
	l := []mcts.Leaf{{State: st, Legal: st.Legal(nil)}}
	c = mixed.Evaluate(l, rand.New(rand.NewPCG(1, 2)))
	ref := []mcts.Leaf{{State: st, Legal: st.Legal(nil)}}
	rc := (&mcts.Rollouts{N: 50}).Evaluate(ref, rand.New(rand.NewPCG(1, 2)))
	if c.Samples != 50 || c.Steps != rc.Steps || c.ForwardPasses != 1 || l[0].Value != ref[0].Value {
		t.Errorf("rollout mix 1: cost %+v, value %v; want the rollouts' %+v and %v, and the forward pass", c, l[0].Value, rc, ref[0].Value)
	}
}

func near(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-6 {
			return false
		}
	}
	return true
}

func TestConfigErrors(t *testing.T) {
	net := Shared(EvalFunc(func([]game.State, []float32, []float32) argmax.Cost { return argmax.Cost{} }))
	for _, tc := range []struct {
		name string
		net  Net
		cfg  Config
	}{
		{"no game", net, Config{}},
		{"no net", nil, Config{Game: connect4.Game{}}},
		{"mix above 1", net, Config{Game: connect4.Game{}, RolloutMix: 1.5}},
		{"negative batch", net, Config{Game: connect4.Game{}, Batch: -1}},
		{"bad noise", net, Config{Game: connect4.Game{}, NoiseAlpha: 0.3}},
	} {
		if _, err := New(tc.net, tc.cfg); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
