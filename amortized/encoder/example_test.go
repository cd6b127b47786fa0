package encoder_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"argmax"
	"argmax/amortized/encoder"
	"argmax/task"
)

// mirror is f(y; x) = ½ Σ (y_i − 2 x_i)², minimized at y* = 2x.
type mirror struct{}

func (mirror) Name() string     { return "mirror" }
func (mirror) ContextDim() int  { return 2 }
func (mirror) SolutionDim() int { return 2 }
func (mirror) Context(s task.Split, seed uint64, i int, dst []float64) {
	r := rand.New(rand.NewPCG(seed, uint64(s)<<32|uint64(i)))
	for j := range dst {
		dst[j] = r.NormFloat64()
	}
}
func (mirror) Init(_, dst []float64) { clear(dst) }
func (mirror) Objective(x, y, grad []float64) float64 {
	var f float64
	for i := range y {
		d := y[i] - 2*x[i]
		f += d * d / 2
		if grad != nil {
			grad[i] = d
		}
	}
	return f
}

// Train an encoder on the objective alone, then answer a context no
// training context was, in one forward pass.
func ExampleTrain() {
	cfg := encoder.Config{Hidden: []int{}, Loss: encoder.ObjectiveLoss, Steps: 500, Batch: 16, LR: 0.05, Contexts: 256, Seed: 1}
	e, err := encoder.Train(context.Background(), mirror{}, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	y, c, _ := e.Decide(context.Background(), []float64{0.5, -1}, argmax.Budget{})
	curve := e.Curve()
	fmt.Printf("y = %.3f with %d forward pass, %d FLOPs\n", y, c.ForwardPasses, c.FLOPs)
	last := curve[len(curve)-1]
	fmt.Printf("held-out objective %.2f at step 0, below 1e-9 at step %d: %v\n", curve[0].HeldOut, last.Step, last.HeldOut < 1e-9)
	// Output:
	// y = [1.000 -2.000] with 1 forward pass, 8 FLOPs
	// held-out objective 5.60 at step 0, below 1e-9 at step 500: true
}
