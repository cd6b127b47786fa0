package cem_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/direct/cem"
	"argmax/env"
	"argmax/env/control"
)

// A planner with the true model (the situation's own env, cloned for every
// sampled sequence) pushes a tilted pendulum back toward upright.
func Example() {
	pend, _ := control.NewPendulum(control.PendulumConfig{})
	pend.SetState([]float64{0.2, 0}) // tilted by 0.2 rad, at rest
	p, _ := cem.New(cem.Simulator{}, cem.DefaultConfig())
	r, _ := p.Search(context.Background(), env.Situation{Obs: pend.Obs(), Env: pend}, argmax.Budget{})
	fmt.Printf("torque %.1f; %d sequences, %d model steps\n", r.Action[0], r.Cost.Samples, r.Cost.Steps)
	// Output: torque -1.6; 2500 sequences, 75000 model steps
}

// MPPI moves the plan to the exponentially weighted average of perturbed
// plans; on the toy line it finds the optimal first step, from 0.6 to the
// goal at 0.
func ExampleConfig_mppi() {
	p, _ := cem.New(cem.Simulator{}, cem.Config{
		Method: cem.MPPI, Horizon: 5, Samples: 500, Iterations: 10,
		Temperature: 0.03, InitStd: 0.2, Seed: 4,
	})
	r, _ := p.Search(context.Background(), situation(newPoint(0.6, 0)), argmax.Budget{})
	fmt.Printf("first action %.1f\n", r.Action[0])
	// Output: first action -0.6
}

// A Planner is an env.Policy and an env.Resetter, so env.Rollout plays an
// episode with it: here 20 steps of the pendulum, planning each with 3
// iterations of 200 sequences.
func ExamplePlanner_Decide() {
	pend, _ := control.NewPendulum(control.PendulumConfig{MaxSteps: 20})
	p, _ := cem.New(cem.Simulator{Workers: 2}, cem.Config{Samples: 200, Smoothing: 0.1, Seed: 1})
	ep, _ := env.Rollout(context.Background(), pend, p, 0, argmax.Budget{Iterations: 3})
	fmt.Printf("%d steps, %d sequences simulated, %d iterations\n", ep.Steps, ep.Cost.Samples, ep.Cost.Iterations)
	// Output: 20 steps, 12000 sequences simulated, 60 iterations
}
