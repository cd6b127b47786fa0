package envs

import (
	"context"
	"fmt"

	"argmax"
	"argmax/direct/valueiter"
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
	return &mesaAgent{rm: rm}, nil
}

// mesaAgent is the mesa kind's policy: it plans at the first decision of
// each episode, on the episode's level, against its learned objective.
type mesaAgent struct {
	rm     *mesa.RewardModel
	greedy []int // nil until the episode's first decision
	action [1]float64
}

var (
	_ Mesa         = (*mesaAgent)(nil)
	_ env.Resetter = (*mesaAgent)(nil)
)

func (p *mesaAgent) Objective() *mesa.RewardModel { return p.rm }

// Reset starts a new episode.
func (p *mesaAgent) Reset() { p.greedy = nil }

// Decide plans on the situation's level at the episode's first decision
// (its sweeps and backups are that decision's cost) and answers with the
// plan's action at the agent's state.
func (p *mesaAgent) Decide(ctx context.Context, s env.Situation, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	if err := ctx.Err(); err != nil {
		return nil, argmax.Cost{}, err
	}
	var cost argmax.Cost
	if p.greedy == nil {
		l, ok := mesaLevel(s.Env)
		if !ok {
			return nil, cost, fmt.Errorf("mesa: %s has no tabular level with features", s.Env.Name())
		}
		sol, err := p.rm.Plan(l)
		if err != nil {
			return nil, cost, err
		}
		p.greedy, cost = sol.Greedy(), sol.Cost
		cost.Elapsed = 0 // measured around the decision
	}
	st, ok := valueiter.StateOf(s, len(p.greedy))
	if !ok {
		return nil, cost, fmt.Errorf("mesa: %s does not expose its state", s.Env.Name())
	}
	p.action[0] = float64(p.greedy[st])
	return p.action[:], cost, nil
}

func init() {
	RegisterPolicy(PolicyKind{Name: "mesa", Role: argmax.Hybrid, Privileged: true, New: mesaPolicy,
		Usage: "mesa[:levels=N,seed=N,gamma=G,init=S]  a model-based agent with an explicit mesa-objective: a logistic reward model of the terminal states (objects, items) of N training levels (their features, the training env's rewards), planned against by value iteration on each level's true transitions (maze, pick)"})
}
