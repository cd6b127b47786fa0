package toytext

import (
	"math/rand/v2"
	"testing"
	"time"

	"argmax/env"
)

// pcgBaseline times one PCG draw (in seconds), the work of a slip, so that the
// benchmark reports a ratio that travels between machines.
func pcgBaseline() float64 {
	var p rand.PCG
	p.Seed(1, 2)
	const n = 1 << 20
	var sink uint64
	start := time.Now()
	for range n {
		sink += p.Uint64()
	}
	d := time.Since(start).Seconds() / n
	if sink == 42 {
		println()
	}
	return d
}

// BenchmarkStep steps each env with a cycle of actions (resetting at the
// end of an episode) and reports env-steps/s on one core, and the time of
// a step as a multiple of one PCG draw timed in the same run (x-pcg).
func BenchmarkStep(b *testing.B) {
	for _, c := range []struct {
		name string
		e    env.Env
	}{
		{"frozenlake-4x4", must(NewFrozenLake(FrozenLakeConfig{}))},
		{"frozenlake-8x8", must(NewFrozenLake(FrozenLakeConfig{Map: "8x8"}))},
		{"frozenlake-4x4-deterministic", must(NewFrozenLake(FrozenLakeConfig{Deterministic: true}))},
		{"cliffwalking", must(NewCliffWalking(CliffWalkingConfig{}))},
	} {
		b.Run(c.name, func(b *testing.B) {
			e := c.e
			e.Reset(1)
			actions := [][]float64{{0}, {1}, {2}, {1}, {2}, {3}, {1}}
			base := pcgBaseline()
			b.ResetTimer()
			start := time.Now()
			for i := 0; b.Loop(); i++ {
				if _, _, term, trunc := e.Step(actions[i%len(actions)]); term || trunc {
					e.Reset(uint64(i))
				}
			}
			el := time.Since(start)
			b.ReportMetric(float64(b.N)/el.Seconds(), "env-steps/s")
			b.ReportMetric(el.Seconds()/float64(b.N)/base, "x-pcg")
		})
	}
}
