package cem_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"argmax"
	"argmax/direct/cem"
	"argmax/env"
)

// fixed is an Initializer that writes a known distribution and counts its
// calls.
type fixed struct {
	mean, std, probs []float64
	calls            int
	err              error
}

func (f *fixed) Init(_ env.Situation, horizon int, _ uint64, mean, std, probs []float64) (argmax.Cost, error) {
	f.calls++
	copy(mean, f.mean)
	copy(std, f.std)
	copy(probs, f.probs)
	return argmax.Cost{ForwardPasses: int64(horizon)}, f.err
}

// A search starts from the distribution its Initializer writes, at every
// decision, and counts the initializer's cost; a degenerate distribution
// (std 0, one-hot probabilities) is searched as it is.
func TestInitializer(t *testing.T) {
	const h = 3
	box := &fixed{mean: []float64{0.25, -0.5, 1}, std: make([]float64, h)}
	e := newPoint(1, 0)
	p := mustNew(t, cem.Simulator{}, cem.Config{Horizon: h, Samples: 10, Iterations: 2, Seed: 1, Init: box})
	for range 2 {
		r, err := p.Search(t.Context(), env.Situation{Obs: e.Reset(1), Env: e}, argmax.Budget{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.Plan, box.mean) || r.Cost.ForwardPasses != h || r.Cost.Samples != 20 {
			t.Errorf("plan %v, cost %+v: want the initial mean %v and the initializer's %d passes", r.Plan, r.Cost, box.mean, h)
		}
	}
	if box.calls != 2 {
		t.Errorf("%d calls for 2 searches", box.calls)
	}
	// Discrete: one-hot probabilities are the plan.
	cat := &fixed{probs: []float64{0, 1, 1, 0, 0, 1}}
	d := newPoint(1, 0)
	d.levels = []float64{-0.5, 0.5}
	q := mustNew(t, cem.Simulator{}, cem.Config{Horizon: h, Samples: 10, Iterations: 1, Seed: 1, Init: cat})
	r, err := q.Search(t.Context(), env.Situation{Obs: d.Reset(1), Env: d}, argmax.Budget{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Plan, []float64{1, 0, 1}) {
		t.Errorf("discrete plan %v, want 1 0 1", r.Plan)
	}
	// Errors: the initializer's, NaN means, probabilities off 1.
	for _, f := range []*fixed{
		{mean: make([]float64, h), std: make([]float64, h), err: errors.New("boom")},
		{mean: []float64{math.NaN(), 0, 0}, std: make([]float64, h)},
		{mean: make([]float64, h), std: []float64{-1, 0, 0}},
	} {
		p := mustNew(t, cem.Simulator{}, cem.Config{Horizon: h, Samples: 4, Init: f})
		if _, err := p.Search(t.Context(), env.Situation{Obs: e.Reset(1), Env: e}, argmax.Budget{}); err == nil {
			t.Errorf("initializer %+v: no error", f)
		}
	}
	bad := &fixed{probs: []float64{0.5, 0.4, 1, 0, 0, 1}}
	q = mustNew(t, cem.Simulator{}, cem.Config{Horizon: h, Samples: 4, Init: bad})
	if _, err := q.Search(t.Context(), env.Situation{Obs: d.Reset(1), Env: d}, argmax.Budget{}); err == nil {
		t.Error("probabilities summing to 0.9: no error")
	}
}
