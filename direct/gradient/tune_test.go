package gradient

import (
	"context"
	"math"
	"testing"

	"argmax/task"
)

// One GD step of size 1/q from y = 0 lands on the minimizer of the scalar
// quadratic ½ q (y − a x)², so TuneLR with one iteration must pick 1/q
// from a grid that holds it, with mean objective 0.
func TestTuneLRPicksTheExactStep(t *testing.T) {
	q := newQuad(1, 1, 4)
	exact := 1 / q.Q[0]
	grid := []float64{exact / 4, exact / 2, exact, 1.5 * exact, 1.9 * exact}
	xs := task.Contexts(q, task.Train, 1, 16)
	lr, mean, err := TuneLR(context.Background(), q, xs, nil, Config{}, 1, grid)
	if err != nil {
		t.Fatal(err)
	}
	if lr != exact || mean > 1e-20 {
		t.Errorf("TuneLR = %v (mean %g), want %v (mean 0)", lr, mean, exact)
	}
}

func TestTuneLRErrors(t *testing.T) {
	q := newQuad(2, 2, 5)
	xs := task.Contexts(q, task.Train, 1, 4)
	ctx := context.Background()
	if _, _, err := TuneLR(ctx, q, nil, nil, Config{}, 5, nil); err == nil {
		t.Error("no contexts: no error")
	}
	if _, _, err := TuneLR(ctx, q, xs, xs[:1], Config{}, 5, nil); err == nil {
		t.Error("starts of another length: no error")
	}
	if _, _, err := TuneLR(ctx, q, xs, nil, Config{}, 0, nil); err == nil {
		t.Error("0 iterations: no error")
	}
	if _, _, err := TuneLR(ctx, q, xs, nil, Config{}, 200, []float64{1e3 / q.LMax(), math.MaxFloat64}); err == nil {
		t.Error("every rate diverges: no error")
	}
}

// From starts already at the minimizer every rate keeps the objective at
// 0; from Init only 1/q does in one step.
func TestTuneLRFromStarts(t *testing.T) {
	q := newQuad(1, 1, 4)
	xs := task.Contexts(q, task.Train, 1, 8)
	starts := make([][]float64, len(xs))
	for i, x := range xs {
		starts[i] = make([]float64, 1)
		q.Solve(x, starts[i])
	}
	grid := []float64{0.1 / q.Q[0], 1 / q.Q[0]}
	lr, mean, err := TuneLR(context.Background(), q, xs, starts, Config{}, 1, grid)
	if err != nil || mean != 0 || lr != grid[0] {
		t.Errorf("TuneLR from the minimizers = %v, mean %g, %v; want the first rate, mean 0", lr, mean, err)
	}
}
