package nn

import "testing"

// TestZeroAllocSteadyState requires repeated passes on a reused tape to
// allocate nothing: inference for every model family, and a full MLP
// training step (forward, backward, Adam).
func TestZeroAllocSteadyState(t *testing.T) {
	mlp1, mlp32, mlpTrain := newMLPBench(1), newMLPBench(32), newMLPBench(64)
	conv, cx := newConvBench(4)
	convTape := NewTape[float32](Eval)
	tf := NewTransformer[float32](NewRand(1), "tf", TransformerConfig{Vocab: 10, MaxLen: 8, Dim: 16, Heads: 2, Layers: 2, Out: 10})
	lin := NewTransformer[float32](NewRand(1), "lin", TransformerConfig{Vocab: 10, MaxLen: 8, Dim: 16, Heads: 2, Layers: 1, Out: 10, Causal: true, LinAttn: true})
	tfTape := NewTape[float32](Eval)
	ids := make([]int, 4*8)
	cases := []struct {
		name string
		run  func()
	}{
		{"mlp/infer-1", func() { mlp1.infer(1) }},
		{"mlp/infer-32", func() { mlp32.infer(32) }},
		{"mlp/train-step", func() { mlpTrain.trainStep() }},
		{"convnet/infer-4", func() {
			convTape.Reset()
			conv.Forward(convTape, convTape.Const(cx, 4, 2, 6, 7))
		}},
		{"transformer/infer", func() {
			tfTape.Reset()
			tf.Forward(tfTape, ids, 4, 8)
		}},
		{"linear-attention/infer", func() {
			tfTape.Reset()
			lin.Forward(tfTape, ids, 4, 8)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run() // size the arenas
			if a := testing.AllocsPerRun(20, c.run); a != 0 {
				t.Errorf("%v allocations per pass in steady state, want 0", a)
			}
		})
	}
}
