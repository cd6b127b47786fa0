package sphere_test

import (
	"fmt"

	"argmax/task"
	"argmax/task/sphere"
)

// The tutorial's setting: a random c-convex function of the sphere, its
// reference minimizer, and the gap of the neutral starting point.
func Example() {
	s, err := sphere.New(sphere.DefaultConfig())
	if err != nil {
		panic(err)
	}
	x := make([]float64, s.ContextDim())
	s.Context(task.Train, 1, 0, x)

	star := make([]float64, s.SolutionDim())
	fstar := s.Solve(x, star)
	y := make([]float64, s.SolutionDim())
	s.Init(x, y)
	gap, _ := task.Gap(s, x, y)

	fmt.Println(s.Name(), "context length", s.ContextDim())
	fmt.Printf("y* = %.4f, f* = %.4f\n", star, fstar)
	fmt.Printf("gap of y = %v: %.4f\n", y, gap)
	// Output:
	// sphere:d=3,m=4,gamma=0.5,alpha=0.7 context length 16
	// y* = [-0.9936 0.1002 0.0514], f* = -0.0359
	// gap of y = [1 0 0]: 0.2045
}
