package cem_test

import (
	"context"
	"testing"

	"argmax"
	"argmax/direct/cem"
	"argmax/env"
	"argmax/env/control"
)

// BenchmarkPendulum plays one Pendulum-v1 episode (seed 0, 200 steps) per
// iteration with the true model, and reports its return (Gymnasium's
// swing-up threshold is about −200) and the model steps a decision.
func BenchmarkPendulum(b *testing.B) {
	for _, bc := range []struct {
		name string
		cfg  cem.Config
	}{
		{"cem/h30-n500-i5", cem.Config{Horizon: 30, Samples: 500, Iterations: 5, Smoothing: 0.1, Seed: 1}},
		{"mppi/h30-n500-i5", cem.Config{Method: cem.MPPI, Horizon: 30, Samples: 500, Iterations: 5, Temperature: 1, Seed: 1}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			pend, err := control.NewPendulum(control.PendulumConfig{})
			if err != nil {
				b.Fatal(err)
			}
			p, err := cem.New(cem.Simulator{}, bc.cfg)
			if err != nil {
				b.Fatal(err)
			}
			var ep env.Episode
			for b.Loop() {
				ep, err = env.Rollout(context.Background(), pend, p, 0, argmax.Budget{})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(ep.Return, "return")
			b.ReportMetric(float64(ep.Cost.Steps)/float64(ep.Steps), "steps/decision")
		})
	}
}
