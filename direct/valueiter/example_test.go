package valueiter_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/direct/valueiter"
	"argmax/env"
	"argmax/env/toytext"
)

// Value iteration on Gymnasium's slippery FrozenLake-v1: the optimal
// start value at γ = 0.99, the greedy action of every cell, and an
// episode played by the solved table as an env.Policy.
func Example() {
	lake, err := toytext.NewFrozenLake(toytext.FrozenLakeConfig{})
	if err != nil {
		panic(err)
	}
	tab, err := valueiter.NewTable(lake)
	if err != nil {
		panic(err)
	}
	sol, err := valueiter.ValueIteration(tab, valueiter.Config{Gamma: 0.99})
	if err != nil {
		panic(err)
	}
	fmt.Printf("V*(start) = %.4f, converged %v\n", sol.StartValue(), sol.Converged)
	arrows := "<v>^"
	for s, a := range sol.Greedy() {
		fmt.Print(string(arrows[a]))
		if s%4 == 3 {
			fmt.Println()
		}
	}
	policy, err := valueiter.NewPolicy(sol, 0)
	if err != nil {
		panic(err)
	}
	ep, err := env.Rollout(context.Background(), lake, policy, 3, argmax.Budget{})
	if err != nil {
		panic(err)
	}
	fmt.Println("episode return:", ep.Return, "solve sweeps:", policy.TrainingCost().Iterations == int64(sol.Sweeps))
	// Output:
	// V*(start) = 0.5420, converged true
	// <^^^
	// <<<<
	// ^v<<
	// <>v<
	// episode return: 1 solve sweeps: true
}

// Soft value iteration and the forward pass of MaxEnt inverse RL, on a
// reward given as features times weights: here one feature, "is the goal".
func ExampleVisitation() {
	lake, err := toytext.NewFrozenLake(toytext.FrozenLakeConfig{Deterministic: true})
	if err != nil {
		panic(err)
	}
	tab, err := valueiter.NewTable(lake)
	if err != nil {
		panic(err)
	}
	features := make([]float64, tab.NumStates())
	features[15] = 1
	rewarded, err := tab.WithFeatureRewards(features, []float64{1})
	if err != nil {
		panic(err)
	}
	soft, err := valueiter.SoftValueIteration(rewarded, valueiter.Config{Gamma: 0.9}, 0.01)
	if err != nil {
		panic(err)
	}
	d, err := valueiter.Visitation(rewarded, soft.Policy(), 10, valueiter.Once)
	if err != nil {
		panic(err)
	}
	fmt.Printf("expected visits of the goal within 10 steps: %.3f\n", d[15])
	// Output:
	// expected visits of the goal within 10 steps: 1.000
}
