package nn_test

import (
	"fmt"
	"os"
	"path/filepath"

	"argmax/nn"
)

// Train a linear model by gradient descent on a regression and compare it
// with the least-squares solution of the normal equations.
func Example_regression() {
	const n, d = 512, 3
	rng := nn.NewRand(1)
	trueW := []float64{1.5, -2, 0.5}
	x := make([]float32, n*d)
	y := make([]float32, n)
	for i := 0; i < n; i++ {
		s := 0.3 // intercept
		for j := 0; j < d; j++ {
			v := rng.NormFloat64()
			x[i*d+j] = float32(v)
			s += trueW[j] * v
		}
		y[i] = float32(s + 0.1*rng.NormFloat64())
	}

	model := nn.NewLinear[float32](rng, "lin", d, 1, nn.Identity)
	opt := nn.NewAdam(model.Params(), nn.CosineLR(0.05, 10, 500, 1e-4))
	tp := nn.NewTape[float32](nn.Train)
	var mse float64
	for step := 0; step < 500; step++ {
		tp.Reset()
		loss := tp.MSE(model.Forward(tp, tp.Const(x, n, d)), tp.Const(y, n, 1))
		tp.Backward(loss)
		opt.Step()
		mse = loss.Item()
	}

	ls := leastSquares(x, y, n, d)
	fmt.Printf("gradient descent: w = %.2f, b = %.2f\n", model.W.Data, model.B.Data[0])
	fmt.Printf("least squares:    w = %.2f, b = %.2f\n", ls[:d], ls[d])
	fmt.Printf("training MSE within 1%% of the least-squares MSE: %v\n", mse <= 1.01*lsMSE(x, y, ls, n, d))
	// Output:
	// gradient descent: w = [1.50 -2.00 0.50], b = 0.30
	// least squares:    w = [1.50 -2.00 0.50], b = 0.30
	// training MSE within 1% of the least-squares MSE: true
}

// leastSquares solves the normal equations for [x 1]·w = y by Gaussian
// elimination in float64.
func leastSquares(x, y []float32, n, d int) []float64 {
	k := d + 1
	a := make([][]float64, k)
	for r := range a {
		a[r] = make([]float64, k+1)
	}
	row := make([]float64, k)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			row[j] = float64(x[i*d+j])
		}
		row[d] = 1
		for r := 0; r < k; r++ {
			for c := 0; c < k; c++ {
				a[r][c] += row[r] * row[c]
			}
			a[r][k] += row[r] * float64(y[i])
		}
	}
	for c := 0; c < k; c++ {
		for r := c + 1; r < k; r++ {
			f := a[r][c] / a[c][c]
			for j := c; j <= k; j++ {
				a[r][j] -= f * a[c][j]
			}
		}
	}
	w := make([]float64, k)
	for r := k - 1; r >= 0; r-- {
		s := a[r][k]
		for j := r + 1; j < k; j++ {
			s -= a[r][j] * w[j]
		}
		w[r] = s / a[r][r]
	}
	return w
}

func lsMSE(x, y []float32, w []float64, n, d int) float64 {
	var s float64
	for i := 0; i < n; i++ {
		p := w[d]
		for j := 0; j < d; j++ {
			p += w[j] * float64(x[i*d+j])
		}
		s += (p - float64(y[i])) * (p - float64(y[i]))
	}
	return s / float64(n)
}

// Reverse-mode differentiation of a small expression on a tape.
func ExampleTape_Backward() {
	tp := nn.NewTape[float64](nn.Train)
	x := tp.Var([]float64{1, 2, 3}, 3)
	w := tp.Var([]float64{0.5, -1, 2}, 3)
	loss := tp.Sum(tp.Square(tp.Mul(x, w))) // Σ (x·w)²
	tp.Backward(loss)
	fmt.Println(loss.Item(), x.Grad, w.Grad)
	// Output: 40.25 [0.5 4 24] [1 -8 36]
}

// Batched inference on a reused tape: after the first pass, each pass
// allocates nothing. Outputs live until the next Reset.
func ExampleNewTape_inference() {
	net := nn.NewMLP[float32](nn.NewRand(7), "policy", []int{4, 32, 3}, nn.ReLU, nn.Identity)
	tp := nn.NewTape[float32](nn.Eval)
	batch := make([]float32, 8*4)
	for pass := 0; pass < 3; pass++ {
		tp.Reset()
		probs := tp.Softmax(net.Forward(tp, tp.Const(batch, 8, 4)))
		var s float32
		for _, p := range probs.Data[:3] {
			s += p
		}
		fmt.Printf("pass %d: output %v, first row sums to %.3f\n", pass, probs.Shape(), s)
	}
	// Output:
	// pass 0: output [8 3], first row sums to 1.000
	// pass 1: output [8 3], first row sums to 1.000
	// pass 2: output [8 3], first row sums to 1.000
}

// Save a net to a safetensors checkpoint and load it into a fresh copy.
func ExampleSave() {
	dir, _ := os.MkdirTemp("", "ckpt")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "net.safetensors")
	net := nn.NewPolicyValueNet[float32](nn.NewRand(1), "net", nn.Connect4Config)
	if err := nn.Save(path, net.Params(), map[string]string{"step": "1000"}); err != nil {
		fmt.Println(err)
		return
	}
	fresh := nn.NewPolicyValueNet[float32](nn.NewRand(2), "net", nn.Connect4Config)
	meta, err := nn.Load(path, fresh.Params())
	fmt.Println(meta["step"], err, nn.CountParams[float32](net), fresh.Stem.W.Data[0] == net.Stem.W.Data[0])
	// Output: 1000 <nil> 374810 true
}
