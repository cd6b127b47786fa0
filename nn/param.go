package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Param is a named tensor that persists across passes: a trainable weight
// (Grad non-nil) or a buffer such as BatchNorm's running statistics (Grad
// nil). Names are the keys of checkpoints, dotted like PyTorch's
// ("block0.conv1.weight").
type Param[T Float] struct {
	Name  string
	Data  []T
	Grad  []T // accumulated gradient; nil for buffers
	shape []int
}

// NewParam returns a trainable parameter of zeros.
func NewParam[T Float](name string, shape ...int) *Param[T] {
	n := numel(shape)
	if len(shape) > MaxRank {
		panic(fmt.Sprintf("nn: parameter %s of rank %d exceeds MaxRank", name, len(shape)))
	}
	return &Param[T]{Name: name, Data: make([]T, n), Grad: make([]T, n), shape: append([]int(nil), shape...)}
}

// NewBuffer returns a non-trainable named tensor of zeros; optimizers skip
// it and checkpoints keep it.
func NewBuffer[T Float](name string, shape ...int) *Param[T] {
	p := NewParam[T](name, shape...)
	p.Grad = nil
	return p
}

// Shape returns the parameter's dimensions (do not modify).
func (p *Param[T]) Shape() []int { return p.shape }

// Trainable reports whether the parameter receives gradients.
func (p *Param[T]) Trainable() bool { return p.Grad != nil }

// ZeroGrad clears the accumulated gradient.
func (p *Param[T]) ZeroGrad() { clear(p.Grad) }

// Fill sets every value to v.
func (p *Param[T]) Fill(v float64) {
	for i := range p.Data {
		p.Data[i] = T(v)
	}
}

// Init draws the values from init using rng. The fan-in and fan-out come
// from the shape read as [receptive..., in, out] (Linear [in, out], Conv2D
// [k, k, in, out]): fanIn = receptive·in, fanOut = receptive·out. Values
// are drawn in float64 in a fixed order, so float32 and float64 parameters
// built from the same seed hold the same numbers up to rounding.
func (p *Param[T]) Init(rng *rand.Rand, init Init) {
	fanIn, fanOut := fans(p.shape)
	for i := range p.Data {
		p.Data[i] = T(init.sample(rng, fanIn, fanOut))
	}
}

func fans(shape []int) (fanIn, fanOut int) {
	switch len(shape) {
	case 0:
		return 1, 1
	case 1:
		return shape[0], shape[0]
	}
	rec := 1
	for _, d := range shape[:len(shape)-2] {
		rec *= d
	}
	return rec * shape[len(shape)-2], rec * shape[len(shape)-1]
}

type initKind uint8

const (
	initConst initKind = iota
	initUniform
	initNormal
	initXavierUniform
	initXavierNormal
	initHeUniform
	initHeNormal
)

// Init is a distribution to draw initial weights from.
type Init struct {
	kind initKind
	a    float64
}

// Constant sets every value to v.
func Constant(v float64) Init { return Init{initConst, v} }

// Uniform draws from U(-limit, limit).
func Uniform(limit float64) Init { return Init{initUniform, limit} }

// Normal draws from N(0, std²).
func Normal(std float64) Init { return Init{initNormal, std} }

// XavierUniform (Glorot) draws from U(-a, a) with a = gain·√(6/(fanIn+fanOut)).
func XavierUniform(gain float64) Init { return Init{initXavierUniform, gain} }

// XavierNormal draws from N(0, gain²·2/(fanIn+fanOut)).
func XavierNormal(gain float64) Init { return Init{initXavierNormal, gain} }

// HeUniform (Kaiming) draws from U(-a, a) with a = √(6/fanIn), for ReLU nets.
func HeUniform() Init { return Init{initHeUniform, 1} }

// HeNormal draws from N(0, 2/fanIn), for ReLU nets.
func HeNormal() Init { return Init{initHeNormal, 1} }

func (in Init) sample(rng *rand.Rand, fanIn, fanOut int) float64 {
	fi, fo := float64(max(fanIn, 1)), float64(max(fanOut, 1))
	switch in.kind {
	case initConst:
		return in.a
	case initUniform:
		return in.a * (2*rng.Float64() - 1)
	case initNormal:
		return in.a * rng.NormFloat64()
	case initXavierUniform:
		return in.a * math.Sqrt(6/(fi+fo)) * (2*rng.Float64() - 1)
	case initXavierNormal:
		return in.a * math.Sqrt(2/(fi+fo)) * rng.NormFloat64()
	case initHeUniform:
		return math.Sqrt(6/fi) * (2*rng.Float64() - 1)
	case initHeNormal:
		return math.Sqrt(2/fi) * rng.NormFloat64()
	}
	panic("nn: unknown initializer")
}

// defaultInit is the weight initializer for a layer followed by act.
func defaultInit(act Act) Init {
	if act == ReLU || act == GELU {
		return HeNormal()
	}
	return XavierUniform(1)
}

// NewRand returns a PCG-seeded generator; the same seed gives the same
// stream on every machine.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Module is anything that owns parameters.
type Module[T Float] interface {
	// Params returns the module's named tensors, trainable ones and
	// buffers, in a fixed order.
	Params() []*Param[T]
}

// Layer is a module with a single-input forward pass.
type Layer[T Float] interface {
	Module[T]
	Forward(tp *Tape[T], x *Tensor[T]) *Tensor[T]
}

// Collect concatenates the parameters of several modules.
func Collect[T Float](mods ...Module[T]) []*Param[T] {
	var ps []*Param[T]
	for _, m := range mods {
		ps = append(ps, m.Params()...)
	}
	return ps
}

// Trainable returns the parameters that receive gradients.
func Trainable[T Float](ps []*Param[T]) []*Param[T] {
	var out []*Param[T]
	for _, p := range ps {
		if p.Trainable() {
			out = append(out, p)
		}
	}
	return out
}

// CountParams returns the number of trainable scalars in m.
func CountParams[T Float](m Module[T]) int {
	n := 0
	for _, p := range m.Params() {
		if p.Trainable() {
			n += len(p.Data)
		}
	}
	return n
}

// ZeroGrads clears the gradients of ps.
func ZeroGrads[T Float](ps []*Param[T]) {
	for _, p := range ps {
		p.ZeroGrad()
	}
}
