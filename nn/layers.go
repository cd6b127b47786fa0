package nn

import (
	"fmt"
	"math/rand/v2"
)

// Linear is a fully connected layer y = act(x·W + b) with W of shape
// [in, out], applied along the last axis.
type Linear[T Float] struct {
	W, B *Param[T] // B may be nil
	Act  Act
}

// NewLinear returns a Linear layer named name (parameters name.weight and
// name.bias) with weights drawn by the initializer suited to act (He for
// ReLU/GELU, Xavier otherwise) and zero bias.
func NewLinear[T Float](rng *rand.Rand, name string, in, out int, act Act) *Linear[T] {
	l := &Linear[T]{W: NewParam[T](name+".weight", in, out), B: NewParam[T](name+".bias", out), Act: act}
	l.W.Init(rng, defaultInit(act))
	return l
}

// Params returns W and B.
func (l *Linear[T]) Params() []*Param[T] {
	if l.B == nil {
		return []*Param[T]{l.W}
	}
	return []*Param[T]{l.W, l.B}
}

// Forward applies the layer to x of shape [..., in].
func (l *Linear[T]) Forward(tp *Tape[T], x *Tensor[T]) *Tensor[T] {
	var b *Tensor[T]
	if l.B != nil {
		b = tp.Param(l.B)
	}
	return tp.Linear(x, tp.Param(l.W), b, l.Act)
}

// In returns the input width.
func (l *Linear[T]) In() int { return l.W.shape[0] }

// Out returns the output width.
func (l *Linear[T]) Out() int { return l.W.shape[1] }

// MLP is a stack of Linear layers.
type MLP[T Float] struct {
	Layers []*Linear[T]
}

// NewMLP returns an MLP with the given layer widths (sizes[0] inputs,
// sizes[len-1] outputs), activation hidden between layers and out after the
// last. Layers are named name.0, name.1, ...
func NewMLP[T Float](rng *rand.Rand, name string, sizes []int, hidden, out Act) *MLP[T] {
	if len(sizes) < 2 {
		panic(fmt.Sprintf("nn: MLP %s needs at least two sizes, got %v", name, sizes))
	}
	m := &MLP[T]{}
	for i := 0; i+1 < len(sizes); i++ {
		act := hidden
		if i+2 == len(sizes) {
			act = out
		}
		m.Layers = append(m.Layers, NewLinear[T](rng, fmt.Sprintf("%s.%d", name, i), sizes[i], sizes[i+1], act))
	}
	return m
}

// Params returns the parameters of every layer in order.
func (m *MLP[T]) Params() []*Param[T] {
	var ps []*Param[T]
	for _, l := range m.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Forward applies the layers in turn.
func (m *MLP[T]) Forward(tp *Tape[T], x *Tensor[T]) *Tensor[T] {
	for _, l := range m.Layers {
		x = l.Forward(tp, x)
	}
	return x
}

// Sequential chains layers.
type Sequential[T Float] struct {
	Layers []Layer[T]
}

// Params returns the parameters of every layer in order.
func (s *Sequential[T]) Params() []*Param[T] {
	var ps []*Param[T]
	for _, l := range s.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Forward applies the layers in turn.
func (s *Sequential[T]) Forward(tp *Tape[T], x *Tensor[T]) *Tensor[T] {
	for _, l := range s.Layers {
		x = l.Forward(tp, x)
	}
	return x
}

// Conv2D is a square-kernel, stride-1 convolution over NHWC images with
// weights of shape [k, k, in, out], fused bias and activation.
type Conv2D[T Float] struct {
	W, B *Param[T] // B may be nil
	Pad  int
	Act  Act
}

// NewConv2D returns a convolution named name with a k×k kernel and zero
// padding pad (pad = k/2 keeps the board size). With bias false it has no
// bias (as before a BatchNorm).
func NewConv2D[T Float](rng *rand.Rand, name string, in, out, k, pad int, bias bool, act Act) *Conv2D[T] {
	c := &Conv2D[T]{W: NewParam[T](name+".weight", k, k, in, out), Pad: pad, Act: act}
	c.W.Init(rng, defaultInit(act))
	if act == Identity {
		c.W.Init(rng, HeNormal()) // convolutions here feed BatchNorm+ReLU
	}
	if bias {
		c.B = NewParam[T](name+".bias", out)
	}
	return c
}

// Params returns W and, if present, B.
func (c *Conv2D[T]) Params() []*Param[T] {
	if c.B == nil {
		return []*Param[T]{c.W}
	}
	return []*Param[T]{c.W, c.B}
}

// Forward convolves x of shape [n, h, w, in].
func (c *Conv2D[T]) Forward(tp *Tape[T], x *Tensor[T]) *Tensor[T] {
	var b *Tensor[T]
	if c.B != nil {
		b = tp.Param(c.B)
	}
	return tp.Conv2D(x, tp.Param(c.W), b, c.Pad, c.Act)
}

// BatchNorm normalises the last axis with batch statistics in training and
// running statistics otherwise.
type BatchNorm[T Float] struct {
	Gamma, Beta *Param[T]
	Mean, Var   *Param[T] // running statistics (buffers)
	Momentum    float64   // weight of the newest batch in the running averages
	Eps         float64
}

// NewBatchNorm returns a BatchNorm over c channels with γ=1, β=0,
// momentum 0.1 and ε=1e-5; parameters are name.weight, name.bias,
// name.running_mean and name.running_var.
func NewBatchNorm[T Float](name string, c int) *BatchNorm[T] {
	b := &BatchNorm[T]{
		Gamma: NewParam[T](name+".weight", c), Beta: NewParam[T](name+".bias", c),
		Mean: NewBuffer[T](name+".running_mean", c), Var: NewBuffer[T](name+".running_var", c),
		Momentum: 0.1, Eps: 1e-5,
	}
	b.Gamma.Fill(1)
	b.Var.Fill(1)
	return b
}

// Params returns γ, β and the running statistics.
func (b *BatchNorm[T]) Params() []*Param[T] {
	return []*Param[T]{b.Gamma, b.Beta, b.Mean, b.Var}
}

// Forward normalises x along its last axis.
func (b *BatchNorm[T]) Forward(tp *Tape[T], x *Tensor[T]) *Tensor[T] {
	return tp.BatchNorm(x, tp.Param(b.Gamma), tp.Param(b.Beta), b.Mean.Data, b.Var.Data, b.Momentum, b.Eps)
}

// LayerNorm normalises each vector along the last axis.
type LayerNorm[T Float] struct {
	Gamma, Beta *Param[T]
	Eps         float64
}

// NewLayerNorm returns a LayerNorm over vectors of size d with γ=1, β=0
// and ε=1e-5.
func NewLayerNorm[T Float](name string, d int) *LayerNorm[T] {
	l := &LayerNorm[T]{Gamma: NewParam[T](name+".weight", d), Beta: NewParam[T](name+".bias", d), Eps: 1e-5}
	l.Gamma.Fill(1)
	return l
}

// Params returns γ and β.
func (l *LayerNorm[T]) Params() []*Param[T] { return []*Param[T]{l.Gamma, l.Beta} }

// Forward normalises x along its last axis.
func (l *LayerNorm[T]) Forward(tp *Tape[T], x *Tensor[T]) *Tensor[T] {
	return tp.LayerNorm(x, tp.Param(l.Gamma), tp.Param(l.Beta), l.Eps)
}

// Embedding maps integer ids to learned vectors.
type Embedding[T Float] struct {
	Table *Param[T] // [vocab, dim]
}

// NewEmbedding returns a table of vocab vectors of size dim drawn from
// N(0, 1/dim), named name.weight.
func NewEmbedding[T Float](rng *rand.Rand, name string, vocab, dim int) *Embedding[T] {
	e := &Embedding[T]{Table: NewParam[T](name+".weight", vocab, dim)}
	e.Table.Init(rng, Normal(1/sqrtf(float64(dim))))
	return e
}

// Params returns the table.
func (e *Embedding[T]) Params() []*Param[T] { return []*Param[T]{e.Table} }

// Forward looks up ids and returns [len(ids), dim].
func (e *Embedding[T]) Forward(tp *Tape[T], ids []int) *Tensor[T] {
	return tp.Embedding(tp.Param(e.Table), ids)
}
