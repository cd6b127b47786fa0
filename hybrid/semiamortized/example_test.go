package semiamortized_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"argmax"
	"argmax/amortized/encoder"
	"argmax/hybrid/semiamortized"
	"argmax/task"
)

// wave is f(y; x) = ½ (y − sin 3x)², minimized at y* = sin 3x.
type wave struct{}

func (wave) Name() string     { return "wave" }
func (wave) ContextDim() int  { return 1 }
func (wave) SolutionDim() int { return 1 }
func (wave) Context(s task.Split, seed uint64, i int, dst []float64) {
	dst[0] = 2*rand.New(rand.NewPCG(seed, uint64(s)<<32|uint64(i))).Float64() - 1
}
func (wave) Init(_, dst []float64) { dst[0] = 0 }
func (wave) Objective(x, y, grad []float64) float64 {
	d := y[0] - math.Sin(3*x[0])
	if grad != nil {
		grad[0] = d
	}
	return d * d / 2
}

// An encoder too small to fit sin 3x guesses, and gradient steps close
// the rest of the gap: the curve of f after 0..5 steps, and one decision.
func ExampleSolver_Curve() {
	s, err := semiamortized.Train(context.Background(), wave{}, semiamortized.Config{
		Variant: semiamortized.WarmStart, K: 5, Eta: 0.5,
		Encoder: encoder.Config{Hidden: []int{}, Steps: 300, Batch: 16, LR: 0.05, Contexts: 256, Seed: 1},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	x := []float64{0.9}
	curve, _ := s.Curve(context.Background(), x, 5)
	closed := semiamortized.GapClosed(curve, 0)
	fmt.Printf("gap closed after 1 step %.2f, after 5 steps %.2f\n", closed[1], closed[5])
	y, c, _ := s.Decide(context.Background(), x, argmax.Budget{})
	fmt.Printf("y = %.3f (y* = %.3f): %d forward pass, %d iterations\n", y[0], math.Sin(2.7), c.ForwardPasses, c.Iterations)
	// Output:
	// gap closed after 1 step 0.75, after 5 steps 1.00
	// y = 0.445 (y* = 0.427): 1 forward pass, 5 iterations
}
