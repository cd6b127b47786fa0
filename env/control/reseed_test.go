package control

import (
	"slices"
	"testing"

	"argmax/env"
)

// trace steps e with a fixed torque and returns the observations.
func trace(e env.Env, n int) []float64 {
	var out []float64
	for range n {
		obs, _, _, _ := e.Step([]float64{0.5})
		out = append(out, obs...)
	}
	return out
}

func TestReseed(t *testing.T) {
	for _, tc := range []struct {
		name  string
		noisy bool
	}{{"deterministic", false}, {"noisy dynamics and wrappers", true}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := PendulumConfig{}
			if tc.noisy {
				cfg.TorqueNoise, cfg.StateNoise = 0.3, 0.01
			}
			p, err := NewPendulum(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var e env.Env = p
			if tc.noisy {
				if e, err = env.NoisyActions(e, 0.2); err != nil {
					t.Fatal(err)
				}
				if e, err = env.ObservationNoise(e, 0.1); err != nil {
					t.Fatal(err)
				}
			}
			e.Reset(3)
			trace(e, 5)
			a, b := e.Clone(), e.Clone()
			if !slices.Equal(trace(a, 20), trace(b, 20)) {
				t.Fatal("two clones drew differently")
			}
			a, b, c := e.Clone(), e.Clone(), e.Clone()
			env.Reseed(a, 1)
			env.Reseed(b, 2)
			env.Reseed(c, 1)
			ta, tb, tc2 := trace(a, 20), trace(b, 20), trace(c, 20)
			if !slices.Equal(ta, tc2) {
				t.Error("the same reseed gave different draws")
			}
			if differ := !slices.Equal(ta, tb); differ != tc.noisy {
				t.Errorf("reseeds 1 and 2 differ: %v, want %v", differ, tc.noisy)
			}
			if want := trace(e.Clone(), 20); !tc.noisy && !slices.Equal(ta, want) {
				t.Error("reseeding a deterministic env changed its steps")
			}
		})
	}
}
