package guidedmcts

import (
	"errors"
	"fmt"

	"argmax/direct/mcts"
)

// NewPlanner returns an EnvPlanner guided by prior: cfg's search with
// PUCT over the prior's probabilities, its Levels those of the prior (0
// takes them), and the leaves valued by the critic (the prior's
// Config.Value) or by cfg's random rollouts (EnvConfig.PriorRollouts).
// With the critic, a zero Discount takes the critic's own (Gamma), and a
// Horizon is refused: a node at the horizon is worth 0, which would
// discard the critic. cfg's Prior, PriorRollouts, Selection and
// Evaluator are set here; the rest (C, the budget, the seed, Depth and
// Rollouts for rollouts, noise, batching) is cfg's.
func NewPlanner(prior *Prior, cfg mcts.EnvConfig) (*mcts.EnvPlanner, error) {
	if prior == nil {
		return nil, errors.New("guidedmcts: nil prior")
	}
	if cfg.Evaluator != nil {
		return nil, errors.New("guidedmcts: an evaluator beside the prior: the prior or the rollouts value the leaves")
	}
	switch {
	case cfg.Levels == 0:
		cfg.Levels = prior.cfg.Levels
	case cfg.Levels != prior.cfg.Levels && !prior.policy.ActionSpace().IsDiscrete():
		return nil, fmt.Errorf("guidedmcts: the planner discretizes into %d levels, the prior into %d", cfg.Levels, prior.cfg.Levels)
	}
	if prior.cfg.Value {
		if prior.ValueScale() == 0 {
			return nil, errors.New("guidedmcts: the ppo critic was trained on scaled rewards: calibrate its value scale first (Prior.Calibrate), or guide without the value")
		}
		if cfg.Horizon > 0 {
			return nil, fmt.Errorf("guidedmcts: horizon=%d with the critic's value: the leaves at the horizon would be worth 0 (a horizon is for rollouts)", cfg.Horizon)
		}
		if cfg.Discount == 0 {
			cfg.Discount = prior.Gamma()
		}
	}
	cfg.Prior = prior
	cfg.PriorRollouts = !prior.cfg.Value
	cfg.Selection = mcts.PUCT
	p, err := mcts.NewEnvPlanner(cfg)
	if err != nil {
		return nil, fmt.Errorf("guidedmcts: %w", err)
	}
	return p, nil
}
