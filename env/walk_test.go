package env_test

import (
	"math"
	"math/rand/v2"

	"argmax/env"
)

// walk is the test env: a 1-D random walk. Its position x starts uniform in
// [-start, start] and moves by the action plus Gaussian noise of standard
// deviation sigma; the reward of a step is the new x, and the episode
// terminates when |x| reaches bound. The action is a box [-1, 1], or, when
// discrete, one of 0, 1, 2 meaning -1, 0, +1. The observation is
// [x, t, executed action, 1], t the steps taken. Performance counts the
// steps that ended with x > 0 — not the return.
type walk struct {
	discrete            bool
	sigma, start, bound float64

	x, a, perf float64
	t          int
	pcg        rand.PCG
	rng        *rand.Rand
	obs        []float64
}

func newWalk(discrete bool, sigma, start, bound float64) *walk {
	w := &walk{discrete: discrete, sigma: sigma, start: start, bound: bound, obs: make([]float64, 4)}
	w.rng = rand.New(&w.pcg)
	return w
}

// exact is a deterministic walk from 0 with a box action that ends at ±bound.
func exact(bound float64) *walk { return newWalk(false, 0, 0, bound) }

func (w *walk) Name() string { return "walk" }

func (w *walk) ObservationSpace() env.Space {
	inf := math.Inf(1)
	return env.Box([]float64{-inf, 0, -1, 1}, []float64{inf, inf, 1, 1})
}

func (w *walk) ActionSpace() env.Space {
	if w.discrete {
		return env.Discrete(3)
	}
	return env.Box([]float64{-1}, []float64{1})
}

func (w *walk) Reset(seed uint64) []float64 {
	w.pcg.Seed(seed, 0x77616c6b)
	w.x = 0 // not -0 when start is 0
	if w.start != 0 {
		w.x = w.start * (2*w.rng.Float64() - 1)
	}
	w.a, w.perf, w.t = 0, 0, 0
	return w.observe()
}

func (w *walk) Step(action []float64) ([]float64, float64, bool, bool) {
	w.a = action[0]
	if w.discrete {
		w.a--
	}
	w.x += w.a + w.sigma*w.rng.NormFloat64()
	w.t++
	if w.x > 0 {
		w.perf++
	}
	return w.observe(), w.x, math.Abs(w.x) >= w.bound, false
}

func (w *walk) observe() []float64 {
	w.obs[0], w.obs[1], w.obs[2], w.obs[3] = w.x, float64(w.t), w.a, 1
	return w.obs
}

func (w *walk) Clone() env.Env {
	c := *w
	c.rng = rand.New(&c.pcg)
	c.obs = append([]float64(nil), w.obs...)
	return &c
}

func (w *walk) Performance() float64 { return w.perf }

// must unwraps a constructor's result in tests and examples.
func must(e env.Env, err error) env.Env {
	if err != nil {
		panic(err)
	}
	return e
}
