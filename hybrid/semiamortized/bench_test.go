package semiamortized

import (
	"context"
	"fmt"
	"testing"
	"time"

	"argmax"
	"argmax/amortized/encoder"
)

// BenchmarkDecide times one semi-amortized decision (a forward pass of a
// 16→64→64→16 encoder plus K gradient steps on a 16-dimensional
// quadratic) for K = 1, 5, 20, beside the ratio to the encoder's forward
// pass alone, timed in the same run.
func BenchmarkDecide(b *testing.B) {
	q := newQuad(16, 16, 1)
	e, err := encoder.New(q, encoder.Config{Hidden: []int{64, 64}})
	if err != nil {
		b.Fatal(err)
	}
	x := make([]float64, 16)
	q.Context(0, 1, 0, x)
	ctx := context.Background()
	const passes = 2000
	pass := func() float64 {
		y := make([]float64, 16)
		start := time.Now()
		for range passes {
			e.Predict(x, y)
		}
		return float64(time.Since(start).Nanoseconds()) / passes
	}
	for _, k := range []int{1, 5, 20} {
		s, err := New(q, e, k, 0.5/q.LMax())
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("K=%d", k), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := s.Decide(ctx, x, argmax.Budget{}); err != nil {
					b.Fatal(err)
				}
			}
			d := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(d/pass(), "decision/pass")
		})
	}
}
