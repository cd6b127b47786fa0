package dqn

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"argmax"
	"argmax/env"
	"argmax/env/control"
)

// TestTDTargets checks the targets of a hand-computed minibatch: a
// bootstrapped transition, a terminal one and a truncated one (which,
// not being terminal, bootstraps), with the double-DQN and the plain
// target.
func TestTDTargets(t *testing.T) {
	const gamma = 0.9
	rewards := []float64{1, 0.5, -1}
	terminated := []bool{false, true, false} // the third transition was truncated
	qOnline := []float32{1, 2, 9, 9, 4, 0}   // online argmax of s': 1, (any), 0
	qTarget := []float32{5, 3, 8, 8, 2, 7}
	for _, tc := range []struct {
		name   string
		online []float32
		want   []float64
	}{
		// double: y = r + γ·Q_target(s', argmax Q_online(s')).
		{"double", qOnline, []float64{1 + 0.9*3, 0.5, -1 + 0.9*2}},
		// plain: y = r + γ·max Q_target(s').
		{"dqn", nil, []float64{1 + 0.9*5, 0.5, -1 + 0.9*7}},
	} {
		y := make([]float32, 3)
		tdTargets(y, rewards, terminated, tc.online, qTarget, 2, gamma)
		for i, w := range tc.want {
			if math.Abs(float64(y[i])-w) > 1e-6 {
				t.Errorf("%s: y[%d] = %v, want %v", tc.name, i, y[i], w)
			}
		}
	}
}

func TestReplayWraparound(t *testing.T) {
	r, err := NewReplay(3, 2, 7)
	if err != nil {
		t.Fatal(err)
	}
	add := func(k int) {
		x := float64(k)
		r.Add([]float64{x, -x}, k%2, 10*x, []float64{x + 0.5, -x - 0.5}, k%3 == 0)
	}
	for k := range 2 {
		add(k)
	}
	var b Batch
	r.Sample(200, &b)
	for k, a := range b.Actions { // before wrapping, only transitions 0 and 1
		if x := b.Obs[2*k]; x != 0 && x != 1 || int(x)%2 != a {
			t.Fatalf("sample %d: obs %v action %d from a buffer of transitions 0 and 1", k, x, a)
		}
	}
	for k := 2; k < 5; k++ {
		add(k)
	}
	if r.Len() != 3 || r.Cap() != 3 || r.Added() != 5 {
		t.Fatalf("len %d cap %d added %d, want 3 3 5", r.Len(), r.Cap(), r.Added())
	}
	// Slots now hold transitions 3, 4, 2 (the oldest, 0 and 1, overwritten).
	wantSlot := []int{3, 4, 2}
	const draws = 30000
	r.Sample(draws, &b)
	if b.Len() != draws {
		t.Fatalf("batch of %d, want %d", b.Len(), draws)
	}
	count := make([]int, 3)
	for k := range draws {
		i := b.Index[k]
		count[i]++
		x := float64(wantSlot[i])
		got := []float64{float64(b.Obs[2*k]), float64(b.Obs[2*k+1]), float64(b.Next[2*k]), float64(b.Next[2*k+1])}
		want := []float64{x, -x, x + 0.5, -x - 0.5}
		if !slices.Equal(got, want) || b.Actions[k] != int(x)%2 || b.Rewards[k] != 10*x || b.Terminated[k] != (int(x)%3 == 0) {
			t.Fatalf("sample %d from slot %d: %v a=%d r=%v term=%v, want transition %v", k, i, got, b.Actions[k], b.Rewards[k], b.Terminated[k], x)
		}
	}
	// Uniform: each slot's share within 5 standard errors of 1/3.
	se := math.Sqrt(draws * (1.0 / 3) * (2.0 / 3))
	for i, c := range count {
		if math.Abs(float64(c)-draws/3.0) > 5*se {
			t.Errorf("slot %d drawn %d times of %d, want about %d", i, c, draws, draws/3)
		}
	}

	// The same seed draws the same indices; another seed others.
	again, _ := NewReplay(3, 2, 7)
	other, _ := NewReplay(3, 2, 8)
	for k := range 5 {
		x := float64(k)
		for _, q := range []*Replay{again, other} {
			q.Add([]float64{x, -x}, k%2, 10*x, []float64{x + 0.5, -x - 0.5}, k%3 == 0)
		}
	}
	var b1, b2, b3 Batch
	fresh, _ := NewReplay(3, 2, 7)
	for k := range 5 {
		x := float64(k)
		fresh.Add([]float64{x, -x}, k%2, 10*x, []float64{x + 0.5, -x - 0.5}, k%3 == 0)
	}
	fresh.Sample(50, &b1)
	again.Sample(50, &b2)
	other.Sample(50, &b3)
	if !slices.Equal(b1.Index, b2.Index) || slices.Equal(b1.Index, b3.Index) {
		t.Errorf("seeded sampling: seed 7 %v and %v should match, seed 8 %v differ", b1.Index[:8], b2.Index[:8], b3.Index[:8])
	}
	if _, err := NewReplay(0, 2, 1); err == nil {
		t.Error("NewReplay(0, ...) succeeded")
	}
}

func TestEpsilon(t *testing.T) {
	c := Config{StartEpsilon: 1, EndEpsilon: 0.05, ExplorationFraction: 0.5, Steps: 1000}
	for _, tc := range []struct {
		step int
		want float64
	}{{0, 1}, {100, 1 - 0.95*0.2}, {250, 0.525}, {499, 1 - 0.95*499/500}, {500, 0.05}, {900, 0.05}, {5000, 0.05}} {
		if got := c.Epsilon(tc.step); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Epsilon(%d) = %v, want %v", tc.step, got, tc.want)
		}
	}
	c.ExplorationFraction = 0
	if got := c.Epsilon(0); got != 0.05 {
		t.Errorf("without exploration phase, Epsilon(0) = %v, want 0.05", got)
	}
}

// TestTransitions checks what collection stores at the end of an
// episode: the final observation (not the next episode's first), and a
// terminated flag only for a terminal state, not for a truncation.
func TestTransitions(t *testing.T) {
	for _, terminal := range []bool{false, true} {
		cfg := testConfig()
		cfg.Envs, cfg.Steps = 2, 8
		tr, err := newTrainer(&treadmill{limit: 3, terminal: terminal, clock: true}, cfg, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		copy(tr.obs, tr.vec.Reset(1))
		for range 4 {
			tr.collect()
		}
		// Ring slots in insertion order: env 0 and env 1 at each step.
		r := tr.replay
		for k := range 8 {
			step := k/2%3 + 1 // steps 1, 2, 3, 1: the clock after the action
			obs, next := r.obs[k], r.next[k]
			if obs != float32(step-1) || next != float32(step) {
				t.Errorf("terminal=%v: transition %d: %v → %v, want %d → %d", terminal, k, obs, next, step-1, step)
			}
			if want := terminal && step == 3; r.terminated[k] != want {
				t.Errorf("terminal=%v: transition %d (step %d): terminated %v, want %v", terminal, k, step, r.terminated[k], want)
			}
		}
		if tr.stats.Episodes != 2 || !slices.Equal(tr.stats.Returns, []float64{3, 3}) {
			t.Errorf("terminal=%v: episodes %d returns %v, want 2 of 3", terminal, tr.stats.Episodes, tr.stats.Returns)
		}
	}
}

// testConfig is a small, fast configuration for the test envs.
func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Hidden = []int{32}
	cfg.LR = 3e-3
	cfg.Gamma = 0.9
	cfg.Buffer = 5000
	cfg.Batch = 32
	cfg.LearningStarts = 100
	cfg.TrainEvery, cfg.GradientSteps = 1, 1
	cfg.TargetEvery = 25
	cfg.Loss = MSE
	cfg.StartEpsilon, cfg.EndEpsilon, cfg.ExplorationFraction = 1, 0.1, 0.3
	cfg.Steps = 3000
	cfg.StopAtReturn, cfg.EvalEvery, cfg.KeepBest = false, 0, false
	return cfg
}

// TestLearnsCorridor trains on a 5-cell corridor and checks the learned
// Q-values against the closed form and the greedy policy (always right).
func TestLearnsCorridor(t *testing.T) {
	c := newCorridor(5, 20)
	cfg := testConfig()
	p, st, err := Train(context.Background(), c, cfg, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Stop != StopSteps || st.Steps != cfg.Steps {
		t.Errorf("stopped by %q after %d steps, want steps after %d", st.Stop, st.Steps, cfg.Steps)
	}
	var maxErr float64
	for s := range c.n - 1 {
		obs := make([]float64, c.n)
		obs[s] = 1
		q := p.Values(nil, obs)
		left, right := c.optimalQ(s, cfg.Gamma)
		maxErr = max(maxErr, math.Abs(q[0]-left), math.Abs(q[1]-right))
		a, cost, err := p.Decide(context.Background(), env.Situation{Obs: obs}, argmax.Budget{})
		if err != nil || a[0] != 1 {
			t.Errorf("cell %d: action %v (%v), want 1 (right)", s, a, err)
		}
		t.Logf("cell %d: Q = (%.3f, %.3f), Q* = (%.3f, %.3f)", s, q[0], q[1], left, right)
		// 5 → 32 → 2: 2·(5·32 + 32·2) FLOPs of products, one pass.
		if cost.ForwardPasses != 1 || cost.FLOPs != 2*(5*32+32*2) {
			t.Errorf("decision cost %+v, want 1 forward pass of %d FLOPs", cost, 2*(5*32+32*2))
		}
	}
	if maxErr > 0.05 {
		t.Errorf("largest error of the learned Q-values %.3f, want ≤ 0.05", maxErr)
	}
}

// TestTruncationBootstraps learns the value of a treadmill whose
// observation is constant, so the agent cannot see the time. When its
// episodes are truncated, truncation must bootstrap, and the value is
// the infinite-horizon 1/(1−γ). When they terminate, every limit-th
// transition is terminal, and the TD fixed point of the one aliased state
// is Q = 1 + γ·(1 − 1/limit)·Q, i.e. 1/(1 − γ(1 − 1/limit)), about half as
// much — what truncation would also give if it were mistaken for
// termination.
func TestTruncationBootstraps(t *testing.T) {
	const gamma, limit = 0.8, 5
	for _, tc := range []struct {
		terminal bool
		want     float64
		tol      float64
	}{{false, 1 / (1 - gamma), 0.05}, {true, 1 / (1 - gamma*(1-1.0/limit)), 0.1}} {
		cfg := testConfig()
		cfg.Gamma = gamma
		cfg.Steps = 2000
		p, _, err := Train(context.Background(), &treadmill{limit: limit, terminal: tc.terminal}, cfg, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		q := p.Values(nil, []float64{1})
		for a, v := range q {
			if math.Abs(v-tc.want) > tc.tol*tc.want {
				t.Errorf("terminal=%v: Q(a=%d) = %.3f, want %.3f ± %.0f%%", tc.terminal, a, v, tc.want, 100*tc.tol)
			}
		}
		t.Logf("terminal=%v: Q = %.3f, want %.3f", tc.terminal, q, tc.want)
	}
}

// TestDeterminism trains twice from one seed (the second time with the
// envs stepped by two workers) and once from another.
func TestDeterminism(t *testing.T) {
	run := func(seed uint64, workers int) (*Policy, Stats) {
		cfg := testConfig()
		cfg.Steps, cfg.Envs, cfg.Workers, cfg.Seed = 1000, 2, workers, seed
		cfg.EvalEvery, cfg.EvalEpisodes, cfg.KeepBest = 300, 3, true
		p, st, err := Train(context.Background(), newCorridor(5, 20), cfg, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		return p, st
	}
	p1, s1 := run(1, 1)
	p2, s2 := run(1, 2)
	p3, _ := run(2, 1)
	same := func(a, b *Policy) bool {
		for i, pa := range a.Params() {
			if !slices.Equal(pa.Data, b.Params()[i].Data) {
				return false
			}
		}
		return true
	}
	s1.Elapsed, s2.Elapsed = 0, 0
	if !same(p1, p2) || !slices.Equal(s1.Returns, s2.Returns) || s1.GradientSteps != s2.GradientSteps ||
		s1.EvalReturn != s2.EvalReturn || s1.BestEvalStep != s2.BestEvalStep {
		t.Errorf("same seed, different runs: %+v vs %+v", s1, s2)
	}
	c1, c2 := p1.TrainingCost(), p2.TrainingCost()
	c1.Elapsed, c2.Elapsed = 0, 0
	if c1 != c2 {
		t.Errorf("same seed, training costs %+v and %+v", c1, c2)
	}
	if same(p1, p3) {
		t.Error("seeds 1 and 2 gave the same weights")
	}
	// KeepBest: the returned weights score the best evaluation's mean on
	// the evaluation seeds.
	var sum float64
	for k := range 3 {
		ep, err := env.Rollout(context.Background(), newCorridor(5, 20), p1, env.EpisodeSeed(derive(1, seedEval), 0, k), argmax.Budget{})
		if err != nil {
			t.Fatal(err)
		}
		sum += ep.Return
	}
	if sum/3 != s1.BestEvalReturn || s1.Evaluations != 4 {
		t.Errorf("kept weights score %v, best evaluation %v (of %d, want 4: 3 + the final weights')", sum/3, s1.BestEvalReturn, s1.Evaluations)
	}
}

func TestTrainingCostAndHooks(t *testing.T) {
	cfg := testConfig()
	cfg.Steps, cfg.Envs = 600, 3
	cfg.TrainEvery, cfg.GradientSteps = 4, 2
	cfg.EvalEvery, cfg.EvalEpisodes = 200, 2
	var reports []Progress
	p, st, err := Train(context.Background(), newCorridor(5, 20), cfg, Hooks{Progress: func(pr Progress) { reports = append(reports, pr) }, Every: 150})
	if err != nil {
		t.Fatal(err)
	}
	// 200 vec steps of 3 envs; training rounds at every multiple of 4
	// env steps from 100 (LearningStarts) on: 4·25 … 4·150.
	if st.Steps != 600 || st.GradientSteps != 2*(150-25+1) {
		t.Errorf("steps %d, gradient steps %d, want 600 and %d", st.Steps, st.GradientSteps, 2*(150-25+1))
	}
	c := p.TrainingCost()
	if c.Steps != int64(st.Steps+st.EvalSteps) || c.Iterations != int64(st.GradientSteps) ||
		c.Samples != int64(st.GradientSteps*cfg.Batch) || c.FLOPs <= 0 || c.ForwardPasses <= c.Samples || c.Elapsed != st.Elapsed {
		t.Errorf("training cost %+v does not match stats %+v", c, st)
	}
	if st.Evaluations != 3 || st.EvalSteps == 0 {
		t.Errorf("%d evaluations of %d steps, want 3", st.Evaluations, st.EvalSteps)
	}
	if len(reports) < 4 || !reports[len(reports)-1].Final || reports[len(reports)-1].Steps != 600 {
		t.Fatalf("reports %v: want one every 150 steps and a final one", reports)
	}
	for _, r := range reports[:len(reports)-1] {
		if r.Final || r.Steps%150 != 0 && !r.Evaluated {
			t.Errorf("report %v: not at a multiple of 150 steps nor after an evaluation", r)
		}
	}
	if s := reports[len(reports)-1].String(); !strings.Contains(s, "steps 600") || !strings.Contains(s, "final") {
		t.Errorf("report renders as %q", s)
	}
}

func TestStopping(t *testing.T) {
	cfg := testConfig()
	cfg.StopAtReturn, cfg.TargetReturn, cfg.Window = true, 5, 3
	_, st, err := Train(context.Background(), &treadmill{limit: 5}, cfg, Hooks{})
	if err != nil || st.Stop != StopReturn || st.Episodes != 3 || st.Steps != 15 || st.MeanReturn != 5 {
		t.Errorf("target return: %v, stop %q after %d episodes, %d steps, mean %v; want return after 3 episodes, 15 steps",
			err, st.Stop, st.Episodes, st.Steps, st.MeanReturn)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cfg = testConfig()
	p, st, err := Train(ctx, newCorridor(5, 20), cfg, Hooks{Every: 500, Progress: func(pr Progress) {
		if !pr.Final && pr.Steps >= 1000 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || st.Stop != StopCancelled || st.Steps != 1000 || p == nil {
		t.Errorf("cancelled: %v, stop %q at %d steps, policy %v; want context.Canceled at 1000 steps", err, st.Stop, st.Steps, p != nil)
	}
}

func TestBadInput(t *testing.T) {
	c := newCorridor(5, 20)
	for _, tc := range []struct {
		field string
		edit  func(*Config)
	}{
		{"hidden", func(c *Config) { c.Hidden = nil }},
		{"hidden", func(c *Config) { c.Hidden = []int{8, 0} }},
		{"lr", func(c *Config) { c.LR = 0 }},
		{"gamma", func(c *Config) { c.Gamma = 1.5 }},
		{"buffer", func(c *Config) { c.Buffer = 0 }},
		{"batch", func(c *Config) { c.Batch = -1 }},
		{"tau", func(c *Config) { c.Tau = 0 }},
		{"loss", func(c *Config) { c.Loss = "l1" }},
		{"end_epsilon", func(c *Config) { c.EndEpsilon = 2 }},
		{"steps", func(c *Config) { c.Steps = 0 }},
		{"eval_episodes", func(c *Config) { c.EvalEvery, c.EvalEpisodes = 10, 0 }},
	} {
		cfg := DefaultConfig()
		tc.edit(&cfg)
		if _, _, err := Train(context.Background(), c, cfg, Hooks{}); err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: error %v, want one naming the field", tc.field, err)
		}
	}
	if err := (Config{}).Check(); err == nil {
		t.Error("the zero Config passed Check")
	}
	pend, err := control.NewPendulum(control.PendulumConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Train(context.Background(), pend, DefaultConfig(), Hooks{}); err == nil || !strings.Contains(err.Error(), "discrete") {
		t.Errorf("continuous actions: error %v, want one asking for a discrete space", err)
	}
	p := newPolicy("corridor", 5, 2, testConfig(), 1)
	if _, _, err := p.Decide(context.Background(), env.Situation{Obs: []float64{1}}, argmax.Budget{}); err == nil {
		t.Error("Decide accepted an observation of the wrong length")
	}
}

func TestCheckpoint(t *testing.T) {
	cfg := testConfig()
	cfg.Steps = 500
	p, _, err := Train(context.Background(), newCorridor(5, 20), cfg, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "q.safetensors")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	q, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	obs := []float64{0, 1, 0, 0, 0}
	if a, b := p.Values(nil, obs), q.Values(nil, obs); !slices.Equal(a, b) {
		t.Errorf("loaded Q-values %v, want %v", b, a)
	}
	if q.TrainingCost() != p.TrainingCost() || q.EnvName() != "corridor" || !slices.Equal(q.Config().Hidden, cfg.Hidden) ||
		q.Config().LR != cfg.LR || q.ObsDim() != 5 || q.Actions() != 2 {
		t.Errorf("loaded %s %+v cost %+v, want %+v", q.EnvName(), q.Config(), q.TrainingCost(), p.TrainingCost())
	}

	bad := filepath.Join(dir, "bad.safetensors")
	if err := os.WriteFile(bad, []byte("not a checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("loading garbage: %v, want an error naming the file", err)
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("loading a missing file succeeded")
	}
}
