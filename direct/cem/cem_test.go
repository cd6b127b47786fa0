package cem_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"argmax"
	"argmax/direct/cem"
	"argmax/env"
)

func situation(e env.Env) env.Situation {
	return env.Situation{Obs: slices.Clone(e.Reset(0)), Env: e}
}

func mustNew(t *testing.T, m cem.Model, cfg cem.Config) *cem.Planner {
	t.Helper()
	p, err := cem.New(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Both methods find the known optimal first action of the quadratic toy,
// and the rest of the plan stays near 0.
func TestOptimum(t *testing.T) {
	tests := []struct {
		name     string
		cfg      cem.Config
		x0, goal float64
		tol      float64
	}{
		{"cem", cem.Config{Horizon: 5, Samples: 500, Iterations: 10, Seed: 1}, 0.6, 0, 0.02},
		{"cem/smoothed", cem.Config{Horizon: 5, Samples: 500, Iterations: 10, Smoothing: 0.1, Seed: 2}, -0.3, 0.4, 0.02},
		{"cem/bound", cem.Config{Horizon: 5, Samples: 200, Iterations: 8, Seed: 3}, 0, 3, 1e-3}, // optimum u = 1, on the bound
		{"mppi", cem.Config{Method: cem.MPPI, Horizon: 5, Samples: 500, Iterations: 10, Temperature: 0.03, InitStd: 0.2, Seed: 4}, 0.6, 0, 0.02},
		{"mppi/smoothed", cem.Config{Method: cem.MPPI, Horizon: 5, Samples: 500, Iterations: 10, Temperature: 0.01, InitStd: 0.2, Smoothing: 0.5, Seed: 5}, -0.3, 0.4, 0.02},
		{"mppi/bound", cem.Config{Method: cem.MPPI, Horizon: 5, Samples: 200, Iterations: 8, Temperature: 0.01, Seed: 6}, 0, 3, 0.02},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustNew(t, cem.Simulator{}, tt.cfg)
			r, err := p.Search(context.Background(), situation(newPoint(tt.x0, tt.goal)), argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			want := max(-1, min(1, tt.goal-tt.x0))
			if got := r.Action[0]; math.Abs(got-want) > tt.tol {
				t.Errorf("first action %.4f, want %.4f ± %g", got, want, tt.tol)
			}
			// Once at the goal (or moving toward it at full speed), the
			// later actions are small or, when the goal is out of reach,
			// keep pushing.
			if tt.goal-tt.x0 <= 1 {
				for k, u := range r.Plan[1:3] {
					if math.Abs(u) > 0.15 {
						t.Errorf("step %d of the plan: %.3f, want ≈ 0", k+1, u)
					}
				}
			}
			if r.Return > 0 || r.Return < -0.05 && tt.goal-tt.x0 <= 1 {
				t.Errorf("best return %g, want ≈ 0", r.Return)
			}
		})
	}
}

// CEM over categorical distributions finds the discrete optimum: from
// x = 1, step −0.5 twice and then stay.
func TestDiscrete(t *testing.T) {
	e := newPoint(1, 0)
	e.levels = []float64{-0.5, 0, 0.5}
	p := mustNew(t, cem.Simulator{}, cem.Config{Horizon: 4, Samples: 100, Iterations: 5, Seed: 1})
	r, err := p.Search(context.Background(), situation(e), argmax.Budget{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 0, 1, 1}; !slices.Equal(r.Plan, want) {
		t.Errorf("plan %v, want %v", r.Plan, want)
	}
	if r.Action[0] != 0 || r.Return != -0.25 {
		t.Errorf("action %v return %v, want [0] and -0.25", r.Action, r.Return)
	}
	if ws := p.WarmStart(); len(ws) != 4*3 || ws[len(ws)-1] != 1.0/3 {
		t.Errorf("warm start %v: want 4 steps of 3 probabilities, the last uniform", ws)
	}
	mp := mustNew(t, cem.Simulator{}, cem.Config{Method: cem.MPPI})
	if _, err := mp.Search(context.Background(), situation(e), argmax.Budget{}); err == nil || !strings.Contains(err.Error(), "box") {
		t.Errorf("MPPI on a discrete space: error %v, want one asking for a box", err)
	}
}

// The kept plan is the optimized one shifted by a step, with the initial
// mean appended; Reset forgets it; the next search starts from it.
func TestWarmStart(t *testing.T) {
	for _, m := range []cem.Method{cem.CEM, cem.MPPI} {
		t.Run(m.String(), func(t *testing.T) {
			const h = 6
			p := mustNew(t, cem.Simulator{}, cem.Config{Method: m, Horizon: h, Samples: 50, Iterations: 3, Temperature: 0.05, Seed: 7})
			if p.WarmStart() != nil {
				t.Fatal("a new planner has a warm start")
			}
			e := newPoint(0.8, 0)
			r, err := p.Search(context.Background(), situation(e), argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			ws := p.WarmStart()
			if !slices.Equal(ws[:h-1], r.Plan[1:]) || ws[h-1] != 0 {
				t.Errorf("warm start %v, want plan %v shifted by one, then 0", ws, r.Plan)
			}
			// With almost all the weight on the old distribution, a search
			// returns its warm start.
			q := mustNew(t, cem.Simulator{}, cem.Config{Method: m, Horizon: h, Samples: 50, Iterations: 1, Temperature: 0.05, Smoothing: 0.999999, Seed: 8})
			if _, err := q.Search(context.Background(), situation(e), argmax.Budget{}); err != nil {
				t.Fatal(err)
			}
			for range 3 {
				before := q.WarmStart()
				r2, err := q.Search(context.Background(), situation(e), argmax.Budget{})
				if err != nil {
					t.Fatal(err)
				}
				for k := range before {
					if math.Abs(r2.Plan[k]-before[k]) > 1e-5 {
						t.Fatalf("plan %v, want the warm start %v", r2.Plan, before)
					}
				}
			}
			p.Reset()
			if p.WarmStart() != nil {
				t.Error("Reset kept the warm start")
			}
		})
	}
}

// The same seed gives the same episode, at any number of simulator
// workers; another seed gives another.
func TestDeterminism(t *testing.T) {
	for _, m := range []cem.Method{cem.CEM, cem.MPPI} {
		t.Run(m.String(), func(t *testing.T) {
			run := func(seed uint64, workers int) []float64 {
				p := mustNew(t, cem.Simulator{Workers: workers}, cem.Config{Method: m, Horizon: 8, Samples: 64, Iterations: 2, Temperature: 0.1, Seed: seed})
				e := newPoint(0.5, -2)
				e.max = 10
				var acts []float64
				obs := e.Reset(0)
				for range 3 { // two episodes of three steps, the planner reset between
					for {
						a, _, err := p.Decide(context.Background(), env.Situation{Obs: obs, Env: e}, argmax.Budget{})
						if err != nil {
							t.Fatal(err)
						}
						acts = append(acts, a[0])
						var trunc bool
						obs, _, _, trunc = e.Step(a)
						if trunc {
							break
						}
					}
					p.Reset()
					obs = e.Reset(0)
				}
				return acts
			}
			a := run(1, 1)
			for _, w := range []int{2, 3, 64, 100} {
				if b := run(1, w); !slices.Equal(a, b) {
					t.Errorf("workers=%d: %v, want %v", w, b, a)
				}
			}
			if b := run(2, 1); slices.Equal(a, b) {
				t.Error("seeds 1 and 2 gave the same actions")
			}
			// The three episodes, each after a Reset, are the same.
			if !slices.Equal(a[:10], a[10:20]) || !slices.Equal(a[:10], a[20:]) {
				t.Errorf("episodes after Reset differ: %v", a)
			}
		})
	}
}

// counting wraps a model and counts its calls and sequences.
type counting struct {
	cem.Model
	calls, seqs int
}

func (c *counting) Evaluate(s env.Situation, actions []float64, horizon int, seed uint64, rewards []float64) (argmax.Cost, error) {
	c.calls++
	c.seqs += len(rewards) / horizon
	return c.Model.Evaluate(s, actions, horizon, seed, rewards)
}

// Budgets stop the search where they say, and the cost counts what was
// simulated.
func TestBudgetAndCost(t *testing.T) {
	const h, n = 10, 100
	tests := []struct {
		name        string
		cfg         cem.Config
		b           argmax.Budget
		iters, seqs int64
	}{
		{"default", cem.Config{}, argmax.Budget{}, 5, 500},
		{"config iterations", cem.Config{Iterations: 3}, argmax.Budget{}, 3, 300},
		{"config budget", cem.Config{Budget: argmax.Budget{Samples: 250}}, argmax.Budget{}, 3, 250},
		{"iterations", cem.Config{}, argmax.Budget{Iterations: 2}, 2, 200},
		{"samples", cem.Config{}, argmax.Budget{Samples: 1234}, 13, 1234},
		{"both", cem.Config{}, argmax.Budget{Iterations: 4, Samples: 350}, 4, 350},
		{"inapplicable", cem.Config{}, argmax.Budget{Simulations: 7}, 5, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.Horizon, cfg.Samples = h, n
			m := &counting{Model: cem.Simulator{}}
			p := mustNew(t, m, cfg)
			e := newPoint(0, 1)
			r, err := p.Search(context.Background(), situation(e), tt.b)
			if err != nil {
				t.Fatal(err)
			}
			c := r.Cost
			if c.Iterations != tt.iters || c.Samples != tt.seqs || c.Steps != tt.seqs*h {
				t.Errorf("cost %+v: want %d iterations, %d samples, %d steps", c, tt.iters, tt.seqs, tt.seqs*h)
			}
			if int64(m.calls) != c.Iterations || int64(m.seqs) != c.Samples {
				t.Errorf("the model saw %d calls and %d sequences; the cost says %d and %d", m.calls, m.seqs, c.Iterations, c.Samples)
			}
			if c.CutShort != 0 {
				t.Error("cut short")
			}
		})
	}

	// An episode that ends inside the horizon stops the simulated steps.
	p := mustNew(t, cem.Simulator{}, cem.Config{Horizon: h, Samples: n, Iterations: 1})
	e := newPoint(0, 1)
	e.max = 4
	r, err := p.Search(context.Background(), situation(e), argmax.Budget{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Cost.Steps != 4*n {
		t.Errorf("%d steps for %d sequences of an episode with 4 steps left", r.Cost.Steps, n)
	}

	// A time budget runs at least one iteration and marks a search that
	// stopped before Config.Iterations as cut short.
	p = mustNew(t, cem.Simulator{}, cem.Config{Horizon: h, Samples: n})
	r, err = p.Search(context.Background(), situation(newPoint(0, 1)), argmax.Budget{Time: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	if r.Cost.Iterations != 1 || r.Cost.CutShort != 1 {
		t.Errorf("time budget of 1ns: %d iterations, cut short %d; want 1 and 1", r.Cost.Iterations, r.Cost.CutShort)
	}

	// A cancelled context stops the search with its error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Search(ctx, situation(newPoint(0, 1)), argmax.Budget{}); err != context.Canceled {
		t.Errorf("cancelled: error %v", err)
	}
}

// Bad configs and inputs get errors naming what is wrong.
func TestErrors(t *testing.T) {
	tests := []struct {
		cfg  cem.Config
		want string
	}{
		{cem.Config{Method: 7}, "method 7"},
		{cem.Config{Horizon: -1}, "horizon=-1"},
		{cem.Config{Samples: -2}, "samples=-2"},
		{cem.Config{Samples: 10, Elites: 11}, "elites=11"},
		{cem.Config{Smoothing: 1}, "smoothing=1"},
		{cem.Config{InitStd: -1}, "initial std=-1"},
		{cem.Config{Temperature: math.NaN()}, "temperature=NaN"},
		{cem.Config{Discount: 1.5}, "discount=1.5"},
		{cem.Config{Budget: argmax.Budget{Samples: -1}}, "negative"},
	}
	for _, tt := range tests {
		if _, err := cem.New(cem.Simulator{}, tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("config %+v: error %v, want one with %q", tt.cfg, err, tt.want)
		}
	}
	if _, err := cem.New(nil, cem.Config{}); err == nil {
		t.Error("nil model accepted")
	}
	p := mustNew(t, cem.Simulator{}, cem.Config{})
	if _, _, err := p.Decide(context.Background(), env.Situation{}, argmax.Budget{}); err == nil {
		t.Error("a situation without an env accepted")
	}
	if _, err := cem.ParseMethod("rs"); err == nil {
		t.Error(`ParseMethod("rs") accepted`)
	}
	for _, m := range []cem.Method{cem.CEM, cem.MPPI} {
		if got, err := cem.ParseMethod(m.String()); err != nil || got != m {
			t.Errorf("ParseMethod(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := (cem.Simulator{}).Evaluate(situation(newPoint(0, 0)), make([]float64, 5), 3, 0, make([]float64, 6)); err == nil {
		t.Error("Simulator accepted 5 action values for 2 sequences of 3 steps")
	}
}

// seeds is a stochastic model that records the seeds it is given and
// scores sequences by noise drawn from them.
type seeds struct{ got []uint64 }

func (m *seeds) Evaluate(s env.Situation, actions []float64, horizon int, seed uint64, rewards []float64) (argmax.Cost, error) {
	m.got = append(m.got, seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	for i := range rewards {
		rewards[i] = rng.Float64() - actions[i]*actions[i]
	}
	return argmax.Cost{}, nil
}

// A stochastic model draws from the seeds the planner passes, which
// come from Config.Seed: the same seed replays the same search, after
// Reset too.
func TestModelSeeds(t *testing.T) {
	run := func(seed uint64) (*seeds, []float64) {
		m := &seeds{}
		p := mustNew(t, m, cem.Config{Horizon: 4, Samples: 20, Iterations: 3, Seed: seed})
		var acts []float64
		for range 2 {
			p.Reset()
			for range 3 {
				a, _, err := p.Decide(context.Background(), situation(newPoint(0, 0)), argmax.Budget{})
				if err != nil {
					t.Fatal(err)
				}
				acts = append(acts, a[0])
			}
		}
		return m, acts
	}
	m1, a1 := run(5)
	m2, a2 := run(5)
	m3, _ := run(6)
	if !slices.Equal(m1.got, m2.got) || !slices.Equal(a1, a2) {
		t.Errorf("seed 5 twice: model seeds %v and %v, actions %v and %v", m1.got, m2.got, a1, a2)
	}
	if len(m1.got) != 18 || !slices.Equal(m1.got[:9], m1.got[9:]) || !slices.Equal(a1[:3], a1[3:]) {
		t.Errorf("the episode after Reset differs: seeds %v, actions %v", m1.got, a1)
	}
	if slices.Equal(m1.got, m3.got) {
		t.Error("planner seeds 5 and 6 gave the model the same seeds")
	}
	if len(slices.Compact(slices.Sorted(slices.Values(m1.got[:9])))) != 9 {
		t.Errorf("repeated model seeds within an episode: %v", m1.got[:9])
	}
}
