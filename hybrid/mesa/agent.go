package mesa

import (
	"context"
	"fmt"

	"argmax"
	"argmax/direct/valueiter"
	"argmax/env"
)

// Agent is the mesa-optimizer as an env policy: at the first decision of
// each episode it plans on the episode's level — the first env of the
// situation's wrapper stack that is a Level — against its learned
// objective, then answers with the plan's action at the agent's state.
type Agent struct {
	model  *RewardModel
	greedy []int // nil until the episode's first decision
	action [1]float64
}

var (
	_ env.Policy   = (*Agent)(nil)
	_ env.Resetter = (*Agent)(nil)
)

// NewAgent returns the agent planning against m.
func NewAgent(m *RewardModel) *Agent { return &Agent{model: m} }

// Objective is the learned reward model the agent plans against: its
// mesa-objective, readable as it is.
func (p *Agent) Objective() *RewardModel { return p.model }

// Reset starts a new episode.
func (p *Agent) Reset() { p.greedy = nil }

// Decide plans at the episode's first decision (its sweeps and backups are
// that decision's counted cost) and answers from the plan.
func (p *Agent) Decide(ctx context.Context, s env.Situation, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	if err := ctx.Err(); err != nil {
		return nil, argmax.Cost{}, err
	}
	var cost argmax.Cost
	if p.greedy == nil {
		l, ok := env.Find[Level](s.Env)
		if !ok {
			return nil, cost, fmt.Errorf("mesa: %s has no tabular level with features", s.Env.Name())
		}
		sol, err := p.model.Plan(l)
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
