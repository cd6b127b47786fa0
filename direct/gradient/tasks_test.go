package gradient

import (
	"math"
	"time"

	"argmax/task/tasktest"
)

// quad is the shared quadratic test task (task/tasktest).
type quad = tasktest.Quad

func newQuad(dx, dy int, seed uint64) quad { return tasktest.NewQuad(dx, dy, seed) }

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
