package nn

import (
	"math"
	"runtime"
	"testing"
)

// TestThreadsBitIdentical runs the connect-four net (inference at batches
// 1, 8 and 64, training steps at batch 40, inference again) at GOMAXPROCS 1
// and at GOMAXPROCS 2 with every pass split over both goroutines, and
// requires bit-identical outputs, losses and weights.
func TestThreadsBitIdentical(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	minWork, bigWork := parallelMinWork, parallelBigWork
	parallelMinWork, parallelBigWork = 0, 0
	defer func() { parallelMinWork, parallelBigWork = minWork, bigWork }()
	run := func(procs int) []float32 {
		runtime.GOMAXPROCS(procs)
		net, x := newConvBench(64)
		inf, tp := NewTape[float32](Eval), NewTape[float32](Train)
		opt := NewAdam(net.Params(), ConstLR(1e-3))
		var out []float32
		infer := func() {
			for _, n := range []int{1, 8, 64} {
				inf.Reset()
				p, v := net.Forward(inf, inf.Const(x[:n*84], n, 2, 6, 7))
				out = append(append(out, p.Data...), v.Data...)
			}
		}
		infer()
		const batch = 40
		labels, z := make([]int, batch), make([]float32, batch)
		for i := range labels {
			labels[i], z[i] = i%7, float32(i%3-1)
		}
		for step := 0; step < 3; step++ {
			tp.Reset()
			p, v := net.Forward(tp, tp.Const(x[step*84:(step+batch)*84], batch, 2, 6, 7))
			loss := tp.Add(tp.CrossEntropy(p, labels), tp.MSE(v, tp.Const(z, batch, 1)))
			tp.Backward(loss)
			opt.Step()
			out = append(out, float32(loss.Item()))
		}
		infer()
		for _, p := range net.Params() {
			out = append(out, p.Data...)
		}
		return out
	}
	want := run(1)
	got := run(2)
	if len(got) != len(want) {
		t.Fatalf("%d values at GOMAXPROCS 2, %d at 1", len(got), len(want))
	}
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("value %d: %g at GOMAXPROCS 2, %g at 1", i, got[i], want[i])
		}
	}
}

// TestResBlockFusedMatches requires the fused inference pass of a residual
// block (both convolutions image by image) to give bit for bit the results
// of its two convolutions run one after the other.
func TestResBlockFusedMatches(t *testing.T) {
	r := NewResBlock[float32](NewRand(4), "res", 16)
	rng := NewRand(5)
	for _, p := range r.Params() {
		for i := range p.Data {
			p.Data[i] += float32(0.1 * rng.NormFloat64())
		}
	}
	for i := range r.BN2.Var.Data {
		r.BN1.Var.Data[i], r.BN2.Var.Data[i] = 0.5+float32(rng.Float64()), 0.5+float32(rng.Float64())
	}
	x := make([]float32, 3*6*7*16)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	tp := NewTape[float32](Eval)
	in := tp.Const(x, 3, 6, 7, 16)
	fused := r.Forward(tp, in)
	h := ConvBN(tp, r.Conv1, r.BN1, in, ReLU)
	sep := ConvBNAdd(tp, r.Conv2, r.BN2, h, in, ReLU)
	for i := range sep.Data {
		if math.Float32bits(fused.Data[i]) != math.Float32bits(sep.Data[i]) {
			t.Fatalf("element %d: fused %g, separate %g", i, fused.Data[i], sep.Data[i])
		}
	}
}
