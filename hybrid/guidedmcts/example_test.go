package guidedmcts_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/amortized/ppo"
	"argmax/direct/mcts"
	"argmax/env"
	"argmax/env/control"
	"argmax/hybrid/guidedmcts"
)

// A PPO policy trained briefly on Pendulum-v1 guides Monte Carlo tree
// search over the true simulator: its Gaussian, discretized into the
// planner's 5 torques, is PUCT's prior, and its critic (converted to
// reward units) values the leaves instead of rollouts. Twenty
// simulations a decision swing the pendulum up faster than the policy
// alone.
func Example() {
	p, err := ppo.Load("../guidedcem/testdata/pendulum.safetensors")
	if err != nil {
		fmt.Println(err)
		return
	}
	prior, _ := guidedmcts.New(p, guidedmcts.Config{Value: true})
	// ../guidedcem/testdata/pendulum.scale: the σ of ppo's reward scaler, recorded in
	// training; Calibrate fits the factor from episodes instead.
	prior.SetValueScale(146.1)
	planner, err := guidedmcts.NewPlanner(prior, mcts.EnvConfig{ModelConfig: mcts.ModelConfig{Seed: 1, Budget: argmax.Budget{Simulations: 20}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	e, _ := control.NewPendulum(control.PendulumConfig{})
	alone, _ := env.Rollout(context.Background(), e, p, 1, argmax.Budget{})
	guided, _ := env.Rollout(context.Background(), e, planner, 1, argmax.Budget{})
	c := guided.Cost
	fmt.Printf("%d decisions of %d simulations, %d forward passes a decision at most (actor and critic, the root and each leaf)\n",
		guided.Steps, c.Simulations/int64(guided.Steps), 2*(c.Simulations/int64(guided.Steps)+1))
	fmt.Println("forward passes within that:", c.ForwardPasses <= 2*(c.Simulations+int64(guided.Steps)), "- no rollouts:", c.Samples == 0)
	// The returns vary in their last digits with the machine's kernels
	// (about -652 alone and -360 guided on one).
	fmt.Println("the search beats the policy alone:", guided.Return > alone.Return+100)
	// Output:
	// 200 decisions of 20 simulations, 42 forward passes a decision at most (actor and critic, the root and each leaf)
	// forward passes within that: true - no rollouts: true
	// the search beats the policy alone: true
}
