package semiamortized

import (
	"math"
	"math/rand/v2"

	"argmax/task"
	"argmax/task/tasktest"
)

// quad is the shared quadratic test task (task/tasktest).
type quad = tasktest.Quad

func newQuad(dx, dy int, seed uint64) quad { return tasktest.NewQuad(dx, dy, seed) }

// logcosh is f(y; x) = Σ_j log cosh((B (y − A x))_j), smooth and convex
// but not quadratic, minimized at y* = A x with f* = 0. It does not
// implement task.HessianVector, so task.HessVec differentiates its
// gradient numerically.
type logcosh struct {
	quad quad      // dimensions, contexts and A
	b    []float64 // dy×dy
}

func newLogcosh(dx, dy int, seed uint64) logcosh {
	l := logcosh{quad: newQuad(dx, dy, seed), b: make([]float64, dy*dy)}
	r := rand.New(rand.NewPCG(seed, 2))
	for i := range l.b {
		l.b[i] = r.NormFloat64() / math.Sqrt(float64(dy))
	}
	for i := range dy {
		l.b[i*dy+i] += 1
	}
	return l
}

func (l logcosh) Name() string     { return "logcosh:" + l.quad.Name() }
func (l logcosh) ContextDim() int  { return l.quad.DX }
func (l logcosh) SolutionDim() int { return l.quad.DY }
func (l logcosh) Context(s task.Split, seed uint64, i int, dst []float64) {
	l.quad.Context(s, seed, i, dst)
}
func (l logcosh) Init(x, dst []float64)          { clear(dst) }
func (l logcosh) Solve(x, dst []float64) float64 { return l.quad.Solve(x, dst) }
func (l logcosh) Objective(x, y, grad []float64) float64 {
	dy := l.quad.DY
	d := make([]float64, dy)
	l.Solve(x, d)
	for i := range d {
		d[i] = y[i] - d[i]
	}
	if grad != nil {
		clear(grad)
	}
	var f float64
	for j := range dy {
		var z float64
		for i := range dy {
			z += l.b[j*dy+i] * d[i]
		}
		f += math.Log(math.Cosh(z))
		if grad != nil {
			th := math.Tanh(z)
			for i := range dy {
				grad[i] += l.b[j*dy+i] * th
			}
		}
	}
	return f
}

// curved is f(y; x) = ½ Σ_i q_i (y_i − sin(3 x_i))²: a quadratic whose
// solution y*(x) = sin(3x) a small encoder cannot fit exactly, with
// curvatures q that differ tenfold, so that gradient steps of size ≈ 1/q_max
// remove the error along the stiff axis fast and along the flat one slowly.
type curved struct{ q []float64 }

func (c curved) Name() string     { return "curved" }
func (c curved) ContextDim() int  { return len(c.q) }
func (c curved) SolutionDim() int { return len(c.q) }
func (c curved) Context(s task.Split, seed uint64, i int, dst []float64) {
	r := rand.New(rand.NewPCG(seed, uint64(s)<<32|uint64(i)))
	for j := range dst {
		dst[j] = 2*r.Float64() - 1
	}
}
func (c curved) Init(_, dst []float64) { clear(dst) }
func (c curved) Objective(x, y, grad []float64) float64 {
	var f float64
	for i, q := range c.q {
		d := y[i] - math.Sin(3*x[i])
		f += q * d * d / 2
		if grad != nil {
			grad[i] = q * d
		}
	}
	return f
}
func (c curved) Solve(x, dst []float64) float64 {
	for i := range c.q {
		dst[i] = math.Sin(3 * x[i])
	}
	return 0
}
func (c curved) HessVec(_, _, v, dst []float64) {
	for i, q := range c.q {
		dst[i] = q * v[i]
	}
}
