package pets_test

import (
	"context"
	"fmt"

	"argmax/amortized/dynamics"
	"argmax/direct/cem"
	"argmax/env/control"
	"argmax/hybrid/pets"
)

// A tiny PETS run on Pendulum-v1: 100 random steps, then two iterations
// of 50 steps planned with CEM over the ensemble fitted so far.
func Example() {
	ens := dynamics.DefaultConfig()
	ens.Members, ens.Hidden, ens.Epochs, ens.LearningRate = 2, []int{16}, 3, 3e-3
	ens.Reward = control.PendulumReward // the task's known reward
	cfg := pets.Config{
		Seed: 1, InitSteps: 100, StepsPerIteration: 50, Iterations: 2,
		Planner:  cem.Config{Horizon: 8, Samples: 20, Iterations: 2},
		Ensemble: ens, Particles: 2,
	}
	e, _ := control.NewPendulum(control.PendulumConfig{})
	_, st, err := pets.Run(context.Background(), e, cfg, pets.Hooks{
		Progress: func(p pets.Progress) error {
			fmt.Printf("iteration %d: %d env steps, model refitted\n", p.Iteration, p.EnvSteps)
			return nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("episodes finished:", len(st.Episodes), "planned sequences:", st.Planning.Samples)
	// Output:
	// iteration 0: 100 env steps, model refitted
	// iteration 1: 150 env steps, model refitted
	// iteration 2: 200 env steps, model refitted
	// episodes finished: 1 planned sequences: 4000
}
