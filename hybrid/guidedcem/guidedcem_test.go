package guidedcem_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"argmax"
	"argmax/direct/cem"
	"argmax/env"
	"argmax/env/control"
	"argmax/hybrid/guidedcem"
)

// pendulumPPO loads the pendulum checkpoint with its recorded value scale.
func pendulumPPO(t testing.TB) *guidedcem.PPO {
	t.Helper()
	a := loadPPO(t, "pendulum.safetensors")
	b, err := os.ReadFile(filepath.Join("testdata", "pendulum.scale"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetValueScale(s); err != nil {
		t.Fatal(err)
	}
	return a
}

var smallSearch = cem.Config{Horizon: 10, Samples: 64, Iterations: 2, Smoothing: 0.1, Seed: 1}

// With a PPO policy trained briefly on Pendulum-v1, guided CEM at a small
// budget (64 samples × 2 iterations, horizon 10, the true model) beats
// plain CEM at the same budget (which, with its short horizon and no
// terminal value, cannot see the swing-up through), beats the policy it
// starts from, and the terminal value does not hurt the proposal alone.
func TestPendulumGuidedBeatsPlain(t *testing.T) {
	if testing.Short() {
		t.Skip("plays 32 pendulum episodes")
	}
	a := pendulumPPO(t)
	seeds := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	plain := must(cem.New(cem.Simulator{}, smallSearch))
	amortized := must(guidedcem.New(guidedcem.EnvModel{}, a, a, guidedcem.Config{Search: smallSearch}))
	noValue := must(guidedcem.New(guidedcem.EnvModel{}, a, nil, guidedcem.Config{Search: smallSearch, Refine: 2}))
	guided := must(guidedcem.New(guidedcem.EnvModel{}, a, a, guidedcem.Config{Search: smallSearch, Refine: 2}))
	rPlain, _, _ := returns(t, pendulum(), plain, seeds)
	rPPO, _, _ := returns(t, pendulum(), amortized, seeds)
	rNoValue, _, _ := returns(t, pendulum(), noValue, seeds)
	rGuided, cGuided, _ := returns(t, pendulum(), guided, seeds)
	decisions := float64(len(seeds) * control.PendulumMaxSteps)
	t.Logf("mean return over %d seeds: ppo %.1f, plain cem %.1f, guided without value %.1f, guided %.1f (%.0f model steps, %.0f forward passes a decision)",
		len(seeds), rPPO, rPlain, rNoValue, rGuided, float64(cGuided.Steps)/decisions, float64(cGuided.ForwardPasses)/decisions)
	if !(rGuided >= rPlain+100) {
		t.Errorf("guided %.1f, plain CEM %.1f: want guided better by 100", rGuided, rPlain)
	}
	if !(rGuided >= rPPO+50) {
		t.Errorf("guided %.1f, ppo alone %.1f: want guided better by 50", rGuided, rPPO)
	}
	if !(rGuided >= rNoValue) {
		t.Errorf("guided %.1f, without the terminal value %.1f: want the value not to hurt", rGuided, rNoValue)
	}
}

// With Refine = 0 and no budget the planner answers with the policy's own
// action, at the cost of its one forward pass; any budget makes it search.
func TestZeroRefineIsThePolicy(t *testing.T) {
	for _, file := range []string{"pendulum.safetensors", "cartpole.safetensors"} {
		a := loadPPO(t, file)
		var e env.Env = pendulum()
		if strings.HasPrefix(file, "cartpole") {
			e = must(control.NewCartPole(control.CartPoleConfig{}))
		}
		g := must(guidedcem.New(guidedcem.EnvModel{}, a, nil, guidedcem.Config{Search: smallSearch}))
		obs := e.Reset(3)
		for step := range 20 {
			s := env.Situation{Obs: obs, Env: e}
			got, c, err := g.Decide(context.Background(), s, argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			want, pc, _ := a.Policy().Decide(context.Background(), s, argmax.Budget{})
			if !slices.Equal(got, want) {
				t.Fatalf("%s step %d: action %v, the policy's %v", file, step, got, want)
			}
			if c != pc || c.ForwardPasses != 1 || c.FLOPs <= 0 || c.Steps != 0 {
				t.Fatalf("%s: cost %+v, the policy's %+v: want one forward pass and no model step", file, c, pc)
			}
			obs, _, _, _ = e.Step(got)
		}
		_, c, err := g.Decide(context.Background(), env.Situation{Obs: obs, Env: e}, argmax.Budget{Iterations: 1})
		if err != nil {
			t.Fatal(err)
		}
		if c.Iterations != 1 || c.Samples != int64(smallSearch.Samples) {
			t.Errorf("%s: with a budget of one iteration, cost %+v", file, c)
		}
	}
}

// A decision's cost counts both halves: the proposal's H actor passes and
// H−1 model steps, then per iteration the samples' H model steps each and
// one critic pass per sample still running at the horizon.
func TestCost(t *testing.T) {
	a := pendulumPPO(t)
	g := must(guidedcem.New(guidedcem.EnvModel{}, a, a, guidedcem.Config{Search: smallSearch, Refine: 2}))
	e := pendulum()
	obs := e.Reset(1)
	_, c, err := g.Decide(context.Background(), env.Situation{Obs: obs, Env: e}, argmax.Budget{})
	if err != nil {
		t.Fatal(err)
	}
	h, n := int64(smallSearch.Horizon), int64(smallSearch.Samples)
	want := argmax.Cost{Steps: h - 1 + 2*n*h, ForwardPasses: h + 2*n, Iterations: 2, Samples: 2 * n}
	got := c
	got.FLOPs = 0
	if got != want || c.FLOPs <= 0 {
		t.Errorf("cost %+v, want %+v and FLOPs", c, want)
	}
	_, pc, _ := a.Policy().Decide(context.Background(), env.Situation{Obs: obs}, argmax.Budget{})
	_, vc, _ := a.Value(obs)
	if c.FLOPs != h*pc.FLOPs+2*n*vc.FLOPs {
		t.Errorf("FLOPs %d, want %d actor passes of %d and %d critic passes of %d", c.FLOPs, h, pc.FLOPs, 2*n, vc.FLOPs)
	}
}

// On cart-pole (discrete actions) the categorical CEM starts from the
// policy's probabilities along its rollout, and keeps every episode to the
// time limit, where plain CEM at the same budget falls. With the terminal
// value the episodes end early: the search steers toward states the
// briefly trained critic overrates (it saw few states near the track's
// ends) — a learned value is an objective the direct half optimizes
// against, errors included. The figure is logged, not asserted.
func TestCartPoleGuided(t *testing.T) {
	if testing.Short() {
		t.Skip("plays cart-pole episodes")
	}
	a := loadPPO(t, "cartpole.safetensors")
	e := must(control.NewCartPole(control.CartPoleConfig{}))
	seeds := []uint64{1, 2, 3, 4}
	search := cem.Config{Horizon: 10, Samples: 32, Iterations: 2, Smoothing: 0.1, Seed: 1}
	amortized := must(guidedcem.New(guidedcem.EnvModel{}, a, nil, guidedcem.Config{Search: search}))
	plain := must(cem.New(cem.Simulator{}, search))
	guided := must(guidedcem.New(guidedcem.EnvModel{}, a, nil, guidedcem.Config{Search: search, Refine: 2}))
	valued := must(guidedcem.New(guidedcem.EnvModel{}, a, a, guidedcem.Config{Search: search, Refine: 2}))
	rPPO, _, _ := returns(t, e, amortized, seeds)
	rPlain, _, _ := returns(t, e, plain, seeds)
	rGuided, _, _ := returns(t, e, guided, seeds)
	rValued, _, _ := returns(t, e, valued, seeds)
	t.Logf("cart-pole mean return over %d seeds: ppo %.1f, plain cem %.1f, guided %.1f, guided with the critic %.1f", len(seeds), rPPO, rPlain, rGuided, rValued)
	if rGuided != 500 || !(rPlain < 500) {
		t.Errorf("guided %.1f, plain %.1f: want guided at the time limit, plain below", rGuided, rPlain)
	}
}

// constant is an env of reward −1 at every step, truncated at 200 steps:
// its discounted return from step t is known in closed form.
type constant struct{ t int }

func (c *constant) Name() string                { return "constant" }
func (c *constant) ObservationSpace() env.Space { return env.Box([]float64{0}, []float64{200}) }
func (c *constant) ActionSpace() env.Space      { return env.Box([]float64{-1}, []float64{1}) }
func (c *constant) Reset(uint64) []float64      { c.t = 0; return []float64{0} }
func (c *constant) Step([]float64) ([]float64, float64, bool, bool) {
	c.t++
	return []float64{float64(c.t)}, -1, false, c.t >= 200
}
func (c *constant) Clone() env.Env       { d := *c; return &d }
func (c *constant) Performance() float64 { return -float64(c.t) }

// scaled is a critic that knows the infinite-horizon value −1/(1−γ) of
// the constant env, divided by a factor.
type scaled struct{ div float64 }

func (s scaled) Value([]float64) (float64, argmax.Cost, error) {
	return -1 / (1 - 0.99) / s.div, argmax.Cost{ForwardPasses: 1}, nil
}

type zeroPolicy struct{}

func (zeroPolicy) Decide(context.Context, env.Situation, argmax.Budget) ([]float64, argmax.Cost, error) {
	return []float64{0}, argmax.Cost{}, nil
}

// FitValueScale recovers the factor by which a critic's values were
// divided, exactly when the critic is right up to that factor.
func TestFitValueScale(t *testing.T) {
	zero := zeroPolicy{}
	for _, div := range []float64{1, 7, 146} {
		for _, n := range []int{1, 20, 500} {
			fit, err := guidedcem.FitValueScale(context.Background(), scaled{div}, zero, &constant{}, []uint64{1, 2}, n, 0.99)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(fit.Scale-div) > 1e-9*div || math.Abs(fit.R2-1) > 1e-9 || fit.Samples != 400 {
				t.Errorf("div %v, lookahead %d: %+v, want scale %v, R² 1, 400 samples", div, n, fit, div)
			}
		}
	}
}

// ScaleRecorder replays ppo's statistic: the variance of the running
// discounted returns of every clone's episodes, with ppo's prior.
func TestScaleRecorder(t *testing.T) {
	const g = 0.9
	rec := guidedcem.RecordScale(&constant{}, g)
	a, b := rec.Clone(), rec.Clone()
	var rets []float64
	for _, e := range []env.Env{a, b} {
		e.Reset(0)
		ret := 0.0
		for range 250 { // past the end: the return restarts after 200
			_, r, _, trunc := e.Step([]float64{0})
			ret = ret*g + r
			rets = append(rets, ret)
			if trunc {
				ret = 0
				e.Reset(0)
			}
		}
	}
	// The prior (mean 0, variance 1, weight 1e-4) and the data, directly.
	w := 1e-4
	mean := 0.0
	for _, r := range rets {
		mean += r
	}
	n := float64(len(rets))
	mean /= n + w
	v := w * (1 + mean*mean)
	for _, r := range rets {
		v += (r - mean) * (r - mean)
	}
	want := math.Sqrt(v/(n+w) + 1e-8)
	if got := rec.Scale(); math.Abs(got-want) > 1e-12*want || rec.Steps() != 500 {
		t.Errorf("scale %v after %d steps, want %v after 500", got, rec.Steps(), want)
	}
}

// The recorded reward scale of the testdata policy and the scale fitted
// from its rollouts agree to within a factor of 3 (the critic of a
// briefly trained policy lags behind it), and the calibration reports
// what it cost.
func TestCalibrate(t *testing.T) {
	a := loadPPO(t, "pendulum.safetensors")
	if _, _, err := a.Value([]float64{1, 0, 0}); err == nil {
		t.Error("a NormReward critic answered before its scale was set")
	}
	fit, err := a.Calibrate(context.Background(), pendulum(), []uint64{100, 101, 102, 103}, 50)
	if err != nil {
		t.Fatal(err)
	}
	rec := pendulumPPO(t).ValueScale()
	t.Logf("fitted scale %.1f (R² %.2f, %d samples), recorded σ %.1f", fit.Scale, fit.R2, fit.Samples, rec)
	if !(fit.Scale > rec/3 && fit.Scale < 3*rec) || fit.R2 < 0.3 || fit.Samples != 800 || fit.Cost.ForwardPasses == 0 {
		t.Errorf("fit %+v against recorded σ %v", fit, rec)
	}
	if a.ValueScale() != fit.Scale {
		t.Error("Calibrate did not set the scale")
	}
}

func TestNewErrors(t *testing.T) {
	a := loadPPO(t, "cartpole.safetensors")
	for name, f := range map[string]func() error{
		"nil model": func() error { _, err := guidedcem.New(nil, a, nil, guidedcem.Config{}); return err },
		"nil actor": func() error { _, err := guidedcem.New(guidedcem.EnvModel{}, nil, nil, guidedcem.Config{}); return err },
		"refine": func() error {
			_, err := guidedcem.New(guidedcem.EnvModel{}, a, nil, guidedcem.Config{Refine: -1})
			return err
		},
		"discount": func() error {
			_, err := guidedcem.New(guidedcem.EnvModel{}, a, nil, guidedcem.Config{Discount: 2})
			return err
		},
		"search": func() error {
			_, err := guidedcem.New(guidedcem.EnvModel{}, a, nil, guidedcem.Config{Search: cem.Config{Samples: -1}})
			return err
		},
		"value scale": func() error { return a.SetValueScale(-1) },
	} {
		if f() == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
