package envs

import (
	"context"
	"slices"
	"strings"
	"testing"

	"argmax"
	"argmax/env"
	"argmax/lab/cache"
)

// TestLearnersTrainOnceAndKeepTheirCurve: a learner trains on its training
// env the first time, and a second policy of the same spec loads the same
// weights and curve from the cache.
func TestLearnersTrainOnceAndKeepTheirCurve(t *testing.T) {
	c, err := cache.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e, _ := New("cartpole")
	for _, spec := range []string{"ppo:steps=2048", "dqn:steps=1500", "guidedcem:steps=2048,samples=4,iters=1,horizon=4"} {
		ctx := Context{Context: context.Background(), Env: e, Train: "cartpole", Cache: c, Seed: 3}
		a, err := NewPolicyIn(ctx, spec)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		b, err := NewPolicyIn(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		ta, tb := a.(Trained), b.(Trained)
		if len(ta.Curve()) == 0 || !slices.Equal(ta.Curve(), tb.Curve()) || ta.TrainingCost().Steps == 0 {
			t.Errorf("%s: curves %d and %d points, training steps %d", spec, len(ta.Curve()), len(tb.Curve()), ta.TrainingCost().Steps)
		}
		ra, _ := env.Rollout(context.Background(), e, a, 5, argmax.Budget{})
		rb, _ := env.Rollout(context.Background(), e, b, 5, argmax.Budget{})
		if ra.Return != rb.Return {
			t.Errorf("%s: the cached policy plays differently: %v vs %v", spec, ra.Return, rb.Return)
		}
	}
	if _, err := NewPolicyIn(Context{Env: e}, "ppo"); err == nil || !strings.Contains(err.Error(), "training env") {
		t.Errorf("no training env: %v", err)
	}
	p, _ := New("pendulum")
	if _, err := NewPolicyIn(Context{Env: e, Train: "pendulum"}, "ppo"); err == nil || !strings.Contains(err.Error(), "spaces") {
		t.Errorf("training env of other spaces: %v (%v)", err, p.ActionSpace())
	}
	if _, err := NewPolicyIn(Context{Env: p, Train: "pendulum"}, "dqn"); err == nil || !strings.Contains(err.Error(), "discrete") {
		t.Errorf("dqn on a box: %v", err)
	}
}

// TestLearnersRejectUnknownKeysBeforeTraining: a misspelt key is an error
// naming it at once, not after a long training run (the step counts here
// would take hours, and nothing may be cached).
func TestLearnersRejectUnknownKeysBeforeTraining(t *testing.T) {
	dir := t.TempDir()
	c, err := cache.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := New("cartpole")
	for _, spec := range []string{"ppo:steps=1000000000,sampel=true", "dqn:steps=1000000000,sed=2", "guidedcem:steps=1000000000,iter=2"} {
		ctx := Context{Context: context.Background(), Env: e, Train: "cartpole", Cache: c, Seed: 3}
		_, err := NewPolicyIn(ctx, spec)
		bad := strings.Split(strings.Split(spec, ",")[1], "=")[0]
		if err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s: %v, want an error naming %q", spec, err, bad)
		}
	}
}
