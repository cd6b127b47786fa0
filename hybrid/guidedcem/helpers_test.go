package guidedcem_test

import (
	"context"
	"path/filepath"
	"testing"

	"argmax"
	"argmax/amortized/ppo"
	"argmax/env"
	"argmax/env/control"
	"argmax/hybrid/guidedcem"
)

func loadPPO(t testing.TB, file string) *guidedcem.PPO {
	t.Helper()
	p, err := ppo.Load(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	a, err := guidedcem.NewPPO(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func pendulum() env.Env { return must(control.NewPendulum(control.PendulumConfig{})) }

// returns plays one episode per seed and returns the mean return and the
// mean cost per episode.
func returns(t testing.TB, e env.Env, p env.Policy, seeds []uint64) (float64, argmax.Cost, []float64) {
	t.Helper()
	var sum float64
	var c argmax.Cost
	var rs []float64
	for _, s := range seeds {
		ep, err := env.Rollout(context.Background(), e, p, s, argmax.Budget{})
		if err != nil {
			t.Fatal(err)
		}
		sum += ep.Return
		rs = append(rs, ep.Return)
		c = c.Add(ep.Cost)
	}
	return sum / float64(len(seeds)), c, rs
}
