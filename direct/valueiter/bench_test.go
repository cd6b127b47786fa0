package valueiter

import (
	"testing"
	"time"

	"argmax/env/toytext"
)

// dotBaseline times a plain float64 dot product gathering n values through
// an index array — the arithmetic of n backups without the table's
// structure — and returns its time per element in seconds, so that benchmarks report
// a ratio that travels between machines.
func dotBaseline(n int) float64 {
	v := make([]float64, 64)
	idx := make([]int, n)
	p := make([]float64, n)
	for i := range idx {
		idx[i], p[i] = (i*7)%64, 0.25
	}
	const reps = 2000
	var sink float64
	start := time.Now()
	for range reps {
		var q float64
		for i, j := range idx {
			q += p[i] * v[j]
		}
		sink += q
		v[0] = sink * 1e-300
	}
	return time.Since(start).Seconds() / float64(reps*n)
}

// BenchmarkValueIteration solves the slippery 8x8 FrozenLake at γ = 0.99
// to the default tolerance, hard and soft, and reports sweeps, transition
// backups per second and the time of a backup as a multiple of one element
// of a gathered dot product timed in the same run (x-dot).
func BenchmarkValueIteration(b *testing.B) {
	tab := table(lake(toytext.FrozenLakeConfig{Map: "8x8"}))
	for _, c := range []struct {
		name  string
		solve func() *Solution
	}{
		{"hard", func() *Solution { return must(ValueIteration(tab, Config{Gamma: 0.99})) }},
		{"soft-τ=0.01", func() *Solution { return must(SoftValueIteration(tab, Config{Gamma: 0.99}, 0.01)) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			base := dotBaseline(len(tab.tr))
			var sweeps, backups int64
			for b.Loop() {
				sol := c.solve()
				sweeps += int64(sol.Sweeps)
				backups += sol.Cost.Steps
			}
			s := b.Elapsed().Seconds()
			b.ReportMetric(float64(sweeps)/float64(b.N), "sweeps/op")
			b.ReportMetric(float64(backups)/s, "backups/s")
			b.ReportMetric(s/float64(backups)/base, "x-dot")
		})
	}
}

// BenchmarkVisitation runs the forward pass of a soft policy over 100
// steps on the slippery 8x8 lake.
func BenchmarkVisitation(b *testing.B) {
	tab := table(lake(toytext.FrozenLakeConfig{Map: "8x8"}))
	pi := must(SoftValueIteration(tab, Config{Gamma: 0.99}, 0.05)).Policy()
	for b.Loop() {
		must(Visitation(tab, pi, 100, Stay))
	}
}
