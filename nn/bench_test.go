package nn

import (
	"testing"
)

// mlpBench is the acceptance MLP 64→256→256→10 with its data.
type mlpBench struct {
	net    *MLP[float32]
	opt    *Adam[float32]
	tp     *Tape[float32]
	inf    *Tape[float32]
	x      []float32
	labels []int
}

func newMLPBench(batch int) *mlpBench {
	rng := NewRand(1)
	b := &mlpBench{net: NewMLP[float32](rng, "mlp", []int{64, 256, 256, 10}, ReLU, Identity)}
	b.opt = NewAdam(b.net.Params(), ConstLR(1e-3))
	b.tp, b.inf = NewTape[float32](Train), NewTape[float32](Eval)
	b.x = make([]float32, batch*64)
	for i := range b.x {
		b.x[i] = float32(rng.NormFloat64())
	}
	b.labels = make([]int, batch)
	for i := range b.labels {
		b.labels[i] = rng.IntN(10)
	}
	return b
}

func (b *mlpBench) trainStep() float64 {
	b.tp.Reset()
	x := b.tp.Const(b.x, len(b.labels), 64)
	loss := b.tp.CrossEntropy(b.net.Forward(b.tp, x), b.labels)
	b.tp.Backward(loss)
	b.opt.Step()
	return loss.Item()
}

func (b *mlpBench) infer(n int) *Tensor[float32] {
	b.inf.Reset()
	return b.net.Forward(b.inf, b.inf.Const(b.x[:n*64], n, 64))
}

// BenchmarkMLPTrainStep: forward, backward and Adam step of the MLP
// 64→256→256→10 on a batch of 256 (about 130 MFLOP).
func BenchmarkMLPTrainStep(b *testing.B) {
	m := newMLPBench(256)
	m.trainStep()
	m.trainStep()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.trainStep()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

func benchMLPInfer(b *testing.B, n int) {
	m := newMLPBench(n)
	m.infer(n)
	m.infer(n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.infer(n)
	}
}

// BenchmarkMLPInfer1: single-sample inference of the MLP.
func BenchmarkMLPInfer1(b *testing.B) { benchMLPInfer(b, 1) }

// BenchmarkMLPInfer32: batch-32 inference of the MLP.
func BenchmarkMLPInfer32(b *testing.B) { benchMLPInfer(b, 32) }

func newConvBench(batch int) (*PolicyValueNet[float32], []float32) {
	rng := NewRand(1)
	net := NewPolicyValueNet[float32](rng, "c4", Connect4Config)
	x := make([]float32, batch*2*6*7)
	for i := range x {
		if rng.IntN(3) == 0 {
			x[i] = 1
		}
	}
	return net, x
}

func benchConvInfer(b *testing.B, batch int) {
	net, x := newConvBench(batch)
	tp := NewTape[float32](Eval)
	run := func() {
		tp.Reset()
		net.Forward(tp, tp.Const(x, batch, 2, 6, 7))
	}
	run()
	run()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		run()
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "positions/s")
}

// BenchmarkConvNetInfer1: single-position inference of the connect-four
// residual net (5 blocks × 64 channels), as in a search loop.
func BenchmarkConvNetInfer1(b *testing.B) { benchConvInfer(b, 1) }

// BenchmarkConvNetInfer8: batch-8 inference of the connect-four net.
func BenchmarkConvNetInfer8(b *testing.B) { benchConvInfer(b, 8) }

// BenchmarkConvNetInfer64: batch-64 inference of the connect-four net, in
// positions/s.
func BenchmarkConvNetInfer64(b *testing.B) { benchConvInfer(b, 64) }

func benchConvTrain(b *testing.B, batch int) {
	net, x := newConvBench(batch)
	tp := NewTape[float32](Train)
	opt := NewAdam(net.Params(), ConstLR(1e-3))
	labels := make([]int, batch)
	z := make([]float32, batch)
	step := func() {
		tp.Reset()
		p, v := net.Forward(tp, tp.Const(x, batch, 2, 6, 7))
		loss := tp.Add(tp.CrossEntropy(p, labels), tp.MSE(v, tp.Const(z, batch, 1)))
		tp.Backward(loss)
		opt.Step()
	}
	step()
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		step()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkConvNetTrain64: one training step (forward, backward, Adam) of
// the connect-four net on a batch of 64.
func BenchmarkConvNetTrain64(b *testing.B) { benchConvTrain(b, 64) }

// BenchmarkConvNetTrain256: the same on a batch of 256.
func BenchmarkConvNetTrain256(b *testing.B) { benchConvTrain(b, 256) }

func newBlockBench() (*TransformerBlock[float32], []float32) {
	rng := NewRand(1)
	blk := NewTransformerBlock[float32](rng, "blk", 64, 4, 256, true, false)
	x := make([]float32, 32*16*64)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return blk, x
}

// BenchmarkAttentionBlock: forward pass of a pre-norm transformer block
// (dim 64, 4 heads, causal) on 32 sequences of 16.
func BenchmarkAttentionBlock(b *testing.B) {
	blk, x := newBlockBench()
	tp := NewTape[float32](Eval)
	run := func() {
		tp.Reset()
		blk.Forward(tp, tp.Const(x, 32, 16, 64))
	}
	run()
	run()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		run()
	}
}

// BenchmarkAttentionBlockTrain: forward and backward of the same block.
func BenchmarkAttentionBlockTrain(b *testing.B) {
	blk, x := newBlockBench()
	tp := NewTape[float32](Train)
	params := blk.Params()
	run := func() {
		tp.Reset()
		y := blk.Forward(tp, tp.Var(x, 32, 16, 64))
		tp.Backward(tp.Mean(tp.Square(y)))
		ZeroGrads(params)
	}
	run()
	run()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		run()
	}
}
