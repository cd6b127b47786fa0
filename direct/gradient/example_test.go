package gradient_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/direct/gradient"
	"argmax/task"
)

// shifted is f(y; x) = ½ Σ (y_i − x_i)², minimized at y = x.
type shifted struct{}

func (shifted) Name() string                               { return "shifted" }
func (shifted) ContextDim() int                            { return 2 }
func (shifted) SolutionDim() int                           { return 2 }
func (shifted) Context(task.Split, uint64, int, []float64) {}
func (shifted) Init(_, dst []float64)                      { clear(dst) }
func (shifted) Objective(x, y, grad []float64) float64 {
	var f float64
	for i := range y {
		d := y[i] - x[i]
		f += d * d / 2
		if grad != nil {
			grad[i] = d
		}
	}
	return f
}

// Minimize one instance by gradient descent, then read from the trace
// how many iterations it took to bring the objective below 1e-3.
func ExampleMinimize() {
	cfg := gradient.Config{Method: gradient.GD, LR: 0.5, Tol: 1e-6, Trace: true}
	r, err := gradient.Minimize(context.Background(), shifted{}, []float64{1, -2}, nil, cfg, argmax.Budget{Iterations: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := r.Trace.Reach(1e-3)
	fmt.Printf("y = %.4f after %d iterations (converged %v)\n", r.Y, r.Iterations, r.Converged)
	fmt.Printf("f ≤ 1e-3 after %d iterations\n", p.Iteration)
	// Output:
	// y = [1.0000 -2.0000] after 22 iterations (converged true)
	// f ≤ 1e-3 after 6 iterations
}

// A Solver is a Decider: each decision is a fresh minimization whose Cost
// counts its iterations.
func ExampleSolver_Decide() {
	s, err := gradient.New(shifted{}, gradient.Config{Method: gradient.Adam, LR: 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	y, c, err := s.Decide(context.Background(), []float64{0.5, 0.25}, argmax.Budget{Iterations: 300})
	fmt.Printf("y = %.3f, %d iterations, %v\n", y, c.Iterations, err)
	// Output: y = [0.500 0.250], 300 iterations, <nil>
}
