package nn

import (
	"math"
	"testing"
)

func TestTapeModes(t *testing.T) {
	bn := NewBatchNorm[float64]("bn", 2)
	x := []float64{1, 10, 3, 20, 5, 30} // 3 rows, 2 channels: means 3 and 20
	tr := NewTape[float64](Train)
	y := bn.Forward(tr, tr.Var(x, 3, 2))
	// Batch statistics: channel 0 is {1,3,5} → (x-3)/√(8/3+ε).
	if want := (1 - 3) / math.Sqrt(8.0/3+1e-5); math.Abs(y.Data[0]-want) > 1e-12 {
		t.Errorf("train output %g, want %g", y.Data[0], want)
	}
	if math.Abs(bn.Mean.Data[0]-0.3) > 1e-12 || math.Abs(bn.Mean.Data[1]-2) > 1e-12 {
		t.Errorf("running mean %v, want [0.3 2]", bn.Mean.Data)
	}
	// Unbiased variance 4 for channel 0: 0.9·1 + 0.1·4.
	if math.Abs(bn.Var.Data[0]-1.3) > 1e-12 {
		t.Errorf("running var %v, want 1.3 first", bn.Var.Data)
	}
	before := bn.Mean.Data[0]
	ev := NewTape[float64](Eval)
	y = bn.Forward(ev, ev.Var(x, 3, 2))
	if want := (1 - 0.3) / math.Sqrt(1.3+1e-5); math.Abs(y.Data[0]-want) > 1e-12 {
		t.Errorf("eval output %g, want %g", y.Data[0], want)
	}
	if y.Grad != nil || len(ev.nodes) != 0 {
		t.Error("an Eval tape recorded operations")
	}
	if bn.Mean.Data[0] != before {
		t.Error("Eval pass changed the running statistics")
	}
	defer func() {
		if recover() == nil {
			t.Error("Backward on an Eval tape did not panic")
		}
	}()
	ev.Backward(ev.Sum(y))
}

// TestTapeReuseAcrossSizes runs a net on a reused tape with changing batch
// sizes and compares each output with a fresh tape's.
func TestTapeReuseAcrossSizes(t *testing.T) {
	m := NewMLP[float32](NewRand(4), "m", []int{3, 16, 2}, GELU, Tanh)
	tp := NewTape[float32](Eval)
	x := make([]float32, 40*3)
	for i := range x {
		x[i] = float32(math.Sin(float64(i)))
	}
	for _, n := range []int{1, 40, 5, 40, 17} {
		tp.Reset()
		got := m.Forward(tp, tp.Const(x[:n*3], n, 3))
		fresh := NewTape[float32](Eval)
		want := m.Forward(fresh, fresh.Const(x[:n*3], n, 3))
		for i := range want.Data {
			if got.Data[i] != want.Data[i] {
				t.Fatalf("batch %d: output %d is %g on the reused tape, %g on a fresh one", n, i, got.Data[i], want.Data[i])
			}
		}
	}
}

// TestBackwardSkipsUnreached checks that a branch the loss does not depend
// on gets no gradient and that constants never get one.
func TestBackwardSkipsUnreached(t *testing.T) {
	tp := NewTape[float64](Train)
	a := tp.Var([]float64{1, 2}, 2)
	c := tp.Const([]float64{3, 4}, 2)
	used := tp.Sum(tp.Mul(a, c))
	unused := tp.Exp(a)
	tp.Backward(used)
	if a.Grad[0] != 3 || a.Grad[1] != 4 {
		t.Errorf("grad %v, want [3 4]", a.Grad)
	}
	if unused.Grad[0] != 0 || c.Grad != nil {
		t.Errorf("unused branch grad %v, constant grad %v", unused.Grad, c.Grad)
	}
}

// TestConvBNFolding compares the folded inference path of the residual net
// with the unfolded layers evaluated with running statistics.
func TestConvBNFolding(t *testing.T) {
	net := NewPolicyValueNet[float64](NewRand(8), "pv", PolicyValueConfig{Planes: 2, Height: 6, Width: 7, Blocks: 2, Channels: 8, Policy: 7})
	rng := NewRand(9)
	for _, p := range net.Params() {
		for i := range p.Data {
			p.Data[i] += 0.1 * rng.NormFloat64()
		}
		if len(p.Name) > 11 && p.Name[len(p.Name)-11:] == "running_var" {
			for i := range p.Data {
				p.Data[i] = 0.5 + rng.Float64()
			}
		}
	}
	x := make([]float64, 3*84)
	for i := range x {
		x[i] = float64(rng.IntN(2))
	}
	ev, eg := NewTape[float64](Eval), NewTape[float64](EvalGrad) // EvalGrad: same statistics, layers unfolded
	p1, v1 := net.Forward(ev, ev.Const(x, 3, 2, 6, 7))
	p2, v2 := net.Forward(eg, eg.Const(x, 3, 2, 6, 7))
	for i := range p1.Data {
		if math.Abs(p1.Data[i]-p2.Data[i]) > 1e-10 {
			t.Fatalf("policy[%d]: folded %g, unfolded %g", i, p1.Data[i], p2.Data[i])
		}
	}
	for i := range v1.Data {
		if math.Abs(v1.Data[i]-v2.Data[i]) > 1e-10 {
			t.Fatalf("value[%d]: folded %g, unfolded %g", i, v1.Data[i], v2.Data[i])
		}
	}
}
