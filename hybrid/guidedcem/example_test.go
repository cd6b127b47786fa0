package guidedcem_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/amortized/ppo"
	"argmax/direct/cem"
	"argmax/env"
	"argmax/env/control"
	"argmax/hybrid/guidedcem"
)

// A PPO policy trained briefly on Pendulum-v1 guides a small CEM search
// over the true model: its plan initializes the search, its critic
// (converted to reward units) values the end of each sampled sequence.
// With no refinement the planner is the policy itself.
func Example() {
	p, err := ppo.Load("testdata/pendulum.safetensors")
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := guidedcem.NewPPO(p)
	a.SetValueScale(146.1) // testdata/pendulum.scale: the σ of ppo's reward scaler
	search := cem.Config{Horizon: 10, Samples: 64, Iterations: 2, Smoothing: 0.1, Seed: 1}
	e, _ := control.NewPendulum(control.PendulumConfig{})
	var returns []float64
	for _, refine := range []int{0, 2} {
		g, _ := guidedcem.New(guidedcem.EnvModel{}, a, a, guidedcem.Config{Search: search, Refine: refine})
		ep, _ := env.Rollout(context.Background(), e, g, 2, argmax.Budget{})
		returns = append(returns, ep.Return)
		fmt.Printf("refine %d: %d decisions, %.0f forward passes and %.0f model steps each\n", refine, ep.Steps,
			float64(ep.Cost.ForwardPasses)/float64(ep.Steps), float64(ep.Cost.Steps)/float64(ep.Steps))
	}
	// The returns vary in their last digits with the machine's kernels
	// (about -376 and -248 on one).
	fmt.Println("refining beats the policy alone:", returns[1] > returns[0])
	// Output:
	// refine 0: 200 decisions, 1 forward passes and 0 model steps each
	// refine 2: 200 decisions, 131 forward passes and 1260 model steps each
	// refining beats the policy alone: true
}
