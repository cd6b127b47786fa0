package envs

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"argmax"
	"argmax/env"
	"argmax/lab/cache"
)

// tinyPETS is a pets spec small enough for a unit test: 100 random steps
// and two refits 25 planned steps apart, a 2-member ensemble trained 2
// epochs a fit, CEM of 8 sequences × 2 iterations of horizon 5.
const tinyPETS = "pets:steps=150,init=100,every=25,members=2,epochs=2,samples=8,iters=2,horizon=5"

// The pets kind trains once on the training env (here with observation
// noise and flicker, so the model is fitted to what the agent sees), keeps
// the ensemble in the cache, and every later policy of the spec — in this
// process or, the memo forgotten, from the file — reads it instead of
// training, reports the same curve and cost, and plays the same episode.
func TestPETSTrainsOnceAndCaches(t *testing.T) {
	c, err := cache.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const train = "pendulum:max_steps=50,obs_noise=0.1,flicker=0.2"
	e, err := New(train)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	ctx := Context{Context: context.Background(), Env: e, Train: train, Cache: c, Seed: 3, Log: slog.New(slog.NewTextHandler(&log, nil))}
	trainings := func() int { return strings.Count(log.String(), "pets trained") }
	a, err := NewPolicyIn(ctx, tinyPETS)
	if err != nil {
		t.Fatal(err)
	}
	if trainings() != 1 {
		t.Fatalf("%d trainings after the first policy", trainings())
	}
	b, err := NewPolicyIn(ctx, tinyPETS)
	if err != nil {
		t.Fatal(err)
	}
	loaded.Range(func(k, v any) bool { // forget this process's memo: read the file
		if _, ok := v.(*petsLoaded); ok {
			loaded.Delete(k)
		}
		return true
	})
	d, err := NewPolicyIn(ctx, tinyPETS)
	if err != nil {
		t.Fatal(err)
	}
	if trainings() != 1 {
		t.Errorf("%d trainings: the cached ensemble was not reused", trainings())
	}
	ta, tb, td := a.(Trained), b.(Trained), d.(Trained)
	// 150 steps of 50-step episodes: 3 episodes, at 50, 100 and 150 steps.
	if got := ta.Curve(); len(got) != 3 || got[2].Steps != 150 {
		t.Errorf("curve %+v: want 3 episodes, the last at 150 steps", got)
	}
	if !slices.Equal(ta.Curve(), tb.Curve()) || !slices.Equal(ta.Curve(), td.Curve()) {
		t.Errorf("curves differ: %v, %v, %v", ta.Curve(), tb.Curve(), td.Curve())
	}
	tc := ta.TrainingCost()
	if tc.Decisions != 150 || tc.Steps == 0 || tc.Iterations == 0 || tc != td.TrainingCost() {
		t.Errorf("training cost %+v (from the file: %+v): want 150 env steps, model steps and gradient steps", tc, td.TrainingCost())
	}
	if _, ok := a.(env.Resetter); !ok {
		t.Error("the pets policy is not an env.Resetter")
	}
	var returns []float64
	for _, p := range []env.Policy{a, b, d} {
		ep, err := env.Rollout(context.Background(), e, p, 7, argmax.Budget{})
		if err != nil {
			t.Fatal(err)
		}
		if ep.Steps != 50 {
			t.Errorf("episode of %d steps, want 50", ep.Steps)
		}
		returns = append(returns, ep.Return)
	}
	if returns[0] != returns[1] || returns[0] != returns[2] {
		t.Errorf("the cached policies play differently: returns %v", returns)
	}
	if role, err := PolicyRole(tinyPETS); err != nil || role != argmax.Direct {
		t.Errorf("role %q, %v: want direct", role, err)
	}
}

// Bad keys, a configuration that cannot be, and an env whose reward the
// kind does not know are errors naming what is wrong; reward=learned
// trains on such an env.
func TestPETSErrors(t *testing.T) {
	c, err := cache.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := New("pendulum")
	a, _ := New("acrobot")
	for _, tt := range []struct {
		env         env.Env
		train, spec string
		want        []string
	}{
		{p, "pendulum", "pets:bogus=1", []string{"bogus"}},
		{p, "pendulum", "pets:prop=fast", []string{"prop", "fast"}},
		{p, "pendulum", "pets:reward=guess", []string{"reward", "guess"}},
		{p, "pendulum", "pets:steps=100,init=200", []string{"steps=100", "init=200"}},
		{p, "pendulum", "pets:steps=300,iterations=2", []string{"steps and iterations"}},
		{p, "", "pets", []string{"training env"}},
		{a, "acrobot", "pets", []string{`"acrobot"`, "no known reward", "reward=learned"}},
		{p, "pendulum:repeat=2", "pets", []string{"repeat=2", "reward=learned"}},
	} {
		_, err := NewPolicyIn(Context{Env: tt.env, Train: tt.train, Cache: c}, tt.spec)
		if err == nil {
			t.Errorf("%s on %q: no error", tt.spec, tt.train)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s on %q: %v: want it to name %q", tt.spec, tt.train, err, w)
			}
		}
	}
	pol, err := NewPolicyIn(Context{Env: a, Train: "acrobot", Cache: c}, "pets:reward=learned,steps=30,init=20,every=10,members=1,epochs=1,samples=4,iters=1,horizon=3")
	if err != nil {
		t.Fatalf("reward=learned on acrobot: %v", err)
	}
	if _, err := env.Rollout(context.Background(), a, pol, 1, argmax.Budget{}); err != nil {
		t.Errorf("reward=learned on acrobot plays: %v", err)
	}
}
