package linreg_test

import (
	"fmt"

	"argmax/task"
	"argmax/task/linreg"
)

// Draw held-out prompts and compare the reference predictors' query
// losses: least squares recovers w exactly without noise; one step of
// gradient descent with the tuned step is far weaker.
func Example() {
	tk, err := linreg.New(linreg.Config{D: 10, N: 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	eta, _ := linreg.TuneGD(tk.Prompts(task.Train, 1, 0, 2000), 1)
	var ls, gd float64
	ps := tk.Prompts(task.HeldOut, 1, 0, 500)
	for i := range ps {
		p := &ps[i]
		ls += sq(p.Predict(linreg.LeastSquares(p)) - p.Target())
		gd += sq(p.Predict(linreg.GD(p, 1, eta)) - p.Target())
	}
	fmt.Printf("tuned η = %.2f (closed form n/(n+d+1) = %.2f)\n", eta, 20.0/31)
	fmt.Printf("query loss: least squares %.3f, one GD step %.1f\n", ls/500, gd/500)
	// Output:
	// tuned η = 0.64 (closed form n/(n+d+1) = 0.65)
	// query loss: least squares 0.000, one GD step 3.7
}

func sq(x float64) float64 { return x * x }
