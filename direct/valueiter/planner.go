package valueiter

import (
	"context"
	"fmt"

	"argmax"
	"argmax/env"
)

// EpisodePlanner is an env.Policy that solves the model of the level it
// acts in by value iteration at the first decision of each episode — the
// model may change from one episode to the next (a new maze level, a new
// list to pick from) — and answers with the greedy action (the first of
// ties) of the agent's state. The solve's sweeps and backups are that
// decision's counted cost; its wall time is the harness's to measure.
type EpisodePlanner struct {
	// Model returns the model to solve for the situation's env; nil means
	// the first env of its wrapper stack that is an MDP (its own rewards).
	Model func(e env.Env) (MDP, error)
	// Gamma is the discount of the solves.
	Gamma float64

	greedy []int // nil until the episode's first decision
	solves argmax.Cost
	action [1]float64
}

var (
	_ env.Policy   = (*EpisodePlanner)(nil)
	_ env.Resetter = (*EpisodePlanner)(nil)
)

// Reset starts a new episode: its model is solved at its first decision.
func (p *EpisodePlanner) Reset() { p.greedy = nil }

// TrainingCost is the cost of the solves so far (argmax.Trainable).
func (p *EpisodePlanner) TrainingCost() argmax.Cost { return p.solves }

// Decide solves the situation's model at the episode's first decision and
// returns the greedy action of the agent's state.
func (p *EpisodePlanner) Decide(ctx context.Context, s env.Situation, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	if err := ctx.Err(); err != nil {
		return nil, argmax.Cost{}, err
	}
	var cost argmax.Cost
	if p.greedy == nil {
		var m MDP
		var err error
		if p.Model != nil {
			m, err = p.Model(s.Env)
		} else if found, ok := env.Find[MDP](s.Env); ok {
			m = found
		} else {
			err = fmt.Errorf("valueiter: %s has no tabular model", s.Env.Name())
		}
		if err != nil {
			return nil, cost, err
		}
		t, err := NewTable(m)
		if err != nil {
			return nil, cost, err
		}
		sol, err := ValueIteration(t, Config{Gamma: p.Gamma})
		if err != nil {
			return nil, cost, err
		}
		p.greedy, cost = sol.Greedy(), sol.Cost
		cost.Elapsed = 0 // measured around the decision
		p.solves = p.solves.Add(cost)
	}
	st, ok := StateOf(s, len(p.greedy))
	if !ok || st < 0 || st >= len(p.greedy) {
		return nil, cost, fmt.Errorf("valueiter: %s does not expose a state of its %d-state model", s.Env.Name(), len(p.greedy))
	}
	p.action[0] = float64(p.greedy[st])
	return p.action[:], cost, nil
}
