package dynamics_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"argmax"
	"argmax/amortized/dynamics"
	"argmax/env"
	"argmax/env/control"
)

// The shape of direct/cem's Model interface, restated here (amortized does
// not import direct): *Model must satisfy it as it is.
var _ interface {
	Evaluate(s env.Situation, actions []float64, horizon int, seed uint64, rewards []float64) (argmax.Cost, error)
} = (*dynamics.Model)(nil)

var (
	linA = [2][2]float64{{0.9, 0.2}, {-0.1, 0.8}}
	linB = [2]float64{0.5, -0.3}
)

// linear returns n transitions of x' = A x + B u (+ noise of the given
// standard deviation), with x and u uniform in [-1, 1].
func linear(n int, noise float64, seed uint64) *dynamics.Dataset {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := dynamics.NewDataset(2, 1)
	for range n {
		x := []float64{2*rng.Float64() - 1, 2*rng.Float64() - 1}
		u := []float64{2*rng.Float64() - 1}
		next := make([]float64, 2)
		for i := range 2 {
			next[i] = linA[i][0]*x[0] + linA[i][1]*x[1] + linB[i]*u[0] + noise*rng.NormFloat64()
		}
		d.Add(x, u, next, 0)
	}
	return d
}

var (
	linObs = env.Box([]float64{math.Inf(-1), math.Inf(-1)}, []float64{math.Inf(1), math.Inf(1)})
	linAct = env.Box([]float64{-1}, []float64{1})
	zero   = func(_, _, _ []float64) float64 { return 0 }
)

// The ensemble recovers a known linear system: the Jacobian of its mean
// prediction with respect to the state is A and with respect to the
// action B, within tolerance, for a linear member and for MLPs.
func TestLinearSystem(t *testing.T) {
	tests := []struct {
		name string
		cfg  dynamics.Config
		tol  float64
	}{
		{"linear", dynamics.Config{Members: 1, Hidden: []int{}, Deterministic: true, NoBootstrap: true, Epochs: 30, LearningRate: 1e-2, Reward: zero}, 0.005},
		{"mlp/beta-nll", dynamics.Config{Members: 3, Hidden: []int{32, 32}, Beta: 0.5, Epochs: 30, Reward: zero, Seed: 1}, 0.05},
		{"mlp/gaussian", dynamics.Config{Members: 3, Hidden: []int{32, 32}, Epochs: 30, Reward: zero, Seed: 1}, 0.05},
		{"mlp/mse", dynamics.Config{Members: 3, Hidden: []int{32, 32}, Deterministic: true, Epochs: 30, Reward: zero, Seed: 2}, 0.05},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := dynamics.New(linObs, linAct, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Fit(context.Background(), linear(2000, 0, 1))
			if err != nil {
				t.Fatal(err)
			}
			if c := e.TrainingCost(); c.Iterations != int64(res.Steps) || c.FLOPs <= 0 || c.Samples != int64(tt.cfg.Epochs*2000*e.Members()) {
				t.Errorf("training cost %+v after %d steps", c, res.Steps)
			}
			// Central differences of the prediction, averaged over points
			// of the data's range.
			const h = 0.1
			var jac [2][3]float64
			pts := 0
			for _, x0 := range []float64{-0.5, 0, 0.5} {
				for _, x1 := range []float64{-0.5, 0, 0.5} {
					for _, u := range []float64{-0.5, 0.5} {
						base := []float64{x0, x1, u}
						for j := range 3 {
							lo, hi := slices.Clone(base), slices.Clone(base)
							lo[j] -= h
							hi[j] += h
							pl, _ := e.Predict(lo[:2], lo[2:], nil)
							ph, _ := e.Predict(hi[:2], hi[2:], nil)
							for i := range 2 {
								jac[i][j] += (ph[i] - pl[i]) / (2 * h)
							}
						}
						pts++
					}
				}
			}
			for i := range 2 {
				want := []float64{linA[i][0], linA[i][1], linB[i]}
				for j := range 3 {
					if got := jac[i][j] / float64(pts); math.Abs(got-want[j]) > tt.tol {
						t.Errorf("∂x'%d/∂%s = %.4f, want %.4f ± %g", i, []string{"x0", "x1", "u"}[j], got, want[j], tt.tol)
					}
				}
			}
			test := linear(500, 0, 2)
			if mse, _ := e.MSE(test); mse > tt.tol*tt.tol {
				t.Errorf("held-out MSE %.2g, want < %.2g", mse, tt.tol*tt.tol)
			}
		})
	}
}

// Gaussian heads learn the noise: one-step samples from a noisy linear
// system spread by its standard deviation, and Mean propagation does not
// spread at all.
func TestNoiseLevel(t *testing.T) {
	const noise = 0.1
	first := func(_, _, next []float64) float64 { return next[0] }
	e, err := dynamics.New(linObs, linAct, dynamics.Config{Members: 3, Hidden: []int{32, 32}, Epochs: 40, Reward: first, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Fit(context.Background(), linear(4000, noise, 3)); err != nil {
		t.Fatal(err)
	}
	const n = 3000
	s := env.Situation{Obs: []float64{0.3, -0.2}}
	acts := make([]float64, n)
	for i := range acts {
		acts[i] = 0.4
	}
	want := linA[0][0]*0.3 + linA[0][1]*-0.2 + linB[0]*0.4
	for _, p := range []dynamics.Propagation{dynamics.TS1, dynamics.TSInf, dynamics.Mean} {
		m := &dynamics.Model{Ensemble: e, Propagation: p}
		r := make([]float64, n)
		c, err := m.Evaluate(s, acts, 1, 9, r)
		if err != nil {
			t.Fatal(err)
		}
		var mu, v float64
		for _, x := range r {
			mu += x / n
		}
		for _, x := range r {
			v += (x - mu) * (x - mu) / n
		}
		sd := math.Sqrt(v)
		if math.Abs(mu-want) > 0.02 {
			t.Errorf("%v: mean next x0 %.4f, want %.4f", p, mu, want)
		}
		wantSD, tol := noise, 0.02
		if p == dynamics.Mean {
			wantSD, tol = 0, 1e-9
		}
		if math.Abs(sd-wantSD) > tol {
			t.Errorf("%v: spread %.4f, want %.3f ± %g", p, sd, wantSD, tol)
		}
		passes := int64(n)
		if p == dynamics.Mean {
			passes *= int64(e.Members())
		}
		if c.Steps != n || c.ForwardPasses != passes || c.FLOPs <= 0 {
			t.Errorf("%v: cost %+v, want %d steps and %d forward passes", p, c, n, passes)
		}
	}
}

func pendulumReward(obs, action, _ []float64) float64 {
	th := math.Atan2(obs[1], obs[0])
	u := max(-2, min(2, action[0]))
	return -(th*th + 0.1*obs[2]*obs[2] + 0.001*u*u)
}

func pendulumData(t *testing.T, episodes int, seed uint64) *dynamics.Dataset {
	t.Helper()
	pend, err := control.NewPendulum(control.PendulumConfig{})
	if err != nil {
		t.Fatal(err)
	}
	d := dynamics.NewDataset(3, 1)
	for k := range episodes {
		if _, err := d.Collect(context.Background(), pend, env.NewRandom(seed+uint64(k)), seed+uint64(k), argmax.Budget{}); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// After training on random-action episodes, the ensemble predicts the
// pendulum one step ahead on held-out episodes far better than
// persistence (next = obs), with the known reward or a learned one.
func TestPendulumOneStep(t *testing.T) {
	train, test := pendulumData(t, 20, 1), pendulumData(t, 5, 1000)
	if train.Len() != 20*control.PendulumMaxSteps {
		t.Fatalf("%d transitions from 20 episodes", train.Len())
	}
	var persist, rvar, rmean float64
	for i, v := range test.Next {
		persist += (v - test.Obs[i]) * (v - test.Obs[i]) / float64(len(test.Next))
	}
	for _, r := range test.Rewards {
		rmean += r / float64(test.Len())
	}
	for _, r := range test.Rewards {
		rvar += (r - rmean) * (r - rmean) / float64(test.Len())
	}
	for _, learned := range []bool{false, true} {
		cfg := dynamics.Config{Members: 3, Hidden: []int{64, 64}, Beta: 0.5, Epochs: 30, LearningRate: 3e-3, Seed: 4, Reward: pendulumReward}
		if learned {
			cfg.Reward = nil
		}
		pend, _ := control.NewPendulum(control.PendulumConfig{})
		e, err := dynamics.New(pend.ObservationSpace(), pend.ActionSpace(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Fit(context.Background(), train); err != nil {
			t.Fatal(err)
		}
		mse, rmse := e.MSE(test)
		t.Logf("learned reward %v: next-obs MSE %.2e (persistence %.2e), reward MSE %.2e (variance %.2e)", learned, mse, persist, rmse, rvar)
		if mse > persist/1000 {
			t.Errorf("next-obs MSE %.2e, want < persistence/1000 = %.2e", mse, persist/1000)
		}
		if !learned && rmse > 1e-20 {
			t.Errorf("known reward: reward MSE %.2e, want 0", rmse)
		}
		if learned && rmse > rvar/1000 {
			t.Errorf("learned reward MSE %.2e, want < variance/1000 = %.2e", rmse, rvar/1000)
		}
	}
}

// Evaluate is a pure function of its seed, counts its work, averages the
// particles and stops an ended particle's rewards.
func TestModelEvaluate(t *testing.T) {
	done := func(_, _, next []float64) bool { return next[0] > 0.7 }
	one := func(_, _, _ []float64) float64 { return 1 }
	e, err := dynamics.New(linObs, linAct, dynamics.Config{Members: 4, Hidden: []int{8}, Epochs: 20, LearningRate: 1e-2, Reward: one, Done: done, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Fit(context.Background(), linear(200, 0.05, 5)); err != nil {
		t.Fatal(err)
	}
	const n, h = 6, 5
	acts := make([]float64, n*h)
	for i := range n {
		for k := range h {
			acts[i*h+k] = float64(i)/3 - 1 // sequence 5 pushes x0 from 0.5 to 0.88 in a step
		}
	}
	s := env.Situation{Obs: []float64{0.5, 0.5}}
	for _, p := range []dynamics.Propagation{dynamics.TS1, dynamics.TSInf, dynamics.Mean} {
		m := &dynamics.Model{Ensemble: e, Propagation: p, Particles: 3}
		r1, r2, r3 := make([]float64, n*h), make([]float64, n*h), make([]float64, n*h)
		c, err := m.Evaluate(s, acts, h, 1, r1)
		if err != nil {
			t.Fatal(err)
		}
		m.Evaluate(s, acts, h, 1, r2)
		m.Evaluate(s, acts, h, 2, r3)
		if !slices.Equal(r1, r2) {
			t.Errorf("%v: the same seed gave %v and %v", p, r1, r2)
		}
		if p != dynamics.Mean && slices.Equal(r1, r3) {
			t.Errorf("%v: seeds 1 and 2 gave the same rewards", p)
		}
		var steps int64
		for i := range n {
			for k := range h {
				v := r1[i*h+k]
				if v != 0 && v != 1.0/3 && v != 2.0/3 && v != 1 {
					t.Errorf("%v: reward %v: want a share of the 3 particles", p, v)
				}
				if k > 0 && v > r1[i*h+k-1] {
					t.Errorf("%v: sequence %d revives at step %d: %v", p, i, k, r1[i*h:(i+1)*h])
				}
				steps += int64(math.Round(v * 3))
			}
		}
		if r1[5*h+h-1] != 0 {
			t.Errorf("%v: sequence 5 (x0 rising past 0.7) never ends: %v", p, r1[5*h:])
		}
		// A particle's last alive step is counted, and earns its reward,
		// before it ends.
		if c.Steps != steps {
			t.Errorf("%v: %d steps counted, %d rewarded", p, c.Steps, steps)
		}
		per := int64(1)
		if p == dynamics.Mean {
			per = int64(e.Members())
		}
		if c.ForwardPasses != per*c.Steps || c.FLOPs <= 0 {
			t.Errorf("%v: cost %+v, want %d forward passes a step", p, c, per)
		}
	}
	m := &dynamics.Model{Ensemble: e}
	if _, err := m.Evaluate(env.Situation{Obs: []float64{1}}, acts, h, 0, make([]float64, n*h)); err == nil {
		t.Error("an observation of the wrong length accepted")
	}
	if _, err := m.Evaluate(s, acts[1:], h, 0, make([]float64, n*h)); err == nil {
		t.Error("actions of the wrong length accepted")
	}
}

// Training is a pure function of the seed and data.
func TestDeterminism(t *testing.T) {
	fit := func(seed uint64) []float64 {
		e, _ := dynamics.New(linObs, linAct, dynamics.Config{Members: 2, Hidden: []int{16}, Epochs: 3, Reward: zero, Seed: seed})
		res, err := e.Fit(context.Background(), linear(300, 0.1, 1))
		if err != nil {
			t.Fatal(err)
		}
		p, _ := e.Predict([]float64{0.1, 0.2}, []float64{0.3}, nil)
		return append(res.Loss, p...)
	}
	a, b, c := fit(1), fit(1), fit(2)
	if !slices.Equal(a, b) {
		t.Errorf("seed 1 twice: %v and %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Error("seeds 1 and 2 gave the same fit")
	}
}

// Discrete actions are one-hot inputs: a discretized pendulum trains and
// predicts.
func TestDiscreteActions(t *testing.T) {
	pend, _ := control.NewPendulum(control.PendulumConfig{Actions: 5})
	d := dynamics.NewDataset(3, 1)
	for k := range 5 {
		if _, err := d.Collect(context.Background(), pend, env.NewRandom(uint64(k)), uint64(k), argmax.Budget{}); err != nil {
			t.Fatal(err)
		}
	}
	var persist float64
	for i, v := range d.Next {
		persist += (v - d.Obs[i]) * (v - d.Obs[i]) / float64(len(d.Next))
	}
	cfg := dynamics.DefaultConfig()
	cfg.Members, cfg.Hidden, cfg.Epochs, cfg.LearningRate, cfg.Seed = 2, []int{32, 32}, 30, 3e-3, 1
	e, err := dynamics.New(pend.ObservationSpace(), pend.ActionSpace(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Fit(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if mse, rmse := e.MSE(d); !(mse < persist/20) || !(rmse < 1) {
		t.Errorf("training-data MSE %.2e (persistence %.2e), reward MSE %.2e", mse, persist, rmse)
	}
}

// Bad configs and inputs get errors naming what is wrong.
func TestErrors(t *testing.T) {
	tests := []struct {
		cfg  dynamics.Config
		want string
	}{
		{dynamics.Config{Members: -1}, "members=-1"},
		{dynamics.Config{Epochs: -1}, "epochs=-1"},
		{dynamics.Config{BatchSize: -1}, "batch size=-1"},
		{dynamics.Config{Hidden: []int{8, 0}}, "hidden widths"},
		{dynamics.Config{MinLogVar: 1, MaxLogVar: -1}, "log variance"},
		{dynamics.Config{LearningRate: -1}, "learning rate"},
		{dynamics.Config{WeightDecay: math.NaN()}, "weight decay"},
		{dynamics.Config{Beta: 2}, "beta=2"},
	}
	for _, tt := range tests {
		if _, err := dynamics.New(linObs, linAct, tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("config %+v: error %v, want one with %q", tt.cfg, err, tt.want)
		}
	}
	if _, err := dynamics.New(env.Discrete(3), linAct, dynamics.Config{}); err == nil {
		t.Error("a discrete observation space accepted")
	}
	e, _ := dynamics.New(linObs, linAct, dynamics.Config{Members: 1, Hidden: []int{4}})
	if _, err := e.Fit(context.Background(), dynamics.NewDataset(2, 1)); err == nil {
		t.Error("an empty dataset accepted")
	}
	if _, err := e.Fit(context.Background(), dynamics.NewDataset(3, 1)); err == nil {
		t.Error("a dataset of the wrong shape accepted")
	}
	if _, err := dynamics.ParsePropagation("ts2"); err == nil {
		t.Error(`ParsePropagation("ts2") accepted`)
	}
	for _, p := range []dynamics.Propagation{dynamics.TS1, dynamics.TSInf, dynamics.Mean} {
		if got, err := dynamics.ParsePropagation(p.String()); err != nil || got != p {
			t.Errorf("ParsePropagation(%q) = %v, %v", p.String(), got, err)
		}
	}
}
