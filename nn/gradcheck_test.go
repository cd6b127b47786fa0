package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// harness owns the leaves of a gradient-check case: random inputs and the
// parameters of the modules under test, so that the same values can be
// evaluated again and again while the checker perturbs them.
type harness[T Float] struct {
	rng    *rand.Rand
	inputs [][]T
	shapes [][]int
	params []*Param[T]
	vars   []*Tensor[T] // the input tensors of the latest pass
	proj   []T          // fixed random weights turning outputs into a scalar
	mode   Mode
}

func newHarness[T Float](seed uint64) *harness[T] {
	return &harness[T]{rng: NewRand(seed), mode: Train}
}

// input registers a random input of the given shape (N(0,1) values).
func (h *harness[T]) input(shape ...int) int {
	d := make([]T, numel(shape))
	for i := range d {
		d[i] = T(h.rng.NormFloat64())
	}
	h.inputs = append(h.inputs, d)
	h.shapes = append(h.shapes, shape)
	return len(h.inputs) - 1
}

// in returns input i as a gradient-receiving tensor of the current pass.
func (h *harness[T]) in(tp *Tape[T], i int) *Tensor[T] {
	t := tp.Var(h.inputs[i], h.shapes[i]...)
	h.vars[i] = t
	return t
}

// use registers the parameters of m and perturbs them away from their
// initial values (γ=1, β=0, zero biases) so every path is exercised.
func (h *harness[T]) use(m Module[T]) {
	for _, p := range m.Params() {
		if p.Trainable() {
			for i := range p.Data {
				p.Data[i] += T(0.1 * h.rng.NormFloat64())
			}
			h.params = append(h.params, p)
		}
	}
}

type builder[T Float] func(h *harness[T]) func(tp *Tape[T]) *Tensor[T]

type gradCase struct {
	name string
	f32  builder[float32]
	f64  builder[float64]
}

// scalarLoss runs f and reduces its output to a scalar with fixed random
// weights, so every output component contributes.
func (h *harness[T]) scalarLoss(tp *Tape[T], f func(*Tape[T]) *Tensor[T]) *Tensor[T] {
	h.vars = make([]*Tensor[T], len(h.inputs))
	out := f(tp)
	if len(out.Data) == 1 {
		return out
	}
	if len(h.proj) != len(out.Data) {
		r := NewRand(99)
		h.proj = make([]T, len(out.Data))
		for i := range h.proj {
			h.proj[i] = T(r.NormFloat64())
		}
	}
	return tp.Sum(tp.Mul(out, tp.Const(h.proj, out.Shape()...)))
}

type leafGrads[T Float] struct {
	loss  float64
	names []string
	grads [][]T
}

// analytic runs one forward and backward pass and returns the loss and the
// gradients of every leaf (inputs, then parameters).
func analytic[T Float](h *harness[T], f func(*Tape[T]) *Tensor[T]) leafGrads[T] {
	ZeroGrads(h.params)
	tp := NewTape[T](h.mode)
	loss := h.scalarLoss(tp, f)
	tp.Backward(loss)
	var lg leafGrads[T]
	lg.loss = loss.Item()
	for i, v := range h.vars {
		lg.names = append(lg.names, fmt.Sprintf("input%d", i))
		if v == nil || v.Grad == nil {
			lg.grads = append(lg.grads, make([]T, len(h.inputs[i])))
		} else {
			lg.grads = append(lg.grads, append([]T(nil), v.Grad...))
		}
	}
	for _, p := range h.params {
		lg.names = append(lg.names, p.Name)
		lg.grads = append(lg.grads, append([]T(nil), p.Grad...))
	}
	return lg
}

func gradCases() []gradCase {
	return []gradCase{
		{"add/same", caseBinary[float32](opAdd, false), caseBinary[float64](opAdd, false)},
		{"add/suffix", caseBinary[float32](opAdd, true), caseBinary[float64](opAdd, true)},
		{"sub/suffix", caseBinary[float32](opSub, true), caseBinary[float64](opSub, true)},
		{"mul/same", caseBinary[float32](opMul, false), caseBinary[float64](opMul, false)},
		{"mul/suffix", caseBinary[float32](opMul, true), caseBinary[float64](opMul, true)},
		{"scale", caseScale[float32], caseScale[float64]},
		{"act/relu", caseAct[float32](ReLU), caseAct[float64](ReLU)},
		{"act/gelu", caseAct[float32](GELU), caseAct[float64](GELU)},
		{"act/tanh", caseAct[float32](Tanh), caseAct[float64](Tanh)},
		{"act/sigmoid", caseAct[float32](Sigmoid), caseAct[float64](Sigmoid)},
		{"exp-log-square", caseExpLog[float32], caseExpLog[float64]},
		{"clamp-minimum", caseClampMin[float32], caseClampMin[float64]},
		{"sum-mean-sumlast", caseReduce[float32], caseReduce[float64]},
		{"gather", caseGather[float32], caseGather[float64]},
		{"slice-concat-reshape", caseSliceConcat[float32], caseSliceConcat[float64]},
		{"matmul/nn", caseMatMul[float32](false, false), caseMatMul[float64](false, false)},
		{"matmul/tn", caseMatMul[float32](true, false), caseMatMul[float64](true, false)},
		{"matmul/nt", caseMatMul[float32](false, true), caseMatMul[float64](false, true)},
		{"matmul/tt", caseMatMul[float32](true, true), caseMatMul[float64](true, true)},
		{"linear/identity", caseLinear[float32](Identity, true), caseLinear[float64](Identity, true)},
		{"linear/relu", caseLinear[float32](ReLU, true), caseLinear[float64](ReLU, true)},
		{"linear/gelu", caseLinear[float32](GELU, true), caseLinear[float64](GELU, true)},
		{"linear/tanh-nobias", caseLinear[float32](Tanh, false), caseLinear[float64](Tanh, false)},
		{"linear/sigmoid-3d", caseLinear3D[float32], caseLinear3D[float64]},
		{"conv/3x3-pad1", caseConv[float32](3, 1, false, Identity), caseConv[float64](3, 1, false, Identity)},
		{"conv/3x3-pad0-bias-relu", caseConv[float32](3, 0, true, ReLU), caseConv[float64](3, 0, true, ReLU)},
		{"conv/1x1-bias-gelu", caseConv[float32](1, 0, true, GELU), caseConv[float64](1, 0, true, GELU)},
		{"tonhwc", caseToNHWC[float32], caseToNHWC[float64]},
		{"softmax", caseSoftmax[float32](false), caseSoftmax[float64](false)},
		{"logsoftmax", caseSoftmax[float32](true), caseSoftmax[float64](true)},
		{"layernorm", caseLayerNorm[float32], caseLayerNorm[float64]},
		{"batchnorm/train-2d", caseBatchNorm[float32](Train, false), caseBatchNorm[float64](Train, false)},
		{"batchnorm/train-nhwc", caseBatchNorm[float32](Train, true), caseBatchNorm[float64](Train, true)},
		{"batchnorm/evalgrad", caseBatchNorm[float32](EvalGrad, true), caseBatchNorm[float64](EvalGrad, true)},
		{"embedding", caseEmbedding[float32], caseEmbedding[float64]},
		{"attention/full", caseAttention[float32](false, false), caseAttention[float64](false, false)},
		{"attention/causal", caseAttention[float32](true, false), caseAttention[float64](true, false)},
		{"linattention/full", caseAttention[float32](false, true), caseAttention[float64](false, true)},
		{"linattention/causal", caseAttention[float32](true, true), caseAttention[float64](true, true)},
		{"loss/mse", caseLoss[float32]("mse"), caseLoss[float64]("mse")},
		{"loss/huber", caseLoss[float32]("huber"), caseLoss[float64]("huber")},
		{"loss/crossentropy", caseLoss[float32]("ce"), caseLoss[float64]("ce")},
		{"loss/softcrossentropy", caseLoss[float32]("softce"), caseLoss[float64]("softce")},
		{"loss/gaussiannll", caseLoss[float32]("gauss"), caseLoss[float64]("gauss")},
		{"loss/gaussiannll-bcast", caseLoss[float32]("gaussb"), caseLoss[float64]("gaussb")},
		{"loss/gaussianlogprob", caseLoss[float32]("logprob"), caseLoss[float64]("logprob")},
		{"layer/mlp", caseMLP[float32], caseMLP[float64]},
		{"layer/sequential", caseSequential[float32], caseSequential[float64]},
		{"layer/resblock", caseResBlock[float32], caseResBlock[float64]},
		{"layer/policyvalue", casePolicyValue[float32], casePolicyValue[float64]},
		{"layer/mha-causal", caseMHA[float32](true, false), caseMHA[float64](true, false)},
		{"layer/mha-linear", caseMHA[float32](false, true), caseMHA[float64](false, true)},
		{"layer/transformerblock", caseBlock[float32], caseBlock[float64]},
		{"layer/transformer", caseTransformer[float32], caseTransformer[float64]},
	}
}

func caseBinary[T Float](op opKind, suffix bool) builder[T] {
	return func(h *harness[T]) func(*Tape[T]) *Tensor[T] {
		a := h.input(2, 3, 4)
		b := h.input(2, 3, 4)
		if suffix {
			b = h.input(3, 4)
		}
		return func(tp *Tape[T]) *Tensor[T] {
			x, y := h.in(tp, a), h.in(tp, b)
			switch op {
			case opAdd:
				return tp.Add(x, y)
			case opSub:
				return tp.Sub(x, y)
			}
			return tp.Mul(x, y)
		}
	}
}

func caseScale[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	a := h.input(3, 5)
	s := h.input(1)
	return func(tp *Tape[T]) *Tensor[T] {
		return tp.Mul(tp.Scale(h.in(tp, a), -1.7, 0.3), h.in(tp, s))
	}
}

func caseAct[T Float](act Act) builder[T] {
	return func(h *harness[T]) func(*Tape[T]) *Tensor[T] {
		a := h.input(4, 6)
		return func(tp *Tape[T]) *Tensor[T] { return tp.Activate(h.in(tp, a), act) }
	}
}

func caseExpLog[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	a := h.input(3, 4)
	return func(tp *Tape[T]) *Tensor[T] {
		x := h.in(tp, a)
		return tp.Add(tp.Log(tp.Sigmoid(x)), tp.Add(tp.Exp(x), tp.Square(x)))
	}
}

func caseClampMin[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	a, b := h.input(4, 5), h.input(4, 5)
	return func(tp *Tape[T]) *Tensor[T] {
		x, y := h.in(tp, a), h.in(tp, b)
		return tp.Minimum(tp.Clamp(x, -0.8, 0.9), y)
	}
}

func caseReduce[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	a := h.input(2, 3, 4)
	return func(tp *Tape[T]) *Tensor[T] {
		x := h.in(tp, a)
		s := tp.Mul(tp.SumLast(tp.Square(x)), tp.Sum(x))
		return tp.Mul(s, tp.Mean(tp.Exp(x)))
	}
}

func caseGather[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	a := h.input(5, 4)
	idx := []int{3, 0, 1, 3, 2}
	return func(tp *Tape[T]) *Tensor[T] { return tp.Gather(h.in(tp, a), idx) }
}

func caseSliceConcat[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	a, b := h.input(2, 3, 5), h.input(6, 2)
	return func(tp *Tape[T]) *Tensor[T] {
		x := tp.SliceLast(h.in(tp, a), 1, 4)
		y := tp.Reshape(h.in(tp, b), 2, 3, -1)
		return tp.Flatten(tp.ConcatLast(tp.Square(x), y))
	}
}

func caseMatMul[T Float](ta, tb bool) builder[T] {
	return func(h *harness[T]) func(*Tape[T]) *Tensor[T] {
		m, k, n := 3, 5, 4
		as, bs := []int{m, k}, []int{k, n}
		if ta {
			as = []int{k, m}
		}
		if tb {
			bs = []int{n, k}
		}
		a, b := h.input(as...), h.input(bs...)
		return func(tp *Tape[T]) *Tensor[T] { return tp.MatMul(h.in(tp, a), h.in(tp, b), ta, tb) }
	}
}

func caseLinear[T Float](act Act, bias bool) builder[T] {
	return func(h *harness[T]) func(*Tape[T]) *Tensor[T] {
		l := NewLinear[T](h.rng, "lin", 5, 4, act)
		if !bias {
			l.B = nil
		}
		h.use(l)
		a := h.input(3, 5)
		return func(tp *Tape[T]) *Tensor[T] { return l.Forward(tp, h.in(tp, a)) }
	}
}

func caseLinear3D[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	l := NewLinear[T](h.rng, "lin", 4, 3, Sigmoid)
	h.use(l)
	a := h.input(2, 3, 4)
	return func(tp *Tape[T]) *Tensor[T] { return l.Forward(tp, h.in(tp, a)) }
}

func caseConv[T Float](k, pad int, bias bool, act Act) builder[T] {
	return func(h *harness[T]) func(*Tape[T]) *Tensor[T] {
		c := NewConv2D[T](h.rng, "conv", 3, 4, k, pad, bias, act)
		h.use(c)
		a := h.input(2, 4, 5, 3)
		return func(tp *Tape[T]) *Tensor[T] { return c.Forward(tp, h.in(tp, a)) }
	}
}

func caseToNHWC[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	a := h.input(2, 3, 2, 4)
	return func(tp *Tape[T]) *Tensor[T] { return tp.ToNHWC(h.in(tp, a)) }
}

func caseSoftmax[T Float](log bool) builder[T] {
	return func(h *harness[T]) func(*Tape[T]) *Tensor[T] {
		a := h.input(3, 6)
		return func(tp *Tape[T]) *Tensor[T] {
			if log {
				return tp.LogSoftmax(h.in(tp, a))
			}
			return tp.Softmax(h.in(tp, a))
		}
	}
}

func caseLayerNorm[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	l := NewLayerNorm[T]("ln", 6)
	h.use(l)
	a := h.input(2, 3, 6)
	return func(tp *Tape[T]) *Tensor[T] { return l.Forward(tp, h.in(tp, a)) }
}

func caseBatchNorm[T Float](mode Mode, nhwc bool) builder[T] {
	return func(h *harness[T]) func(*Tape[T]) *Tensor[T] {
		h.mode = mode
		b := NewBatchNorm[T]("bn", 3)
		h.use(b)
		for i := range b.Mean.Data {
			b.Mean.Data[i] = T(0.3 * float64(i))
			b.Var.Data[i] = T(0.5 + float64(i))
		}
		a := h.input(5, 3)
		if nhwc {
			a = h.input(2, 2, 3, 3)
		}
		return func(tp *Tape[T]) *Tensor[T] { return b.Forward(tp, h.in(tp, a)) }
	}
}

func caseEmbedding[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	e := NewEmbedding[T](h.rng, "emb", 5, 3)
	h.use(e)
	ids := []int{1, 4, 1, 0, 2, 4}
	return func(tp *Tape[T]) *Tensor[T] { return tp.Square(e.Forward(tp, ids)) }
}

func caseAttention[T Float](causal, linear bool) builder[T] {
	return func(h *harness[T]) func(*Tape[T]) *Tensor[T] {
		a := h.input(2, 4, 3*6)
		return func(tp *Tape[T]) *Tensor[T] {
			if linear {
				return tp.LinearAttention(h.in(tp, a), 2, causal)
			}
			return tp.Attention(h.in(tp, a), 2, causal)
		}
	}
}

func caseLoss[T Float](kind string) builder[T] {
	return func(h *harness[T]) func(*Tape[T]) *Tensor[T] {
		p, t, v := h.input(4, 3), h.input(4, 3), h.input(4, 3)
		if kind == "gaussb" {
			v = h.input(3)
		}
		return func(tp *Tape[T]) *Tensor[T] {
			x, y, z := h.in(tp, p), h.in(tp, t), h.in(tp, v)
			switch kind {
			case "mse":
				return tp.MSE(x, y)
			case "huber":
				return tp.Huber(x, y, 0.7)
			case "ce":
				return tp.CrossEntropy(x, []int{2, 0, 1, 2})
			case "softce":
				return tp.SoftCrossEntropy(x, tp.Softmax(y))
			case "gauss", "gaussb":
				return tp.GaussianNLL(x, z, y)
			case "logprob":
				return tp.GaussianLogProb(x, z, y)
			}
			panic(kind)
		}
	}
}

func caseMLP[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	m := NewMLP[T](h.rng, "mlp", []int{4, 6, 5, 3}, ReLU, Identity)
	h.use(m)
	a := h.input(3, 4)
	return func(tp *Tape[T]) *Tensor[T] { return tp.CrossEntropy(m.Forward(tp, h.in(tp, a)), []int{0, 2, 1}) }
}

func caseSequential[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	s := &Sequential[T]{Layers: []Layer[T]{
		NewLinear[T](h.rng, "s.0", 4, 6, GELU),
		NewLayerNorm[T]("s.1", 6),
		NewLinear[T](h.rng, "s.2", 6, 2, Tanh),
	}}
	h.use(s)
	a := h.input(3, 4)
	return func(tp *Tape[T]) *Tensor[T] { return s.Forward(tp, h.in(tp, a)) }
}

func caseResBlock[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	r := NewResBlock[T](h.rng, "res", 3)
	h.use(r)
	a := h.input(2, 3, 4, 3)
	return func(tp *Tape[T]) *Tensor[T] { return r.Forward(tp, h.in(tp, a)) }
}

func casePolicyValue[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	n := NewPolicyValueNet[T](h.rng, "pv", PolicyValueConfig{Planes: 2, Height: 3, Width: 4, Blocks: 1, Channels: 3, Policy: 4, ValueHidden: 5})
	h.use(n)
	a := h.input(3, 2, 3, 4)
	return func(tp *Tape[T]) *Tensor[T] {
		p, v := n.Forward(tp, h.in(tp, a))
		return tp.ConcatLast(tp.LogSoftmax(p), v)
	}
}

func caseMHA[T Float](causal, linear bool) builder[T] {
	return func(h *harness[T]) func(*Tape[T]) *Tensor[T] {
		m := NewMultiHeadAttention[T](h.rng, "mha", 4, 2, causal, linear)
		h.use(m)
		a := h.input(2, 3, 4)
		return func(tp *Tape[T]) *Tensor[T] { return m.Forward(tp, h.in(tp, a)) }
	}
}

func caseBlock[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	b := NewTransformerBlock[T](h.rng, "blk", 4, 2, 6, true, false)
	h.use(b)
	a := h.input(2, 3, 4)
	return func(tp *Tape[T]) *Tensor[T] { return b.Forward(tp, h.in(tp, a)) }
}

func caseTransformer[T Float](h *harness[T]) func(*Tape[T]) *Tensor[T] {
	m := NewTransformer[T](h.rng, "tf", TransformerConfig{Vocab: 5, MaxLen: 4, Dim: 4, Heads: 2, Layers: 1, Hidden: 6, Out: 5})
	h.use(m)
	ids := []int{1, 2, 3, 4, 0, 2}
	return func(tp *Tape[T]) *Tensor[T] {
		return tp.CrossEntropy(tp.Reshape(m.Forward(tp, ids, 2, 3), 6, 5), []int{3, 2, 1, 0, 4, 2})
	}
}

// TestGradients compares, for every op and layer, the analytic gradient of
// a scalar function of its output with central finite differences, all in
// float64.
func TestGradients(t *testing.T) {
	const eps = 1e-6
	for _, c := range gradCases() {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness[float64](7)
			f := c.f64(h)
			ag := analytic(h, f)
			leaves := append(append([][]float64(nil), h.inputs...), paramData(h.params)...)
			checked := 0
			for li, buf := range leaves {
				for i := range buf {
					orig := buf[i]
					buf[i] = orig + eps
					lp := h.scalarLoss(NewTape[float64](h.mode), f).Item()
					buf[i] = orig - eps
					lm := h.scalarLoss(NewTape[float64](h.mode), f).Item()
					buf[i] = orig
					num := (lp - lm) / (2 * eps)
					an := ag.grads[li][i]
					if math.Abs(an-num) > 1e-6+1e-5*math.Max(math.Abs(an), math.Abs(num)) {
						t.Errorf("%s[%d]: analytic %.10g, finite difference %.10g", ag.names[li], i, an, num)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("no leaf checked")
			}
		})
	}
}

func paramData[T Float](ps []*Param[T]) [][]T {
	var out [][]T
	for _, p := range ps {
		out = append(out, p.Data)
	}
	return out
}

// TestFloat32MatchesFloat64 runs every case in float32 (through the
// optimized matrix kernel) and float64 (through the reference loop) from
// the same seed and compares losses and gradients.
func TestFloat32MatchesFloat64(t *testing.T) {
	for _, c := range gradCases() {
		t.Run(c.name, func(t *testing.T) {
			h32, h64 := newHarness[float32](7), newHarness[float64](7)
			g32 := analytic(h32, c.f32(h32))
			g64 := analytic(h64, c.f64(h64))
			if d := math.Abs(g32.loss - g64.loss); d > 1e-4*(1+math.Abs(g64.loss)) {
				t.Errorf("loss: float32 %g, float64 %g", g32.loss, g64.loss)
			}
			for li := range g64.grads {
				var scale, worst float64
				for i, v := range g64.grads[li] {
					scale = math.Max(scale, math.Abs(v))
					worst = math.Max(worst, math.Abs(float64(g32.grads[li][i])-v))
				}
				if worst > 1e-3*(scale+1e-3) {
					t.Errorf("%s: max difference %g against gradient scale %g", g64.names[li], worst, scale)
				}
			}
		})
	}
}
