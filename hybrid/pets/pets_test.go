package pets_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"argmax"
	"argmax/amortized/dynamics"
	"argmax/direct/cem"
	"argmax/env"
	"argmax/env/control"
	"argmax/hybrid/pets"
)

// tiny is a PETS run small enough for a unit test: 100 random steps, two
// iterations of 50 planned steps, a 2-member ensemble of 16 units, CEM of
// 20 sequences × 2 iterations of horizon 8, 2 particles.
func tiny(seed uint64) pets.Config {
	ens := dynamics.DefaultConfig()
	ens.Members, ens.Hidden, ens.Epochs, ens.LearningRate = 2, []int{16}, 3, 3e-3
	ens.Reward = control.PendulumReward
	return pets.Config{
		Seed: seed, InitSteps: 100, StepsPerIteration: 50, Iterations: 2,
		Planner:  cem.Config{Horizon: 8, Samples: 20, Iterations: 2},
		Ensemble: ens, Particles: 2,
	}
}

// A tiny run goes through every phase, records its curve and costs, calls
// its hook after each fit, and is a pure function of its seed.
func TestRunTiny(t *testing.T) {
	e, _ := control.NewPendulum(control.PendulumConfig{})
	var its []int
	agent, st, err := pets.Run(context.Background(), e, tiny(1), pets.Hooks{Progress: func(p pets.Progress) error {
		its = append(its, p.Iteration)
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(its, []int{0, 1, 2}) || st.Iterations != 2 {
		t.Errorf("progress after iterations %v, %d completed: want 0, 1, 2", its, st.Iterations)
	}
	if st.EnvSteps != 200 || agent.Data.Len() != 200 {
		t.Errorf("%d env steps, %d transitions: want 200", st.EnvSteps, agent.Data.Len())
	}
	// 200 steps of 200-step episodes: exactly one finished, its first half
	// random, its second planned.
	if len(st.Episodes) != 1 || st.Episodes[0].EnvSteps != 200 || st.Episodes[0].Steps != 200 || st.Episodes[0].Random || st.Episodes[0].Iteration != 2 {
		t.Errorf("episodes %+v", st.Episodes)
	}
	// 100 planned decisions, each 2 iterations of 20 sequences of 8 steps
	// by 2 particles.
	if st.Planning.Samples != 100*2*20 || st.Planning.Steps != 100*2*20*8*2 || st.Planning.ForwardPasses != st.Planning.Steps {
		t.Errorf("planning cost %+v", st.Planning)
	}
	if st.Training.Iterations == 0 || st.Training.FLOPs == 0 {
		t.Errorf("training cost %+v", st.Training)
	}
	_, st2, err := pets.Run(context.Background(), e, tiny(1), pets.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	_, st3, _ := pets.Run(context.Background(), e, tiny(2), pets.Hooks{})
	if !reflect.DeepEqual(st.Episodes, st2.Episodes) || st.Planning != st2.Planning {
		t.Errorf("the same seed gave %+v and %+v", st.Episodes, st2.Episodes)
	}
	if reflect.DeepEqual(st.Episodes, st3.Episodes) {
		t.Error("seeds 1 and 2 gave the same curve")
	}
}

// The hook stops a run with ErrStop (no error) or any other error
// (returned), and a bad config is an error.
func TestStopAndErrors(t *testing.T) {
	e, _ := control.NewPendulum(control.PendulumConfig{})
	_, st, err := pets.Run(context.Background(), e, tiny(1), pets.Hooks{Progress: func(p pets.Progress) error { return pets.ErrStop }})
	if err != nil || st.EnvSteps != 100 || st.Iterations != 0 {
		t.Errorf("ErrStop after the random phase: %v, %d steps, %d iterations", err, st.EnvSteps, st.Iterations)
	}
	boom := errors.New("boom")
	if _, _, err := pets.Run(context.Background(), e, tiny(1), pets.Hooks{Progress: func(pets.Progress) error { return boom }}); !errors.Is(err, boom) {
		t.Errorf("hook error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := pets.Run(ctx, e, tiny(1), pets.Hooks{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	for _, bad := range []func(*pets.Config){
		func(c *pets.Config) { c.InitSteps = -1 },
		func(c *pets.Config) { c.Particles = -2 },
		func(c *pets.Config) { c.Propagation = 7 },
		func(c *pets.Config) { c.Planner.Horizon = -1 },
		func(c *pets.Config) { c.Ensemble.Members = -1 },
	} {
		c := tiny(1)
		bad(&c)
		if _, _, err := pets.Run(context.Background(), e, c, pets.Hooks{}); err == nil {
			t.Errorf("config %+v: no error", c)
		}
	}
}

// A saved agent loads with its record and plays exactly as the agent the
// run returned; a checkpoint trained with the known reward does not load
// without it.
func TestSaveLoad(t *testing.T) {
	e, _ := control.NewPendulum(control.PendulumConfig{})
	agent, st, err := pets.Run(context.Background(), e, tiny(1), pets.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pets.safetensors")
	if err := agent.Save(path, st); err != nil {
		t.Fatal(err)
	}
	loaded, st2, err := pets.Load(path, tiny(1))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(st, st2) || st2.TrainingCost().Decisions != 200 {
		t.Errorf("record %+v, loaded %+v", st, st2)
	}
	fresh, err := pets.NewAgent(agent.Ensemble, tiny(1)) // the run's planner has moved on: a fresh one over its model
	if err != nil {
		t.Fatal(err)
	}
	var returns []float64
	for _, p := range []*pets.Agent{fresh, loaded} {
		ep, err := env.Rollout(context.Background(), e, p, 5, argmax.Budget{})
		if err != nil {
			t.Fatal(err)
		}
		returns = append(returns, ep.Return)
	}
	if returns[0] != returns[1] {
		t.Errorf("returns %v: the loaded agent plays differently", returns)
	}
	cfg := tiny(1)
	cfg.Ensemble.Reward = nil
	if _, _, err := pets.Load(path, cfg); err == nil {
		t.Error("loaded without the known reward")
	}
}
