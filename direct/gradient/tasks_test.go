package gradient

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"argmax/task"
)

// quad is f(y; x) = ½ (y − A x)ᵀ Q (y − A x) with Q symmetric positive
// definite, solved by y* = A x with f* = 0.
type quad struct {
	dx, dy int
	a      []float64 // dy×dx
	q      []float64 // dy×dy
}

// newQuad draws A with N(0, 1) entries and Q = B Bᵀ/dy + I/2.
func newQuad(dx, dy int, seed uint64) quad {
	r := rand.New(rand.NewPCG(seed, 1))
	t := quad{dx: dx, dy: dy, a: make([]float64, dy*dx), q: make([]float64, dy*dy)}
	for i := range t.a {
		t.a[i] = r.NormFloat64()
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
			t.q[i*dy+j] = s / float64(dy)
		}
		t.q[i*dy+i] += 0.5
	}
	return t
}

// lmax bounds Q's largest eigenvalue (Gershgorin).
func (t quad) lmax() float64 {
	var m float64
	for i := range t.dy {
		var s float64
		for j := range t.dy {
			s += math.Abs(t.q[i*t.dy+j])
		}
		m = max(m, s)
	}
	return m
}

func (t quad) Name() string     { return fmt.Sprintf("quad:dx=%d,dy=%d", t.dx, t.dy) }
func (t quad) ContextDim() int  { return t.dx }
func (t quad) SolutionDim() int { return t.dy }
func (t quad) Context(s task.Split, seed uint64, i int, dst []float64) {
	r := rand.New(rand.NewPCG(seed, uint64(s)<<32|uint64(i)))
	for j := range dst {
		dst[j] = r.NormFloat64()
	}
}
func (t quad) Init(_, dst []float64) { clear(dst) }
func (t quad) Objective(x, y, grad []float64) float64 {
	d := make([]float64, t.dy)
	t.Solve(x, d)
	for i := range d {
		d[i] = y[i] - d[i]
	}
	var f float64
	for i := range t.dy {
		var qd float64
		for j := range t.dy {
			qd += t.q[i*t.dy+j] * d[j]
		}
		f += d[i] * qd / 2
		if grad != nil {
			grad[i] = qd
		}
	}
	return f
}
func (t quad) Solve(x, dst []float64) float64 {
	for i := range t.dy {
		var s float64
		for j := range t.dx {
			s += t.a[i*t.dx+j] * x[j]
		}
		dst[i] = s
	}
	return 0
}
func (t quad) HessVec(_, _, v, dst []float64) {
	for i := range t.dy {
		var s float64
		for j := range t.dy {
			s += t.q[i*t.dy+j] * v[j]
		}
		dst[i] = s
	}
}

// slow delays every objective evaluation of its task, so that a time
// budget runs out after a few iterations.
type slow struct {
	quad
	delay time.Duration
}

func (s slow) Objective(x, y, grad []float64) float64 {
	time.Sleep(s.delay)
	return s.quad.Objective(x, y, grad)
}

func dist(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return math.Sqrt(s)
}
