package solvers_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/lab/solvers"
	"argmax/task"
)

// A task and two solvers from their specs: gradient descent with a step
// size tuned on training contexts reaches the exact posterior of a
// mixture's context, the baseline stays at the uniform guess.
func Example() {
	tk, err := solvers.NewTask("mixture:d=2,k=4")
	if err != nil {
		fmt.Println(err)
		return
	}
	x := task.Contexts(tk, task.HeldOut, 1, 1)[0]
	for _, spec := range []string{"gd:iters=300", "init"} {
		s, err := solvers.NewSolver(solvers.Context{Task: tk, Seed: 1}, spec)
		if err != nil {
			fmt.Println(err)
			return
		}
		y, cost, _ := s.Decide(context.Background(), x, argmax.Budget{})
		gap, _ := task.Gap(tk, x, y)
		fmt.Printf("%-12s gap %.4f after %d iterations\n", spec, gap, cost.Iterations)
	}
	// Output:
	// gd:iters=300 gap 0.0000 after 300 iterations
	// init         gap 1.0107 after 0 iterations
}
