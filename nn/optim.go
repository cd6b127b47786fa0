package nn

import (
	"fmt"
	"math"

	"argmax/nn/internal/vec"
)

// Schedule gives the learning rate for an optimizer step (counted from 0).
type Schedule interface {
	LR(step int) float64
}

type constLR float64

// LR returns the constant rate.
func (c constLR) LR(int) float64 { return float64(c) }

// ConstLR is a constant learning rate.
func ConstLR(lr float64) Schedule { return constLR(lr) }

type stepLR struct {
	lr, gamma float64
	every     int
}

// LR returns the rate after step/every decays.
func (s stepLR) LR(step int) float64 {
	return s.lr * math.Pow(s.gamma, float64(step/s.every))
}

// StepLR multiplies lr by gamma every `every` steps.
func StepLR(lr float64, every int, gamma float64) Schedule {
	if every <= 0 {
		panic(fmt.Sprintf("nn: StepLR period %d", every))
	}
	return stepLR{lr, gamma, every}
}

type cosineLR struct {
	lr, final     float64
	warmup, total int
}

// LR returns the warmup or cosine rate at step.
func (c cosineLR) LR(step int) float64 {
	if step < c.warmup {
		return c.lr * float64(step+1) / float64(c.warmup)
	}
	if step >= c.total {
		return c.final
	}
	p := float64(step-c.warmup) / float64(max(c.total-c.warmup, 1))
	return c.final + 0.5*(c.lr-c.final)*(1+math.Cos(math.Pi*p))
}

// CosineLR rises linearly from lr/warmup to lr over warmup steps, then
// decays along a half cosine to final at step total and stays there.
func CosineLR(lr float64, warmup, total int, final float64) Schedule {
	return cosineLR{lr, final, warmup, total}
}

// Optimizer updates parameters from their accumulated gradients.
type Optimizer interface {
	// Step applies one update using the gradients accumulated since the
	// previous Step, then zeroes them.
	Step()
	// Steps returns the number of updates applied so far.
	Steps() int
}

// SGD is stochastic gradient descent with momentum (heavy-ball or
// Nesterov) and L2 weight decay.
type SGD[T Float] struct {
	Schedule    Schedule
	Momentum    float64
	Nesterov    bool
	WeightDecay float64

	params []*Param[T]
	vel    [][]T
	t      int
}

// NewSGD returns SGD over the trainable parameters of ps.
func NewSGD[T Float](ps []*Param[T], lr Schedule, momentum float64) *SGD[T] {
	o := &SGD[T]{Schedule: lr, Momentum: momentum, params: Trainable(ps)}
	for _, p := range o.params {
		o.vel = append(o.vel, make([]T, len(p.Data)))
	}
	return o
}

// Steps returns the number of updates applied.
func (o *SGD[T]) Steps() int { return o.t }

// Step applies one update and zeroes the gradients.
func (o *SGD[T]) Step() {
	lr := T(o.Schedule.LR(o.t))
	mu, wd := T(o.Momentum), T(o.WeightDecay)
	for i, p := range o.params {
		v := o.vel[i][:len(p.Data)]
		g := p.Grad[:len(p.Data)]
		for j, w := range p.Data {
			gj := g[j] + wd*w
			v[j] = mu*v[j] + gj
			if o.Nesterov {
				gj += mu * v[j]
			} else {
				gj = v[j]
			}
			p.Data[j] = w - lr*gj
			g[j] = 0
		}
	}
	o.t++
}

// State returns the momentum buffers as named tensors (name "sgd.v." +
// parameter name) for checkpoints.
func (o *SGD[T]) State() []*Param[T] {
	var out []*Param[T]
	for i, p := range o.params {
		out = append(out, &Param[T]{Name: "sgd.v." + p.Name, Data: o.vel[i], shape: p.shape})
	}
	return out
}

// SetSteps sets the step counter (when resuming from a checkpoint).
func (o *SGD[T]) SetSteps(t int) { o.t = t }

// Adam is the Adam optimizer; with Decoupled set it is AdamW (weight decay
// applied to the weights directly rather than through the gradient).
type Adam[T Float] struct {
	Schedule     Schedule
	Beta1, Beta2 float64
	Eps          float64
	WeightDecay  float64
	Decoupled    bool

	params []*Param[T]
	m, v   [][]T
	t      int
}

// NewAdam returns Adam (β1=0.9, β2=0.999, ε=1e-8, no weight decay) over
// the trainable parameters of ps.
func NewAdam[T Float](ps []*Param[T], lr Schedule) *Adam[T] {
	o := &Adam[T]{Schedule: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, params: Trainable(ps)}
	for _, p := range o.params {
		o.m = append(o.m, make([]T, len(p.Data)))
		o.v = append(o.v, make([]T, len(p.Data)))
	}
	return o
}

// NewAdamW returns Adam with decoupled weight decay wd.
func NewAdamW[T Float](ps []*Param[T], lr Schedule, wd float64) *Adam[T] {
	o := NewAdam(ps, lr)
	o.WeightDecay, o.Decoupled = wd, true
	return o
}

// Steps returns the number of updates applied.
func (o *Adam[T]) Steps() int { return o.t }

// SetSteps sets the step counter (when resuming from a checkpoint).
func (o *Adam[T]) SetSteps(t int) { o.t = t }

// Step applies one update and zeroes the gradients.
func (o *Adam[T]) Step() {
	lr := o.Schedule.LR(o.t)
	o.t++
	b1, b2 := o.Beta1, o.Beta2
	c1 := 1 - math.Pow(b1, float64(o.t))
	c2 := 1 - math.Pow(b2, float64(o.t))
	step := T(lr * math.Sqrt(c2) / c1)
	eps := T(o.Eps * math.Sqrt(c2))
	B1, B2, A1, A2 := T(b1), T(b2), T(1-b1), T(1-b2)
	var l2, decay T = 0, 1
	if o.Decoupled {
		decay = T(1 - lr*o.WeightDecay)
	} else {
		l2 = T(o.WeightDecay)
	}
	if is32[T]() {
		ap := vec.AdamParams{B1: float32(b1), B2: float32(b2), A1: float32(1 - b1), A2: float32(1 - b2),
			Step: float32(step), Eps: float32(eps), Decay: float32(decay), L2: float32(l2)}
		for i, p := range o.params {
			vec.Adam(as32(p.Data), as32(p.Grad), as32(o.m[i]), as32(o.v[i]), &ap)
		}
		return
	}
	for i, p := range o.params {
		w := p.Data
		g, m, v := p.Grad[:len(w)], o.m[i][:len(w)], o.v[i][:len(w)]
		for j := range w {
			gj := g[j] + l2*w[j]
			mj := B1*m[j] + A1*gj
			vj := B2*v[j] + A2*gj*gj
			m[j], v[j] = mj, vj
			w[j] = w[j]*decay - step*mj/(T(math.Sqrt(float64(vj)))+eps)
			g[j] = 0
		}
	}
}

// State returns the moment estimates as named tensors ("adam.m." and
// "adam.v." + parameter name) for checkpoints.
func (o *Adam[T]) State() []*Param[T] {
	var out []*Param[T]
	for i, p := range o.params {
		out = append(out,
			&Param[T]{Name: "adam.m." + p.Name, Data: o.m[i], shape: p.shape},
			&Param[T]{Name: "adam.v." + p.Name, Data: o.v[i], shape: p.shape})
	}
	return out
}

// ClipGradNorm scales the gradients of ps so that their global L2 norm is
// at most maxNorm, and returns the norm before clipping.
func ClipGradNorm[T Float](ps []*Param[T], maxNorm float64) float64 {
	var s float64
	for _, p := range ps {
		if is32[T]() {
			s += vec.SumSquares(as32(p.Grad))
			continue
		}
		for _, g := range p.Grad {
			s += float64(g) * float64(g)
		}
	}
	norm := math.Sqrt(s)
	if norm > maxNorm && norm > 0 {
		f := T(maxNorm / norm)
		for _, p := range ps {
			if is32[T]() {
				vec.Scale(as32(p.Grad), float32(f))
				continue
			}
			for j := range p.Grad {
				p.Grad[j] *= f
			}
		}
	}
	return norm
}
