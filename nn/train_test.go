package nn

import (
	"math"
	"testing"
	"time"
)

// reverseBatch fills ids with random digit sequences and targets with the
// sequences reversed.
func reverseBatch(rng interface{ IntN(int) int }, ids, targets []int, L int) {
	for s := 0; s < len(ids); s += L {
		for i := 0; i < L; i++ {
			ids[s+i] = rng.IntN(10)
		}
		for i := 0; i < L; i++ {
			targets[s+i] = ids[s+L-1-i]
		}
	}
}

// TestTransformerLearnsToReverse trains a small transformer to output a
// sequence of 8 digits reversed and requires ≥ 99% token accuracy on fresh
// sequences.
func TestTransformerLearnsToReverse(t *testing.T) {
	const L, B, steps = 8, 64, 600
	start := time.Now()
	rng := NewRand(1)
	m := NewTransformer[float32](rng, "rev", TransformerConfig{Vocab: 10, MaxLen: L, Dim: 32, Heads: 4, Layers: 2, Hidden: 64, Out: 10})
	opt := NewAdamW(m.Params(), CosineLR(3e-3, 50, steps, 1e-4), 1e-4)
	tp := NewTape[float32](Train)
	ids, tg := make([]int, B*L), make([]int, B*L)
	for step := 0; step < steps; step++ {
		reverseBatch(rng, ids, tg, L)
		tp.Reset()
		logits := m.Forward(tp, ids, B, L)
		loss := tp.CrossEntropy(tp.Reshape(logits, B*L, 10), tg)
		tp.Backward(loss)
		ClipGradNorm(m.Params(), 1)
		opt.Step()
	}
	eval := NewTape[float32](Eval)
	correct, total := 0, 0
	test := NewRand(12345)
	for batch := 0; batch < 16; batch++ {
		reverseBatch(test, ids, tg, L)
		eval.Reset()
		logits := m.Forward(eval, ids, B, L)
		for i, want := range tg {
			row := logits.Data[i*10 : i*10+10]
			best := 0
			for j, v := range row {
				if v > row[best] {
					best = j
				}
			}
			if best == want {
				correct++
			}
			total++
		}
	}
	acc := float64(correct) / float64(total)
	t.Logf("reverse: token accuracy %.4f after %d steps in %v", acc, steps, time.Since(start).Round(time.Millisecond))
	if acc < 0.99 {
		t.Errorf("token accuracy %.4f < 0.99", acc)
	}
}

// TestPolicyValueNetTrains trains the connect-four-sized residual net on a
// toy target (policy: the column holding most stones of plane 0; value:
// tanh of the stone difference) and requires the loss to fall clearly.
func TestPolicyValueNetTrains(t *testing.T) {
	const B, steps = 32, 30
	rng := NewRand(3)
	net := NewPolicyValueNet[float32](rng, "c4", Connect4Config)
	opt := NewAdam(net.Params(), ConstLR(2e-3))
	tp := NewTape[float32](Train)
	x := make([]float32, B*2*6*7)
	labels := make([]int, B)
	values := make([]float32, B)
	batch := func() {
		clear(x)
		for n := 0; n < B; n++ {
			var cols [7]int
			diff := 0
			for c := 0; c < 42; c++ {
				switch rng.IntN(4) {
				case 0:
					x[n*84+c] = 1
					cols[c%7]++
					diff++
				case 1:
					x[n*84+42+c] = 1
					diff--
				}
			}
			best := 0
			for c := range cols {
				if cols[c] > cols[best] {
					best = c
				}
			}
			labels[n], values[n] = best, float32(math.Tanh(float64(diff)/4))
		}
	}
	var first, last float64
	for step := 0; step < steps; step++ {
		batch()
		tp.Reset()
		p, v := net.Forward(tp, tp.Const(x, B, 2, 6, 7))
		loss := tp.Add(tp.CrossEntropy(p, labels), tp.MSE(v, tp.Const(values, B, 1)))
		tp.Backward(loss)
		opt.Step()
		if step < 3 {
			first += loss.Item() / 3
		}
		if step >= steps-3 {
			last += loss.Item() / 3
		}
	}
	t.Logf("policy+value loss: %.3f over the first 3 steps, %.3f over the last 3", first, last)
	if !(last < 0.6*first) {
		t.Errorf("loss fell from %.3f to %.3f only", first, last)
	}
	// The trained net also runs in inference mode and agrees in shape.
	ev := NewTape[float32](Eval)
	p, v := net.Forward(ev, ev.Const(x, B, 2, 6, 7))
	if !sameShape(p.Shape(), []int{B, 7}) || !sameShape(v.Shape(), []int{B, 1}) {
		t.Fatalf("heads of shape %v and %v", p.Shape(), v.Shape())
	}
	for _, y := range v.Data {
		if y < -1 || y > 1 || y != y {
			t.Fatalf("value %g outside [-1, 1]", y)
		}
	}
}

// TestDeterministic trains the same net twice from the same seed and
// requires bit-identical losses and weights, and a different seed to give
// different weights.
func TestDeterministic(t *testing.T) {
	run := func(seed uint64) ([]float64, []float32) {
		rng := NewRand(seed)
		m := NewMLP[float32](rng, "mlp", []int{16, 64, 64, 4}, GELU, Identity)
		opt := NewAdam(m.Params(), CosineLR(1e-2, 5, 40, 1e-3))
		tp := NewTape[float32](Train)
		x := make([]float32, 128*16)
		labels := make([]int, 128)
		var losses []float64
		for step := 0; step < 40; step++ {
			for i := range x {
				x[i] = float32(rng.NormFloat64())
			}
			for i := range labels {
				labels[i] = rng.IntN(4)
			}
			tp.Reset()
			loss := tp.CrossEntropy(m.Forward(tp, tp.Const(x, 128, 16)), labels)
			tp.Backward(loss)
			opt.Step()
			losses = append(losses, loss.Item())
		}
		var w []float32
		for _, p := range m.Params() {
			w = append(w, p.Data...)
		}
		return losses, w
	}
	l1, w1 := run(5)
	l2, w2 := run(5)
	for i := range l1 {
		if l1[i] != l2[i] {
			t.Fatalf("step %d: loss %v then %v from the same seed", i, l1[i], l2[i])
		}
	}
	for i := range w1 {
		if w1[i] != w2[i] {
			t.Fatalf("weight %d differs between runs with the same seed", i)
		}
	}
	_, w3 := run(6)
	same := 0
	for i := range w1 {
		if w1[i] == w3[i] {
			same++
		}
	}
	if same > len(w1)/10 { // biases start at zero, weights must differ
		t.Errorf("%d of %d weights equal across different seeds", same, len(w1))
	}
}
