package envs

import (
	"fmt"

	"argmax"
	"argmax/env"
	"argmax/hybrid/mesa"
	"argmax/lab/kv"
)

// Mesa is the policy of the mesa kind: it reads its learned objective.
type Mesa interface {
	env.Policy
	// Objective is the learned reward model the agent plans against.
	Objective() *mesa.RewardModel
}

// mesaLevel returns the level of e's wrapper stack as a mesa.Level.
func mesaLevel(e env.Env) (mesa.Level, bool) { return env.Find[mesa.Level](e) }

var _ Mesa = (*mesa.Agent)(nil)

// mesaPolicy is the mesa kind: hybrid/mesa's agent, its reward model fitted
// to every terminal state of `levels` levels of the training env (seeds 0,
// 1, …; the rewards are those the training env pays), planning on each
// episode's level against it.
func mesaPolicy(c Context, a *kv.Args) (env.Policy, error) {
	n := int(a.Int("levels", 200, 1, 1<<20))
	cfg := mesa.Config{Seed: a.Uint("seed", c.Seed+1), Gamma: a.Float("gamma", 0.95, 1e-9, 1-1e-9), InitScale: a.Float("init", 1, 0, 1e6)}
	if a.Err() != nil {
		return nil, a.Err()
	}
	if err := a.Unread(); err != nil {
		return nil, err
	}
	if _, ok := mesaLevel(c.Env); !ok {
		return nil, fmt.Errorf("mesa needs an env whose levels have a tabular model with state features (maze, pick); %s is none", c.Env.Name())
	}
	te, err := trainEnv(c)
	if err != nil {
		return nil, err
	}
	levels := make([]mesa.Level, n)
	for i := range levels {
		e := te.Clone()
		e.Reset(uint64(i))
		l, ok := mesaLevel(e)
		if !ok {
			return nil, fmt.Errorf("mesa trains on levels with a tabular model and features; %q has none", c.Train)
		}
		levels[i] = l
	}
	data, err := mesa.Collect(levels)
	if err != nil {
		return nil, err
	}
	rm, err := mesa.Fit(data, cfg)
	if err != nil {
		return nil, err
	}
	return mesa.NewAgent(rm), nil
}

func init() {
	RegisterPolicy(PolicyKind{Name: "mesa", Role: argmax.Hybrid, Privileged: true, New: mesaPolicy,
		Usage: "mesa[:levels=N,seed=N,gamma=G,init=S]  a model-based agent with an explicit mesa-objective: a logistic reward model of the terminal states (objects, items) of N training levels (their features, the training env's rewards), planned against by value iteration on each level's true transitions (maze, pick)"})
}
