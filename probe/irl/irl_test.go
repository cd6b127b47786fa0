package irl_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"argmax/direct/valueiter"
	"argmax/probe/irl"
)

const horizon = 15

var doorMinusRed = irl.Difference("is_door", "is_red")

// shift is the direction that adds the same reward to every object of
// the layouts: the objects end the episode, so when every episode surely
// ends on one (a shortest-path agent) it changes no choice, and only the
// differences between object weights are determined.
var shift = []float64{1 / math.Sqrt(3), 1 / math.Sqrt(3), 1 / math.Sqrt(3), 0}

// objectCosine is the cosine of two weight vectors on the object
// features (door, red, gem), both taken modulo the shift; the step weight
// — the agent's time preference, which a shortest-path agent does not pin
// beyond "large enough" — is left out.
func objectCosine(a, b []float64) float64 {
	mod := func(v []float64) []float64 {
		var p float64
		for k := range v {
			p += v[k] * shift[k]
		}
		out := slices.Clone(v[:fStep])
		for k := range out {
			out[k] -= p * shift[k]
		}
		return out
	}
	return irl.Cosine(mod(a), mod(b))
}

// information is vᵀFv/λ_max: the Fisher information along the unit
// vector v relative to the best-determined direction.
func information(res *irl.Result, v []float64) float64 {
	n := len(v)
	var q float64
	for j := range n {
		for k := range n {
			q += v[j] * res.Fisher[j*n+k] * v[k]
		}
	}
	return q / res.Eigenvalues[n-1]
}

// Demonstrations sampled from the soft-optimal policy of planted weights
// give back those weights: cosine ≥ 0.98 with 4000 demonstrations (40
// layouts × 100; the weakest direction, the shift of all object rewards,
// is determined only by how often the soft agents run out of time, and
// carries about 0.01 nats of information per demonstration), every
// direction determined.
func TestPlantedWeights(t *testing.T) {
	for _, c := range []struct {
		name string
		seed uint64
		w    []float64
	}{
		{"door-seeking", 1, []float64{2, -1, 1, -0.3}},
		{"red-seeking", 2, []float64{-1, 2, 0.5, -0.5}},
		{"gem-seeking", 3, []float64{0.5, -1, 2, -0.3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := scenario(c.seed, 6, 40, 100, horizon, distinct, planted(c.w, horizon))
			res, err := irl.Fit(p, irl.Config{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			cos := irl.Cosine(res.W, c.w)
			t.Logf("w = %.3f (planted %v): cosine %.4f, %d iterations, %v", res.W, c.w, cos, res.Iterations, res.Elapsed)
			if !res.Converged || res.GradNorm > irl.DefaultGradTol {
				t.Errorf("not converged: |grad| %g after %d iterations", res.GradNorm, res.Iterations)
			}
			if cos < 0.98 {
				t.Errorf("cosine with the planted weights %.4f, want ≥ 0.98", cos)
			}
			if len(res.Null) != 0 {
				t.Errorf("undetermined directions %v, want none", res.Null)
			}
			// The fitted policy reproduces the demonstrations' feature
			// counts up to the prior's pull.
			for k := range res.W {
				if d := math.Abs(res.Empirical[k] - res.Expected[k]); d > 0.01 {
					t.Errorf("feature %s: empirical %.4f, expected %.4f", features[k], res.Empirical[k], res.Expected[k])
				}
			}
		})
	}
}

// Deterministic shortest-path agents to the door or to the red key, on
// layouts where they are different cells: the recovered weights point
// at the planted goal (+1 on is_door, or on is_red) with cosine ≥ 0.95 on
// the object features (objectCosine), and the door − red contrast has
// the agent's sign.
func TestScriptedAgents(t *testing.T) {
	for _, c := range []struct {
		name  string
		agent func(level, *rand.Rand) func(t, s int) int
		goal  int
	}{
		{"door seeker", doorSeeker, fDoor},
		{"red seeker", redSeeker, fRed},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := scenario(7, 6, 20, 10, horizon, distinct, c.agent)
			res, err := irl.Fit(p, irl.Config{Workers: 2, Contrasts: []irl.Contrast{doorMinusRed}})
			if err != nil {
				t.Fatal(err)
			}
			dir := make([]float64, len(features))
			dir[c.goal] = 1
			cos := objectCosine(res.W, dir)
			con, _ := res.Contrast(doorMinusRed.Name)
			t.Logf("w = %.3f: cosine %.4f, door-red %.3f ± %.3f, log-likelihood %.4f, %d iterations, %v",
				res.W, cos, con.Value, con.SE, res.LogLik, res.Iterations, res.Elapsed)
			if !res.Converged {
				t.Errorf("not converged: |grad| %g", res.GradNorm)
			}
			if cos < 0.95 {
				t.Errorf("cosine with the planted direction %.4f, want ≥ 0.95", cos)
			}
			if !con.Identifiable || (c.goal == fDoor) != (con.Value > 0) {
				t.Errorf("door-red = %.3f (identifiable %v): want the sign of the %s", con.Value, con.Identifiable, c.name)
			}
			other := fRed
			if c.goal == fRed {
				other = fDoor
			}
			if cw := objectCosine(res.W, unit(other)); cw > 0 {
				t.Errorf("cosine with the other goal %.3f, want < 0", cw)
			}
			if info := information(res, shift); info > 1e-4 {
				t.Errorf("relative information %.2g along the shift of the object rewards, want it nearly undetermined", info)
			}
		})
	}
}

func unit(k int) []float64 {
	v := make([]float64, len(features))
	v[k] = 1
	return v
}

// The door seeker on layouts where every door is red (is_door = is_red on
// every state) cannot be told from a red seeker: the direction door − red
// is flagged, the two weights come out equal and the contrast's interval
// is unbounded. On layouts where they differ, the same agent's contrast
// is determined, positive and narrow.
func TestIdentifiability(t *testing.T) {
	for _, c := range []struct {
		name     string
		objs     []object
		separate bool
	}{
		{"door is red", coincide, false},
		{"door and red apart", distinct, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := scenario(11, 6, 10, 20, horizon, c.objs, doorSeeker)
			res, err := irl.Fit(p, irl.Config{Workers: 2, Contrasts: []irl.Contrast{doorMinusRed}, Bootstrap: 16, Seed: 5})
			if err != nil {
				t.Fatal(err)
			}
			con, _ := res.Contrast(doorMinusRed.Name)
			door, _ := res.Weight("is_door")
			red, _ := res.Weight("is_red")
			t.Logf("%s\nbootstrap door-red [%.3f, %.3f], %v in all", res, con.BootLo, con.BootHi, res.Total)
			if res.BootstrapUnconverged > 0 {
				t.Errorf("%d bootstrap fits did not converge", res.BootstrapUnconverged)
			}
			flagged := false
			for _, d := range res.Null {
				if math.Abs(irl.Cosine(d.Vector, []float64{1, -1, 0, 0})) > 0.999 {
					flagged = true
				}
			}
			if c.separate {
				if flagged || !con.Identifiable {
					t.Errorf("door-red flagged on layouts where they differ (null %v)", res.Null)
				}
				if !(con.Lo > 0) || con.Hi-con.Lo > 0.3*con.Value || math.IsInf(con.SE, 0) {
					t.Errorf("door-red = %.3f, interval [%.3f, %.3f], SE %.3f: want a positive, narrow interval", con.Value, con.Lo, con.Hi, con.SE)
				}
				return
			}
			if !flagged {
				t.Errorf("door-red not among the undetermined directions %v", res.Null)
			}
			if con.Identifiable || door.Identifiable || red.Identifiable {
				t.Errorf("door-red, door and red flagged identifiable %v %v %v, want not", con.Identifiable, door.Identifiable, red.Identifiable)
			}
			if !math.IsInf(con.Lo, -1) || !math.IsInf(con.Hi, 1) || !math.IsInf(con.SE, 1) {
				t.Errorf("door-red interval [%g, %g], SE %g: want unbounded", con.Lo, con.Hi, con.SE)
			}
			if d := math.Abs(door.Value - red.Value); d > 1e-6*math.Abs(door.Value) {
				t.Errorf("w_door = %g, w_red = %g: want equal weights", door.Value, red.Value)
			}
			if step, _ := res.Weight("step"); !step.Identifiable {
				t.Errorf("the step weight flagged: %+v", step)
			}
		})
	}
}

// The gradient is exactly the derivative of the log-likelihood (central
// differences), and on deterministic gridworlds the log-likelihood equals
// the dual.
func TestGradientMatchesFiniteDifferences(t *testing.T) {
	for _, c := range []struct {
		name string
		p    *irl.Problem
		w    []float64
	}{
		{"planted demos", scenario(3, 6, 4, 10, horizon, distinct, planted([]float64{1, -1, 0.5, -0.2}, horizon)), []float64{0.7, -0.3, 0.2, -0.4}},
		{"scripted demos, large weights", scenario(4, 6, 4, 10, horizon, distinct, doorSeeker), []float64{6, -3, -3, -2.5}},
		{"coincident features", scenario(5, 6, 4, 10, horizon, coincide, redSeeker), []float64{0.5, 1, -1, 0.1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, err := c.p.Likelihood(c.w)
			if err != nil {
				t.Fatal(err)
			}
			if d := math.Abs(l.LogLik - l.Dual); d > 1e-9*math.Abs(l.LogLik) {
				t.Errorf("log-likelihood %.12g, dual %.12g", l.LogLik, l.Dual)
			}
			const h = 1e-5
			for k := range c.w {
				plus, minus := slices.Clone(c.w), slices.Clone(c.w)
				plus[k] += h
				minus[k] -= h
				lp, err := c.p.Likelihood(plus)
				if err != nil {
					t.Fatal(err)
				}
				lm, _ := c.p.Likelihood(minus)
				fd := (lp.LogLik - lm.LogLik) / (2 * h)
				if d := math.Abs(fd - l.Grad[k]); d > 1e-6*(1+math.Abs(fd)) {
					t.Errorf("feature %s: gradient %.9g, finite differences %.9g", features[k], l.Grad[k], fd)
				}
			}
		})
	}
}

// The Fisher information is the covariance of the feature counts under
// the fitted policy, computed here by enumerating every episode of a 3×3
// grid over a horizon of 4.
func TestFisherIsFeatureCountCovariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	lv := makeLevel(rng, 3, []object{{door: true}, {red: true}})
	const h = 4
	p := &irl.Problem{Features: features, Envs: []irl.Env{lv.env}, Horizon: h}
	agent := softAgent(lv, []float64{1, -0.5, 0, -0.3}, h, rng)
	for range 40 {
		p.Demos = append(p.Demos, rollout(lv, 0, lv.starts[rng.IntN(len(lv.starts))], h, agent))
	}
	res, err := irl.Fit(p, irl.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	pol, err := irl.SoftPolicy(lv.env, res.W, h)
	if err != nil {
		t.Fatal(err)
	}
	nF, size := len(features), lv.grid.NumStates()*4
	want := make([]float64, nF*nF)
	for _, d := range p.Demos {
		// E[f], E[f fᵀ] over every episode from d's start.
		mean, second := make([]float64, nF), make([]float64, nF*nF)
		var walk func(step, s int, prob float64, f []float64)
		walk = func(step, s int, prob float64, f []float64) {
			if step == h || (step > 0 && lv.grid.terminal[s]) {
				for j := range nF {
					mean[j] += prob * f[j]
					for k := range nF {
						second[j*nF+k] += prob * f[j] * f[k]
					}
				}
				return
			}
			for a := range 4 {
				pa := pol[step*size+s*4+a]
				n := lv.grid.next(s, a)
				g := slices.Clone(f)
				for k := range nF {
					g[k] += lv.env.Features[n*nF+k]
				}
				walk(step+1, n, prob*pa, g)
			}
		}
		walk(0, d.States[0], 1, make([]float64, nF))
		for j := range nF {
			for k := range nF {
				want[j*nF+k] += (second[j*nF+k] - mean[j]*mean[k]) / float64(len(p.Demos))
			}
		}
	}
	for i := range want {
		if d := math.Abs(res.Fisher[i] - want[i]); d > 1e-6*(1+math.Abs(want[i])) {
			t.Errorf("Fisher[%d][%d] = %.9g, covariance of the feature counts %.9g", i/nF, i%nF, res.Fisher[i], want[i])
		}
	}
	// Eigen-decomposition: F v = λ v for every pair, ascending.
	for i, v := range res.Eigenvectors {
		for j := range nF {
			var fv float64
			for k := range nF {
				fv += res.Fisher[j*nF+k] * v[k]
			}
			if d := math.Abs(fv - res.Eigenvalues[i]*v[j]); d > 1e-10 {
				t.Errorf("eigenpair %d: (Fv − λv)[%d] = %g", i, j, d)
			}
		}
		if i > 0 && res.Eigenvalues[i] < res.Eigenvalues[i-1] {
			t.Errorf("eigenvalues not ascending: %v", res.Eigenvalues)
		}
	}
}

// The same seed gives the same bootstrap, bit for bit, at any worker
// count; another seed another one.
func TestBootstrapDeterministic(t *testing.T) {
	p := scenario(13, 6, 6, 8, horizon, distinct, planted([]float64{1, -0.5, 0.5, -0.3}, horizon))
	run := func(workers int, seed uint64) *irl.Result {
		res, err := irl.Fit(p, irl.Config{Workers: workers, Bootstrap: 6, Seed: seed, Contrasts: []irl.Contrast{doorMinusRed}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	one, two, other := run(1, 3), run(2, 3), run(2, 4)
	if !reflect.DeepEqual(one.W, two.W) || !reflect.DeepEqual(one.Samples, two.Samples) || !reflect.DeepEqual(one.Contrasts, two.Contrasts) {
		t.Errorf("1 and 2 workers differ: %v vs %v", one.Samples, two.Samples)
	}
	if reflect.DeepEqual(one.Samples, other.Samples) {
		t.Error("seeds 3 and 4 gave the same resamples")
	}
}

// Bad input gets an error naming it.
func TestBadInput(t *testing.T) {
	good := func() *irl.Problem { return scenario(17, 6, 2, 3, horizon, distinct, doorSeeker) }
	cases := []struct {
		name   string
		mutate func(p *irl.Problem)
		cfg    irl.Config
		want   string
	}{
		{"no features", func(p *irl.Problem) { p.Features = nil }, irl.Config{}, "no features"},
		{"duplicate feature", func(p *irl.Problem) { p.Features = []string{"a", "b", "a", "c"} }, irl.Config{}, `both named "a"`},
		{"feature width", func(p *irl.Problem) { p.Envs[1].Features = p.Envs[1].Features[:35*4] }, irl.Config{}, "env 1: 140 feature values for 36 states × 4 features"},
		{"NaN feature", func(p *irl.Problem) { p.Envs[0].Features[4*3+2] = math.NaN() }, irl.Config{}, `feature "is_gem" of state 3 is NaN`},
		{"nil table", func(p *irl.Problem) { p.Envs[0].Table = nil }, irl.Config{}, "env 0 has no table"},
		{"no demos", func(p *irl.Problem) { p.Demos = nil }, irl.Config{}, "no demonstrations"},
		{"empty demo", func(p *irl.Problem) { p.Demos[2] = irl.Demo{States: []int{3}} }, irl.Config{}, "demo 2: empty demonstration"},
		{"unknown env", func(p *irl.Problem) { p.Demos[1].Env = 5 }, irl.Config{}, "demo 1: environment 5: want one of 0..1"},
		{"state out of range", func(p *irl.Problem) { p.Demos[0].States[0] = 36 }, irl.Config{}, "demo 0: state 36 at step 0: out of range for env 0 (states 0..35)"},
		{"action out of range", func(p *irl.Problem) { p.Demos[0].Actions[0] = 4 }, irl.Config{}, "demo 0: action 4 at step 0: out of range"},
		{"state count", func(p *irl.Problem) { p.Demos[0].States = p.Demos[0].States[:1] }, irl.Config{}, "demo 0: 1 states for"},
		{"impossible step", func(p *irl.Problem) { d := &p.Demos[0]; d.Actions[0] = (d.Actions[0] + 2) % 4 }, irl.Config{}, "demo 0: step 0: env 0 has no"},
		{"not terminated", func(p *irl.Problem) { p.Demos[0].Terminated = false }, irl.Config{}, "without terminating, but the horizon is 15"},
		{"longer than horizon", func(p *irl.Problem) { p.Horizon = 1 }, irl.Config{}, "longer than the horizon of 1"},
		{"contrast feature", func(*irl.Problem) {}, irl.Config{Contrasts: []irl.Contrast{irl.Difference("is_door", "is_blue")}}, `unknown feature "is_blue"`},
		{"init width", func(*irl.Problem) {}, irl.Config{Init: []float64{1, 2}}, "Init: 2 weights for 4 features"},
		{"bootstrap of one", func(*irl.Problem) {}, irl.Config{Bootstrap: 1}, "Bootstrap=1"},
		{"level", func(*irl.Problem) {}, irl.Config{Level: 1.5}, "Level=1.5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := good()
			c.mutate(p)
			_, err := irl.Fit(p, c.cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	if _, err := good().Likelihood([]float64{1}); err == nil || !strings.Contains(err.Error(), "1 weights for 4 features") {
		t.Errorf("Likelihood with 1 weight: error %v", err)
	}
	if _, err := irl.SoftPolicy(good().Envs[0], []float64{1, 2, 3}, 5); err == nil || !strings.Contains(err.Error(), "3 weights for 4 features") {
		t.Errorf("SoftPolicy with 3 weights: error %v", err)
	}
}

// BenchmarkFit fits one problem of the scale the probe is meant for — 50
// random 10×10 levels (100 states, 4 actions), 250 shortest-path
// demonstrations, horizon 40 — on one worker, and reports the iterations,
// the evaluations of the objective and, as the ratio that travels
// between machines, the fit's time over that of one soft sweep of every
// level's table timed in the same run (x-sweep).
func BenchmarkFit(b *testing.B) {
	p := scenario(21, 10, 50, 5, 40, distinct, doorSeeker)
	start := time.Now()
	const reps = 20
	for range reps {
		for _, e := range p.Envs {
			if _, err := valueiter.SoftValueIteration(e.Table, valueiter.Config{Gamma: 1, MaxSweeps: 1}, 1); err != nil {
				b.Fatal(err)
			}
		}
	}
	sweep := time.Since(start).Seconds() / reps
	var iters, evals int
	for b.Loop() {
		res, err := irl.Fit(p, irl.Config{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		iters, evals = res.Iterations, res.Evaluations
	}
	b.ReportMetric(float64(iters), "iters/op")
	b.ReportMetric(float64(evals), "evals/op")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/sweep, "x-sweep")
}
