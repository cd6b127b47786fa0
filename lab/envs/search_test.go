package envs

import (
	"context"
	"strings"
	"testing"

	"argmax"
	"argmax/direct/mcts"
	"argmax/env"
	"argmax/lab/cache"
)

// TestSearchSpecs checks the keys of the mcts kind and its defaults by
// action space, and the roles of both search kinds.
func TestSearchSpecs(t *testing.T) {
	tests := []struct {
		env, spec string
		want      mcts.EnvConfig
	}{
		{"pendulum", "mcts", mcts.EnvConfig{Levels: 5, Discount: 1, ModelConfig: mcts.ModelConfig{
			C: mcts.DefaultModelUCTC, Horizon: 15, Depth: mcts.DefaultDepth, Rollouts: 1, Seed: 8, Budget: argmax.Budget{Simulations: 200}}}},
		{"cartpole", "mcts", mcts.EnvConfig{Levels: 5, Discount: 1, ModelConfig: mcts.ModelConfig{
			C: mcts.DefaultModelUCTC, Horizon: 20, Depth: mcts.DefaultDepth, Rollouts: 1, Seed: 8, Budget: argmax.Budget{Simulations: 200}}}},
		{"pendulum", "mcts:sims=30,levels=3,horizon=0,depth=7,rollouts=2,c=2,discount=0.9,seed=9", mcts.EnvConfig{Levels: 3, Discount: 0.9, ModelConfig: mcts.ModelConfig{
			C: 2, Depth: 7, Rollouts: 2, Seed: 9, Budget: argmax.Budget{Simulations: 30}}}},
	}
	for _, tc := range tests {
		e, _ := New(tc.env)
		p, err := NewPolicyIn(Context{Env: e, Seed: 7}, tc.spec)
		if err != nil {
			t.Fatalf("%s: %v", tc.spec, err)
		}
		got := p.(*mcts.EnvPlanner).Config()
		got.MaxNodes, got.Batch = 0, 0
		if got.Levels != tc.want.Levels || got.Discount != tc.want.Discount || got.ModelConfig != tc.want.ModelConfig || got.Prior != nil {
			t.Errorf("%s on %s: config %+v, want %+v", tc.spec, tc.env, got, tc.want)
		}
	}
	for spec, want := range map[string]argmax.Role{"mcts": argmax.Direct, "guidedmcts:steps=10": argmax.Hybrid} {
		if r, err := PolicyRole(spec); err != nil || r != want {
			t.Errorf("role of %s: %v %v, want %v", spec, r, err, want)
		}
	}
}

// TestSearchBadSpecs checks that bad keys and values are refused with an
// error naming them (before any training).
func TestSearchBadSpecs(t *testing.T) {
	e, _ := New("pendulum")
	c := Context{Env: e, Train: "pendulum", Cache: must(cache.New(t.TempDir()))}
	for spec, want := range map[string]string{
		"mcts:simz=3":                      "simz",
		"mcts:sims=0":                      "sims",
		"mcts:levels=1":                    "levels",
		"mcts:discount=0":                  "discount",
		"mcts:c=-1":                        "key c",
		"guidedmcts:value=maybe":           "value",
		"guidedmcts:value=true,horizon=5":  "horizon",
		"guidedmcts:value=true,rollouts=2": "rollouts",
		"guidedmcts:mix=2":                 "mix",
		"guidedmcts:samples=3":             "samples",
	} {
		if _, err := NewPolicyIn(c, spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want one naming %q", spec, err, want)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestSearchPlays plays short episodes of pendulum and cart-pole with
// both kinds, the guided one from a briefly trained PPO policy, and checks
// that an episode is a function of the seed (a fresh policy of the same
// spec, and the same policy after Reset, play it again) and that the
// guided kind reports its policy's training.
func TestSearchPlays(t *testing.T) {
	ca := must(cache.New(t.TempDir()))
	ctx := context.Background()
	tests := []struct {
		env, train, spec string
		value            int // 1: the critic values the leaves, 0: rollouts, -1: either (auto)
	}{
		{"pendulum:max_steps=25", "pendulum", "mcts:sims=20", 0},
		{"cartpole:max_steps=40", "cartpole", "mcts:sims=20", 0},
		{"pendulum:max_steps=25", "pendulum", "guidedmcts:steps=2048,sims=10", -1},
		{"pendulum:max_steps=25,torque_noise=0.5", "pendulum", "guidedmcts:steps=2048,sims=10,value=false", 0},
		{"cartpole:max_steps=40", "cartpole", "guidedmcts:steps=2048,sims=10,value=true", 1},
		{"cartpole:max_steps=40", "cartpole", "guidedmcts:steps=2048,sims=10,value=false,horizon=5", 0},
	}
	for _, tc := range tests {
		e := must(New(tc.env))
		c := Context{Context: ctx, Env: e, Train: tc.train, Cache: ca, Seed: 2}
		a, err := NewPolicyIn(c, tc.spec)
		if err != nil {
			t.Fatalf("%s: %v", tc.spec, err)
		}
		b := must(NewPolicyIn(c, tc.spec))
		var rets []float64
		var cost argmax.Cost
		for _, p := range []env.Policy{a, b, a} {
			ep, err := env.Rollout(ctx, e, p, 5, argmax.Budget{})
			if err != nil {
				t.Fatalf("%s on %s: %v", tc.spec, tc.env, err)
			}
			rets = append(rets, ep.Return)
			cost = ep.Cost
		}
		if rets[0] != rets[1] || rets[0] != rets[2] {
			t.Errorf("%s on %s: returns %v from one seed", tc.spec, tc.env, rets)
		}
		if cost.Simulations == 0 || cost.Steps == 0 {
			t.Errorf("%s on %s: cost %+v", tc.spec, tc.env, cost)
		}
		if !strings.HasPrefix(tc.spec, "guided") {
			continue
		}
		tr := a.(Trained)
		if len(tr.Curve()) == 0 || tr.TrainingCost().Steps < 2048 {
			t.Errorf("%s: curve of %d points, training cost %+v", tc.spec, len(tr.Curve()), tr.TrainingCost())
		}
		v := a.(*trainedSearch).UsesValue()
		if tc.value >= 0 && v != (tc.value == 1) || v != (cost.Samples == 0) {
			t.Errorf("%s: uses the value %v (%d rollouts), want %v", tc.spec, v, cost.Samples, tc.value)
		}
		if h := a.(*trainedSearch).Config().Horizon; strings.Contains(tc.spec, "horizon=5") && h != 5 || v && h != 0 {
			t.Errorf("%s: horizon %d", tc.spec, h)
		}
	}
}
