package mcts

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"argmax"
)

// chain is a hand-made MDP over the states 0..len(take)-1: action 0
// ("take") ends the episode with reward take[s]; action 1 ("wait") moves
// to s+1 with reward 0 (from the last state it takes too). Every step is
// discounted by gamma.
type chain struct {
	take  []float64
	gamma float64
}

func (m chain) NumActions() int { return 2 }
func (m chain) Clone(s int) int { return s }
func (m chain) last(s int) bool { return s == len(m.take)-1 }
func (m chain) optimal(s int) float64 { // the optimal value of s
	v := m.take[len(m.take)-1]
	for t := len(m.take) - 2; t >= s; t-- {
		v = max(m.take[t], m.gamma*v)
	}
	return v
}

func (m chain) Step(s, a int) (float64, float64, int, bool) {
	if a == 0 || m.last(s) {
		return m.take[s], m.gamma, s, true
	}
	return 0, m.gamma, s + 1, false
}

// TestChainOptimalAction checks that the search finds the optimal first
// action of the chain under several discounts (waiting for the big reward
// pays only when the discount is mild), and that the exact value of the
// terminal action is backed up.
func TestChainOptimalAction(t *testing.T) {
	take := []float64{1, 0, 0, 3}
	tests := []struct {
		gamma float64
		want  int // 0 take, 1 wait
	}{
		{0.9, 1},  // 0.9³·3 = 2.19 > 1
		{0.75, 1}, // 0.42·3 = 1.27 > 1
		{0.6, 0},  // 0.22·3 = 0.65 < 1
		{0.3, 0},
	}
	for _, tc := range tests {
		for _, sel := range []Selection{UCT, PUCT} {
			t.Run(sel.String(), func(t *testing.T) {
				m := chain{take: take, gamma: tc.gamma}
				s, err := NewModelSearcher[int](m, nil, ModelConfig{Selection: sel, Seed: 3})
				if err != nil {
					t.Fatal(err)
				}
				r, err := s.Search(context.Background(), 0, argmax.Budget{Simulations: 400})
				if err != nil {
					t.Fatal(err)
				}
				if r.Action != tc.want {
					t.Errorf("γ=%v: chose %d, want %d (optimal value %.3f); children %+v", tc.gamma, r.Action, tc.want, m.optimal(0), r.Children)
				}
				if q := r.Children[0].Q; q != 1 {
					t.Errorf("γ=%v: Q(take) = %v, want exactly 1", tc.gamma, q)
				}
				if r.Children[1].Q > m.optimal(1)*tc.gamma+1e-12 {
					t.Errorf("γ=%v: Q(wait) = %v is above its optimal value %v", tc.gamma, r.Children[1].Q, m.optimal(1)*tc.gamma)
				}
			})
		}
	}
}

// line is a one-action model of the states 0, 1, 2, …: the step from s
// earns s+1 and is discounted by 0.5; it never ends.
type line struct{}

func (line) NumActions() int { return 1 }
func (line) Clone(s int) int { return s }
func (line) Step(s, _ int) (float64, float64, int, bool) {
	return float64(s + 1), 0.5, s + 1, false
}

// constEval values every state at v, with uniform priors, and counts its
// calls.
type constEval struct {
	v     float64
	calls int
}

func (e *constEval) Evaluate(states []int, _ *rand.Rand, values []float64, priors []float32) (argmax.Cost, error) {
	e.calls++
	for i := range states {
		values[i] = e.v
	}
	for i := range priors {
		priors[i] = 1
	}
	return argmax.Cost{ForwardPasses: int64(len(states))}, nil
}

// TestDiscountedBackup checks the backup arithmetic G ← r + γ·G on a line
// of one action: simulation i reaches depth i, and its return from the
// root is Σ_{t<i} 0.5^t·(t+1) + 0.5^i·v.
func TestDiscountedBackup(t *testing.T) {
	const v = 10.0
	for _, k := range []int{1, 2, 5, 12} {
		ev := &constEval{v: v}
		s, err := NewModelSearcher[int](line{}, ev, ModelConfig{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Search(context.Background(), 0, argmax.Budget{Simulations: int64(k)})
		if err != nil {
			t.Fatal(err)
		}
		sum := v // the root's own evaluation
		var childSum float64
		for i := 1; i <= k; i++ {
			g := v
			for t := i - 1; t >= 0; t-- {
				g = float64(t+1) + 0.5*g
			}
			sum += g
			childSum += g
		}
		if want := sum / float64(k+1); math.Abs(r.Value-want) > 1e-12 {
			t.Errorf("%d sims: root value %v, want %v", k, r.Value, want)
		}
		if want := childSum / float64(k); math.Abs(r.Children[0].Q-want) > 1e-12 {
			t.Errorf("%d sims: Q %v, want %v", k, r.Children[0].Q, want)
		}
		if r.Children[0].Reward != 1 || r.Children[0].Discount != 0.5 {
			t.Errorf("root child reward %v discount %v, want 1 and 0.5", r.Children[0].Reward, r.Children[0].Discount)
		}
		// Every evaluated node, the root's and each simulation's leaf,
		// is expanded into its one child.
		if c := r.Cost; c.Simulations != int64(k) || c.Steps != int64(k) || c.Nodes != int64(k+1) || c.ForwardPasses != int64(k+1) {
			t.Errorf("%d sims: cost %+v, want %d simulations and steps, %d nodes and forward passes", k, c, k, k+1)
		}
	}
}

// TestHorizon checks that a finite horizon bounds the tree and the
// rollouts: on the line, every return covers exactly Horizon steps.
func TestHorizon(t *testing.T) {
	const h = 4
	s, err := NewModelSearcher[int](line{}, nil, ModelConfig{Horizon: h, Depth: 50})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Search(context.Background(), 0, argmax.Budget{Simulations: 20})
	if err != nil {
		t.Fatal(err)
	}
	// The return of h steps from state 0: Σ_{t<h} 0.5^t·(t+1).
	want := 0.0
	for t := h - 1; t >= 0; t-- {
		want = float64(t+1) + 0.5*want
	}
	if math.Abs(r.Value-want) > 1e-12 || math.Abs(r.Children[0].Q-want) > 1e-12 {
		t.Errorf("root value %v, Q %v: want both %v", r.Value, r.Children[0].Q, want)
	}
	// The tree holds h nodes below the root; the other simulations end at
	// the horizon. Rollouts step h-d times from a leaf at depth d < h.
	if r.Cost.Nodes != h {
		t.Errorf("%d nodes, want %d", r.Cost.Nodes, h)
	}
	if _, err := NewModelSearcher[int](line{}, nil, ModelConfig{Horizon: -1}); err == nil {
		t.Error("negative horizon accepted")
	}
}

// TestMinMax checks the normalization of action values.
func TestMinMax(t *testing.T) {
	tests := []struct {
		name    string
		lo, hi  float64 // fixed bounds (0, 0: min-max)
		updates []float64
		q, want float64
	}{
		{"empty range", 0, 0, nil, 3, 0.5},
		{"one value", 0, 0, []float64{2}, 2, 0.5},
		{"middle", 0, 0, []float64{2, 6}, 4, 0.5},
		{"low end", 0, 0, []float64{2, 6, 3}, 2, 0},
		{"quarter", 0, 0, []float64{-10, 10}, -5, 0.25},
		{"clamped above", 0, 0, []float64{2, 6}, 10, 1},
		{"clamped below", 0, 0, []float64{2, 6}, -1, 0},
		{"rounding noise", 0, 0, []float64{1e6, 1e6 + 1e-7}, 1e6, 0.5},
		{"fixed", -1, 1, []float64{5, 7}, 0, 0.5},
		{"fixed win", -1, 1, nil, 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m minMax
			m.reset(tc.lo, tc.hi)
			for _, u := range tc.updates {
				m.update(u)
			}
			if got := m.normalize(tc.q); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("normalize(%v) = %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}

// scaled is the chain with every reward multiplied by k.
type scaled struct {
	chain
	k float64
}

func (m scaled) Step(s, a int) (float64, float64, int, bool) {
	r, g, n, term := m.chain.Step(s, a)
	return m.k * r, g, n, term
}

// TestScaleInvariance checks what min-max normalization is for: scaling
// every reward (and so every value) by a positive constant leaves the
// search's visits unchanged.
func TestScaleInvariance(t *testing.T) {
	base := chain{take: []float64{1, 0, 0, 3}, gamma: 0.8}
	var visits [][]int64
	for _, k := range []float64{1, 1000, 0.001} {
		s, err := NewModelSearcher[int](scaled{base, k}, nil, ModelConfig{Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Search(context.Background(), 0, argmax.Budget{Simulations: 300})
		if err != nil {
			t.Fatal(err)
		}
		v := []int64{r.Children[0].Visits, r.Children[1].Visits}
		visits = append(visits, v)
	}
	for i := 1; i < len(visits); i++ {
		if !reflect.DeepEqual(visits[i], visits[0]) {
			t.Errorf("visits %v under scaling, want %v as unscaled", visits[i], visits[0])
		}
	}
}

// TestModelSearchDeterminism checks that a searcher is a pure function
// of its seed and its sequence of searches.
func TestModelSearchDeterminism(t *testing.T) {
	m := chain{take: []float64{1, 0.5, 0, 3, 0, 2}, gamma: 0.9}
	run := func(seed uint64, cfg ModelConfig) []*ModelResult {
		cfg.Seed = seed
		s, err := NewModelSearcher[int](m, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var out []*ModelResult
		for i := range 3 {
			if i == 2 {
				s.Reset()
			}
			r, err := s.Search(context.Background(), 0, argmax.Budget{Simulations: 150})
			if err != nil {
				t.Fatal(err)
			}
			r.Cost.Elapsed = 0
			out = append(out, r)
		}
		return out
	}
	for _, cfg := range []ModelConfig{
		{},
		{Selection: PUCT, NoiseAlpha: 0.3, NoiseFraction: 0.25, Batch: 4},
	} {
		a, b := run(7, cfg), run(7, cfg)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%+v: two runs with the same seed differ", cfg)
		}
		if !reflect.DeepEqual(a[0], a[2]) {
			t.Errorf("%+v: the first search after Reset differs from the first one", cfg)
		}
		if reflect.DeepEqual(a[0], a[1]) {
			t.Errorf("%+v: the second search repeats the first one's draws", cfg)
		}
		if c := run(8, cfg); reflect.DeepEqual(a, c) {
			t.Errorf("%+v: seeds 7 and 8 give the same searches", cfg)
		}
	}
}

// TestModelNoise checks that Dirichlet noise perturbs the root priors
// (keeping them a distribution) under PUCT, and only there.
func TestModelNoise(t *testing.T) {
	m := chain{take: []float64{1, 0, 3}, gamma: 0.9}
	for _, noisy := range []bool{false, true} {
		cfg := ModelConfig{Selection: PUCT, Seed: 1}
		if noisy {
			cfg.NoiseAlpha, cfg.NoiseFraction = 0.3, 0.5
		}
		s, err := NewModelSearcher[int](m, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Search(context.Background(), 0, argmax.Budget{Simulations: 10})
		if err != nil {
			t.Fatal(err)
		}
		p0, p1 := r.Children[0].Prior, r.Children[1].Prior
		if math.Abs(p0+p1-1) > 1e-6 {
			t.Errorf("noise %v: priors %v, %v do not sum to 1", noisy, p0, p1)
		}
		if uniform := math.Abs(p0-0.5) < 1e-9; uniform == noisy {
			t.Errorf("noise %v: priors %v, %v", noisy, p0, p1)
		}
	}
}

// TestModelBudget checks the simulation, node and time limits, the
// default budget and cancellation.
func TestModelBudget(t *testing.T) {
	m := chain{take: []float64{1, 0.5, 0, 3, 0, 2, 0, 0, 4}, gamma: 0.95}
	ctx := context.Background()
	for _, batch := range []int{1, 3, 8} {
		s, err := NewModelSearcher[int](m, nil, ModelConfig{Batch: batch, Selection: PUCT})
		if err != nil {
			t.Fatal(err)
		}
		for _, sims := range []int64{1, 7, 100} {
			r, err := s.Search(ctx, 0, argmax.Budget{Simulations: sims})
			if err != nil {
				t.Fatal(err)
			}
			var visits int64
			for _, c := range r.Children {
				visits += c.Visits
			}
			if r.Cost.Simulations != sims || visits != sims || r.Status != SimulationLimit {
				t.Errorf("batch %d, budget %d: %d simulations, %d root visits, status %v", batch, sims, r.Cost.Simulations, visits, r.Status)
			}
		}
		r, err := s.Search(ctx, 0, argmax.Budget{Nodes: 9})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != NodeLimit || r.Cost.Nodes < 9 || r.Cost.Nodes > 9+2*int64(batch) {
			t.Errorf("batch %d, node budget 9: %d nodes, status %v", batch, r.Cost.Nodes, r.Status)
		}
	}
	s, err := NewModelSearcher[int](m, nil, ModelConfig{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Search(ctx, 0, argmax.Budget{})
	if err != nil || r.Cost.Simulations != DefaultModelSimulations {
		t.Errorf("unlimited budget: %v simulations (err %v), want %d", r.Cost.Simulations, err, DefaultModelSimulations)
	}
	start := time.Now()
	r, err = s.Search(ctx, 0, argmax.Budget{Time: 20 * time.Millisecond})
	if err != nil || r.Status != TimeLimit {
		t.Fatalf("time budget: status %v, err %v", r.Status, err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("a 20ms budget took %v", d)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Search(cancelled, 0, argmax.Budget{Simulations: 1 << 40}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err %v", err)
	}
	// A tree capped at its root and children still searches, evaluating
	// leaves without expanding them.
	small, _ := NewModelSearcher[int](m, nil, ModelConfig{MaxNodes: 3})
	r, err = small.Search(ctx, 0, argmax.Budget{Simulations: 50})
	if err != nil || r.Cost.Simulations != 50 || r.Cost.Nodes != 2 {
		t.Errorf("max nodes 3: %+v, err %v", r, err)
	}
}

// nanEval returns NaN values.
type nanEval struct{}

func (nanEval) Evaluate(states []int, _ *rand.Rand, values []float64, _ []float32) (argmax.Cost, error) {
	for i := range values {
		values[i] = math.NaN()
	}
	return argmax.Cost{}, nil
}

// failEval fails.
type failEval struct{}

func (failEval) Evaluate([]int, *rand.Rand, []float64, []float32) (argmax.Cost, error) {
	return argmax.Cost{}, errors.New("no network")
}

// stuck is a LegalModel that allows no action.
type stuck struct{ chain }

func (stuck) Legal(int, []int) []int { return nil }

// TestModelErrors checks that bad configurations, models and evaluators
// get errors naming the problem.
func TestModelErrors(t *testing.T) {
	m := chain{take: []float64{1, 2}, gamma: 1}
	configs := []struct {
		cfg  ModelConfig
		want string
	}{
		{ModelConfig{Selection: 7}, "selection"},
		{ModelConfig{C: -1}, "exploration constant"},
		{ModelConfig{QMin: 1, QMax: -1}, "value bounds"},
		{ModelConfig{QMin: math.Inf(-1), QMax: 1}, "value bounds"},
		{ModelConfig{Depth: -2}, "depth"},
		{ModelConfig{Rollouts: -1}, "rollouts"},
		{ModelConfig{Batch: -1}, "batch"},
		{ModelConfig{NoiseAlpha: 0.3}, "set both or neither"},
		{ModelConfig{NoiseAlpha: 0.3, NoiseFraction: 2}, "noise fraction"},
		{ModelConfig{MaxNodes: -1}, "max nodes"},
		{ModelConfig{Budget: argmax.Budget{Simulations: -1}}, "negative"},
	}
	for _, tc := range configs {
		if _, err := NewModelSearcher[int](m, nil, tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err %v, want one naming %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := NewModelSearcher[int](nil, nil, ModelConfig{}); err == nil {
		t.Error("nil model accepted")
	}
	ctx := context.Background()
	searches := []struct {
		name string
		m    Model[int]
		ev   StateEvaluator[int]
		cfg  ModelConfig
		b    argmax.Budget
		want string
	}{
		{"negative budget", m, nil, ModelConfig{}, argmax.Budget{Time: -1}, "negative"},
		{"NaN value", m, nanEval{}, ModelConfig{}, argmax.Budget{}, "finite"},
		{"failing evaluator", m, failEval{}, ModelConfig{}, argmax.Budget{}, "no network"},
		{"no legal action", stuck{m}, nil, ModelConfig{}, argmax.Budget{}, "no legal action"},
		{"tree too small", m, nil, ModelConfig{MaxNodes: 1}, argmax.Budget{}, "max nodes"},
	}
	for _, tc := range searches {
		s, err := NewModelSearcher(tc.m, tc.ev, tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Search(ctx, 0, tc.b); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want one naming %q", tc.name, err, tc.want)
		}
	}
}
