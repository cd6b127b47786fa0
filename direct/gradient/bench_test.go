package gradient

import (
	"context"
	"testing"
	"time"

	"argmax"
)

// BenchmarkStep times one iteration (update plus objective and gradient)
// of each method on a 16-dimensional quadratic, and reports it beside
// the ratio to one evaluation of the objective timed in the same run
// (the optimizer's own overhead: 1 would be none).
func BenchmarkStep(b *testing.B) {
	const iters = 1000
	q := newQuad(8, 16, 1)
	x := make([]float64, 8)
	q.Context(0, 1, 0, x)
	g, y := make([]float64, 16), make([]float64, 16)
	evalNanos := func() float64 {
		start := time.Now()
		for range 10 * iters {
			q.Objective(x, y, g)
		}
		return float64(time.Since(start).Nanoseconds()) / (10 * iters)
	}
	for _, m := range []Method{GD, Adam} {
		b.Run(m.String(), func(b *testing.B) {
			cfg := Config{Method: m, LR: 0.5 / q.LMax()}
			for b.Loop() {
				if _, err := Minimize(context.Background(), q, x, nil, cfg, argmax.Budget{Iterations: iters}); err != nil {
					b.Fatal(err)
				}
			}
			step := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / iters
			b.ReportMetric(step, "ns/step")
			b.ReportMetric(step/evalNanos(), "step/eval")
		})
	}
}
