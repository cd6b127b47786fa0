// Package tasktest holds small tasks with known solutions for the tests
// of the packages that optimize tasks (direct/gradient, amortized/encoder,
// hybrid/semiamortized, lab/solvers).
package tasktest

import (
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/task"
)

// Quad is f(y; x) = ½ (y − A x)ᵀ Q (y − A x) with Q symmetric positive
// definite, solved by y* = A x with f* = 0. It implements task.Task,
// task.Exact and task.HessianVector.
type Quad struct {
	DX, DY int
	A      []float64 // DY×DX, row-major
	Q      []float64 // DY×DY, row-major
}

// NewQuad draws A with N(0, 1) entries and Q = B Bᵀ/dy + I/2 from seed.
func NewQuad(dx, dy int, seed uint64) Quad {
	r := rand.New(rand.NewPCG(seed, 1))
	t := Quad{DX: dx, DY: dy, A: make([]float64, dy*dx), Q: make([]float64, dy*dy)}
	for i := range t.A {
		t.A[i] = r.NormFloat64()
	}
	b := make([]float64, dy*dy)
	for i := range b {
		b[i] = r.NormFloat64()
	}
	for i := range dy {
		for j := range dy {
			var s float64
			for k := range dy {
				s += b[i*dy+k] * b[j*dy+k]
			}
			t.Q[i*dy+j] = s / float64(dy)
		}
		t.Q[i*dy+i] += 0.5
	}
	return t
}

// LMax bounds Q's largest eigenvalue (Gershgorin): gradient steps below
// 2/LMax descend.
func (t Quad) LMax() float64 {
	var m float64
	for i := range t.DY {
		var s float64
		for j := range t.DY {
			s += math.Abs(t.Q[i*t.DY+j])
		}
		m = max(m, s)
	}
	return m
}

func (t Quad) Name() string     { return fmt.Sprintf("quad:dx=%d,dy=%d", t.DX, t.DY) }
func (t Quad) ContextDim() int  { return t.DX }
func (t Quad) SolutionDim() int { return t.DY }

// Context draws x ~ N(0, I) for every split.
func (t Quad) Context(s task.Split, seed uint64, i int, dst []float64) {
	r := rand.New(rand.NewPCG(seed, uint64(s)<<32|uint64(i)))
	for j := range dst {
		dst[j] = r.NormFloat64()
	}
}

// Init writes y = 0.
func (t Quad) Init(_, dst []float64) { clear(dst) }

// Objective returns f(y; x) and its gradient Q (y − A x).
func (t Quad) Objective(x, y, grad []float64) float64 {
	d := make([]float64, t.DY)
	t.Solve(x, d)
	for i := range d {
		d[i] = y[i] - d[i]
	}
	var f float64
	for i := range t.DY {
		var qd float64
		for j := range t.DY {
			qd += t.Q[i*t.DY+j] * d[j]
		}
		f += d[i] * qd / 2
		if grad != nil {
			grad[i] = qd
		}
	}
	return f
}

// Solve writes y* = A x and returns f* = 0.
func (t Quad) Solve(x, dst []float64) float64 {
	for i := range t.DY {
		var s float64
		for j := range t.DX {
			s += t.A[i*t.DX+j] * x[j]
		}
		dst[i] = s
	}
	return 0
}

// HessVec writes Q v.
func (t Quad) HessVec(_, _, v, dst []float64) {
	for i := range t.DY {
		var s float64
		for j := range t.DY {
			s += t.Q[i*t.DY+j] * v[j]
		}
		dst[i] = s
	}
}
