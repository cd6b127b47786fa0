package ppo_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/amortized/ppo"
	"argmax/env"
	"argmax/env/control"
)

// Train a policy on CartPole-v1 with CleanRL's defaults until the last 20
// training episodes average 200, then let it balance the pole greedily:
// each decision is one forward pass of the actor, the training was paid
// for once.
func Example() {
	ctx := context.Background()
	cartpole, _ := control.NewCartPole(control.CartPoleConfig{})
	cfg := ppo.Config{Seed: 1, Stop: ppo.Stop{Steps: 200_000, Target: ppo.Target{Return: 200, Episodes: 20}}}
	policy, stats, err := ppo.Train(ctx, cartpole, cfg, ppo.Hooks{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stopped by:", stats.Reason, "- target reached:", stats.Reached)

	var total float64
	var cost argmax.Cost
	for i := range 10 {
		ep, _ := env.Rollout(ctx, cartpole, policy, uint64(100+i), argmax.Budget{})
		total += ep.Return
		cost = cost.Add(ep.Cost)
	}
	fmt.Println("greedy mean return above 200:", total/10 > 200)
	fmt.Println("forward passes per decision:", float64(cost.ForwardPasses)/total)

	tc := policy.TrainingCost()
	fmt.Println("training counted env steps:", tc.Steps == stats.EnvSteps, "gradient steps:", tc.Iterations == stats.GradientSteps)
	// Output:
	// stopped by: target - target reached: true
	// greedy mean return above 200: true
	// forward passes per decision: 1
	// training counted env steps: true gradient steps: true
}
