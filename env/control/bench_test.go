package control

import (
	"math/rand/v2"
	"testing"
	"time"

	"argmax/env"
)

// BenchmarkCartPoleVec steps 4,096 cart-poles with random pushes (64
// precomputed action vectors, cycled, as scripts/peers/numpy_cartpole.py
// does) and reports env-steps/s on one core.
func BenchmarkCartPoleVec(b *testing.B) {
	for _, c := range []struct {
		name string
		cfg  CartPoleConfig
	}{
		{"gymnasium", CartPoleConfig{}},
		{"hidden-params", CartPoleConfig{MassPole: Range{0.05, 0.5}, Length: Range{0.25, 1}}},
		{"noise", CartPoleConfig{ForceNoise: 1}},
	} {
		b.Run(c.name, func(b *testing.B) {
			const n = 4096
			v := must(NewCartPoleVec(n, 1, c.cfg))
			rng := rand.New(rand.NewPCG(1, 2))
			pool := make([][]int32, 64)
			for k := range pool {
				pool[k] = make([]int32, n)
				for i := range pool[k] {
					pool[k][i] = int32(rng.IntN(2))
				}
			}
			b.ResetTimer()
			start := time.Now()
			for k := 0; b.Loop(); k++ {
				v.Step(pool[k%len(pool)])
			}
			b.ReportMetric(float64(b.N)*n/time.Since(start).Seconds(), "env-steps/s")
		})
	}
}

// BenchmarkStep steps one env at a time (ns per step).
func BenchmarkStep(b *testing.B) {
	envs := []env.Env{
		must(NewCartPole(CartPoleConfig{})),
		must(NewPendulum(PendulumConfig{})),
		must(NewMountainCar(MountainCarConfig{})),
		must(NewAcrobot(AcrobotConfig{})),
		must(NewPointMass(PointMassConfig{})),
	}
	for _, e := range envs {
		b.Run(e.Name(), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			space := e.ActionSpace()
			actions := make([][]float64, 64)
			for k := range actions {
				actions[k] = randomAction(rng, space, nil)
			}
			e.Reset(1)
			for k := 0; b.Loop(); k++ {
				if _, _, term, trunc := e.Step(actions[k%len(actions)]); term || trunc {
					e.Reset(uint64(k))
				}
			}
		})
	}
}
