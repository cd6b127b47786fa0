package envs

import (
	"fmt"

	"argmax"
	"argmax/direct/valueiter"
	"argmax/env"
	"argmax/env/maze"
	"argmax/hybrid/mesa"
	"argmax/lab/kv"
)

// Mesa is the policy of the mesa kind: it reads its learned objective.
type Mesa interface {
	env.Policy
	// Objective is the learned reward model the agent plans against.
	Objective() *mesa.RewardModel
}

// mesaPolicy is the mesa kind: hybrid/mesa's agent, its reward model fitted
// to every object of `levels` levels of the training env (seeds 0, 1, …;
// the rewards are those the training env pays), planning on each new level
// against it.
func mesaPolicy(c Context, a *kv.Args) (env.Policy, error) {
	n := int(a.Int("levels", 200, 1, 1<<20))
	cfg := mesa.Config{Seed: a.Uint("seed", c.Seed+1), Gamma: a.Float("gamma", 0.95, 1e-9, 1-1e-9), InitScale: a.Float("init", 1, 0, 1e6)}
	if a.Err() != nil {
		return nil, a.Err()
	}
	if err := a.Unread(); err != nil {
		return nil, err
	}
	if _, ok := mazeOf(c.Env); !ok {
		return nil, fmt.Errorf("mesa needs a maze env; %s is none", c.Env.Name())
	}
	te, err := trainEnv(c)
	if err != nil {
		return nil, err
	}
	levels := make([]mesa.Level, n)
	for i := range levels {
		e := te.Clone()
		e.Reset(uint64(i))
		m, ok := mazeOf(e)
		if !ok {
			return nil, fmt.Errorf("mesa trains on maze levels; %q is not a maze", c.Train)
		}
		levels[i] = m
	}
	data, err := mesa.Collect(levels)
	if err != nil {
		return nil, err
	}
	rm, err := mesa.Fit(data, cfg)
	if err != nil {
		return nil, err
	}
	return &mesaAgent{mazePlanner: mazePlanner{plan: func(m *maze.Maze) (*valueiter.Solution, error) { return rm.Plan(m) }}, rm: rm}, nil
}

// mesaAgent is the mesa kind's policy.
type mesaAgent struct {
	mazePlanner
	rm *mesa.RewardModel
}

func (p *mesaAgent) Objective() *mesa.RewardModel { return p.rm }

func init() {
	RegisterPolicy(PolicyKind{Name: "mesa", Role: argmax.Hybrid, Privileged: true, New: mesaPolicy,
		Usage: "mesa[:levels=N,seed=N,gamma=G,init=S]  a model-based agent with an explicit mesa-objective: a logistic reward model of the objects of N training levels (their features, the training env's rewards), planned against by value iteration on each level's true transitions"})
}
