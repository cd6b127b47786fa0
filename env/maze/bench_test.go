package maze

import (
	"math/rand/v2"
	"testing"
	"time"
)

// drawTime times one PCG draw, in seconds: the baseline of the benchmarks'
// x-pcg ratios, which travel between machines where absolute times do not.
func drawTime() float64 {
	var src rand.PCG
	src.Seed(3, 4)
	const n = 1 << 20
	var acc uint64
	t0 := time.Now()
	for range n {
		acc ^= src.Uint64()
	}
	el := time.Since(t0).Seconds() / n
	if acc == 1 {
		println("")
	}
	return el
}

// BenchmarkStep steps a random walk, restarting it from the start of the
// same level (SetState, not a new level) when it ends, and reports
// env-steps/s on one core and a step's time in PCG draws (x-pcg).
func BenchmarkStep(b *testing.B) {
	for _, obs := range []string{ObsGlobal, ObsEgo} {
		b.Run(obs, func(b *testing.B) {
			m := must(New(Config{Obs: obs}))
			start := m.State()
			a := []float64{0}
			x := uint32(1)
			base := drawTime()
			b.ResetTimer()
			t0 := time.Now()
			for b.Loop() {
				x ^= x << 13
				x ^= x >> 17
				x ^= x << 5
				a[0] = float64(x & 3)
				if _, _, term, trunc := m.Step(a); term || trunc {
					m.SetState(start)
				}
			}
			el := time.Since(t0).Seconds()
			b.ReportMetric(float64(b.N)/el, "env-steps/s")
			b.ReportMetric(el/float64(b.N)/base, "x-pcg")
		})
	}
}

// BenchmarkReset generates levels of each distribution (7×7, the
// defaults) and reports levels/s and a level's time in PCG draws (x-pcg).
func BenchmarkReset(b *testing.B) {
	for _, dist := range dists {
		b.Run(dist, func(b *testing.B) {
			m := must(New(configOf(dist)))
			seed := uint64(0)
			base := drawTime()
			b.ResetTimer()
			t0 := time.Now()
			for b.Loop() {
				seed++
				m.Reset(seed)
			}
			el := time.Since(t0).Seconds()
			b.ReportMetric(float64(b.N)/el, "levels/s")
			b.ReportMetric(el/float64(b.N)/base, "x-pcg")
		})
	}
}
