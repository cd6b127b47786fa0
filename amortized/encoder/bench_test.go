package encoder

import (
	"testing"
	"time"
)

// BenchmarkForward times one answer (a forward pass of a 16→64→64→16
// MLP) and reports it beside the ratio to one evaluation of the task's
// objective and gradient, timed in the same run: what an amortized
// answer costs in units of a direct optimizer's iteration.
func BenchmarkForward(b *testing.B) {
	q := newQuad(16, 16, 1)
	e, err := New(q, Config{Hidden: []int{64, 64}})
	if err != nil {
		b.Fatal(err)
	}
	x, y, g := make([]float64, 16), make([]float64, 16), make([]float64, 16)
	q.Context(0, 1, 0, x)
	var flops int64
	for b.Loop() {
		flops = e.Predict(x, y)
	}
	pass := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	const evals = 10000
	start := time.Now()
	for range evals {
		q.Objective(x, y, g)
	}
	eval := float64(time.Since(start).Nanoseconds()) / evals
	b.ReportMetric(float64(flops), "FLOPs/pass")
	b.ReportMetric(pass/eval, "pass/eval")
}

// BenchmarkTrainStep times one training step (batch 64) of the same net
// on the objective loss (a run of 100 steps, context generation and
// two one-context curve points included).
func BenchmarkTrainStep(b *testing.B) {
	q := newQuad(16, 16, 1)
	cfg := Config{Hidden: []int{64, 64}, Steps: 100, Batch: 64, Contexts: 1024, Eval: 1, EvalEvery: 100}
	for b.Loop() {
		if _, err := Train(b.Context(), q, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100, "ns/step")
}
