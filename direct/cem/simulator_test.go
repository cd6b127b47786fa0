package cem

import (
	"slices"
	"testing"

	"argmax/env"
	"argmax/env/control"
)

// TestSimulatorDoesNotForeseeNoise: on a noisy pendulum the true model's
// rewards follow the call's seed, not the draws the env itself will make,
// unless the simulator is clairvoyant.
func TestSimulatorDoesNotForeseeNoise(t *testing.T) {
	p, err := control.NewPendulum(control.PendulumConfig{TorqueNoise: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	p.Reset(4)
	const h = 8
	actions := make([]float64, h)
	for i := range actions {
		actions[i] = 1
	}
	future := make([]float64, h)
	truth := p.Clone()
	for t := range h {
		_, future[t], _, _ = truth.Step(actions[t : t+1])
	}
	run := func(m Simulator, seed uint64) []float64 {
		r := make([]float64, h)
		if _, err := m.Evaluate(env.Situation{Env: p}, actions, h, seed, r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	if got := run(Simulator{Clairvoyant: true}, 1); !slices.Equal(got, future) {
		t.Errorf("clairvoyant rewards %v, want the future's %v", got, future)
	}
	a, b, a2 := run(Simulator{}, 1), run(Simulator{}, 2), run(Simulator{Workers: 2}, 1)
	if slices.Equal(a, future) || slices.Equal(a, b) {
		t.Errorf("reseeded rewards %v (seed 2: %v) match the future %v or each other", a, b, future)
	}
	if !slices.Equal(a, a2) {
		t.Errorf("rewards depend on the workers: %v vs %v", a, a2)
	}
}
