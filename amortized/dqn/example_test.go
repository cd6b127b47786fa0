package dqn_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"argmax"
	"argmax/amortized/dqn"
	"argmax/env"
	"argmax/env/control"
)

// Train a Q-network on CartPole-v1 for a few thousand steps, act with it,
// and round-trip it through a checkpoint. (Solving CartPole takes about
// 40,000 env steps with the default config; this run is cut short to stay
// quick.)
func Example() {
	cartpole, err := control.NewCartPole(control.CartPoleConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := dqn.DefaultConfig()
	cfg.Steps = 2000
	cfg.EvalEvery = 0 // no greedy evaluations, so no early stop
	cfg.Seed = 1
	policy, stats, err := dqn.Train(context.Background(), cartpole, cfg, dqn.Hooks{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stopped by:", stats.Stop, "after", stats.Steps, "env steps and", stats.GradientSteps, "gradient steps")

	ep, err := env.Rollout(context.Background(), cartpole, policy, 42, argmax.Budget{})
	if err != nil {
		fmt.Println(err)
		return
	}
	perStep := ep.Cost.ForwardPasses / int64(ep.Steps)
	fmt.Println("greedy episode: forward passes per step:", perStep, "FLOPs per step:", ep.Cost.FLOPs/int64(ep.Steps))
	fmt.Println("training cost: env steps ≥ 2000:", policy.TrainingCost().Steps >= 2000,
		"gradient steps:", policy.TrainingCost().Iterations)

	dir, _ := os.MkdirTemp("", "dqn")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cartpole.safetensors")
	if err := policy.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := dqn.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	obs := cartpole.Reset(7)
	a, _, _ := policy.Decide(context.Background(), env.Situation{Obs: obs}, argmax.Budget{})
	b, _, _ := loaded.Decide(context.Background(), env.Situation{Obs: obs}, argmax.Budget{})
	fmt.Println("loaded:", loaded.EnvName(), loaded.Config().Hidden, "same action:", a[0] == b[0])
	// Output:
	// stopped by: steps after 2000 env steps and 512 gradient steps
	// greedy episode: forward passes per step: 1 FLOPs per step: 8960
	// training cost: env steps ≥ 2000: true gradient steps: 512
	// loaded: cartpole [64 64] same action: true
}
