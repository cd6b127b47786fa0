package dynamics_test

import (
	"context"
	"fmt"
	"math"

	"argmax/amortized/dynamics"
	"argmax/env"
)

// An ensemble fitted to transitions of the linear system
// x' = A x + B u predicts it.
func Example() {
	obs := env.Box([]float64{math.Inf(-1), math.Inf(-1)}, []float64{math.Inf(1), math.Inf(1)})
	act := env.Box([]float64{-1}, []float64{1})
	cfg := dynamics.DefaultConfig()
	cfg.Members, cfg.Hidden, cfg.Epochs, cfg.Seed = 3, []int{32, 32}, 30, 1
	cfg.Reward = func(_, _, next []float64) float64 { return -next[0] * next[0] }
	e, _ := dynamics.New(obs, act, cfg)
	e.Fit(context.Background(), linear(2000, 0, 1))

	// The truth is A x + B u = (0.9·0.5 − 0.2·0.5 + 0.5·0.2,
	// −0.1·0.5 − 0.8·0.5 − 0.3·0.2) = (0.45, −0.51).
	next, r := e.Predict([]float64{0.5, -0.5}, []float64{0.2}, nil)
	err := math.Hypot(next[0]-0.45, next[1]+0.51)
	fmt.Printf("next (%.1f, %.1f), reward %.1f, error below 0.02: %v\n", next[0], next[1], r, err < 0.02)
	// Output: next (0.5, -0.5), reward -0.2, error below 0.02: true
}

// A Model simulates action sequences for a planner: here it scores two
// constant sequences from x = (0.5, 0), for the reward −x0², and prefers
// the one that pushes x0 toward 0.
func ExampleModel() {
	obs := env.Box([]float64{math.Inf(-1), math.Inf(-1)}, []float64{math.Inf(1), math.Inf(1)})
	act := env.Box([]float64{-1}, []float64{1})
	cfg := dynamics.DefaultConfig()
	cfg.Members, cfg.Hidden, cfg.Epochs, cfg.Seed = 3, []int{32, 32}, 30, 1
	cfg.Reward = func(_, _, next []float64) float64 { return -next[0] * next[0] }
	e, _ := dynamics.New(obs, act, cfg)
	e.Fit(context.Background(), linear(2000, 0, 1))

	m := &dynamics.Model{Ensemble: e, Propagation: dynamics.TS1, Particles: 5}
	const h = 3
	actions := []float64{-1, -1, -1, 1, 1, 1} // two sequences of 3 steps
	rewards := make([]float64, 2*h)
	c, _ := m.Evaluate(env.Situation{Obs: []float64{0.5, 0}}, actions, h, 1, rewards)
	ret := func(i int) float64 { return rewards[i*h] + rewards[i*h+1] + rewards[i*h+2] }
	fmt.Println("push down is better:", ret(0) > ret(1))
	fmt.Println("particle steps:", c.Steps, "forward passes:", c.ForwardPasses)
	// Output:
	// push down is better: true
	// particle steps: 30 forward passes: 30
}
