package mcts

import (
	"context"
	"math"
	"testing"

	"argmax"
	"argmax/env"
	"argmax/env/control"
)

// TestEnvPlannerPriorRollouts checks EnvConfig.PriorRollouts: the prior
// still gives PUCT its probabilities, but the leaves are valued by random
// rollouts that stop at the horizon (a prior's absurd value is ignored),
// and both costs are counted.
func TestEnvPlannerPriorRollouts(t *testing.T) {
	e, _ := control.NewCartPole(control.CartPoleConfig{})
	obs := e.Reset(1)
	s := env.Situation{Obs: obs, Env: e}
	const horizon = 6
	for _, tc := range []struct {
		name     string
		rollouts bool
		sel      Selection
	}{
		{"puct, prior value", false, PUCT},
		{"puct, rollouts", true, PUCT},
		{"uct, rollouts", true, UCT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			p, err := NewEnvPlanner(EnvConfig{
				Prior:         fixedPrior{p: 0.9, v: 1e6, calls: &calls},
				PriorRollouts: tc.rollouts,
				ModelConfig:   ModelConfig{Selection: tc.sel, Horizon: horizon, Depth: 50, Seed: 2},
			})
			if err != nil {
				t.Fatal(err)
			}
			r, err := p.Search(context.Background(), s, argmax.Budget{Simulations: 50})
			if err != nil {
				t.Fatal(err)
			}
			c := r.Cost
			if !tc.rollouts {
				if r.Value < 1e5 || c.Samples != 0 {
					t.Errorf("value %v, %d rollouts: want the prior's value and no rollout", r.Value, c.Samples)
				}
				return
			}
			// A reward of 1 a step: every return within the horizon of
			// the root is at most its length, the rollouts' Depth
			// notwithstanding.
			if r.Value > horizon || r.Value < 1 {
				t.Errorf("root value %v: want a return of the rollouts within the %d-step horizon", r.Value, horizon)
			}
			for _, ch := range r.Children {
				if ch.Q > horizon {
					t.Errorf("action %d: Q %v beyond the horizon", ch.Action, ch.Q)
				}
			}
			// Every evaluated state is expanded into its 2 children
			// (states at the horizon are terminal, never evaluated).
			evals := c.Nodes / 2
			if evals < 10 || c.Samples != evals || c.Steps <= evals {
				t.Errorf("cost %+v: want a rollout per evaluation (%d) and their steps", c, evals)
			}
			if tc.sel == UCT {
				if calls != 0 {
					t.Errorf("UCT asked the prior %d times: it uses no probabilities", calls)
				}
				return
			}
			if int64(calls) != evals || c.ForwardPasses != evals || math.Abs(r.Children[1].Prior-0.9) > 1e-6 {
				t.Errorf("%d prior calls, cost %+v, root priors %v, %v: want the prior asked at every evaluation", calls, c, r.Children[0].Prior, r.Children[1].Prior)
			}
		})
	}
}

// TestEnvPlannerPriorRolloutsDeterminism checks that the rollouts beside
// a prior keep episodes a function of the seed.
func TestEnvPlannerPriorRolloutsDeterminism(t *testing.T) {
	run := func() float64 {
		e, _ := control.NewPendulum(control.PendulumConfig{MaxSteps: 20, TorqueNoise: 0.3})
		calls := 0
		p, err := NewEnvPlanner(EnvConfig{Prior: fixedPrior{p: 0.5, calls: &calls}, PriorRollouts: true,
			ModelConfig: ModelConfig{Selection: PUCT, Horizon: 8, Seed: 5}})
		if err != nil {
			t.Fatal(err)
		}
		ep, err := env.Rollout(context.Background(), e, p, 3, argmax.Budget{Simulations: 30})
		if err != nil {
			t.Fatal(err)
		}
		return ep.Return
	}
	if a, b := run(), run(); a != b {
		t.Errorf("returns %v and %v from the same seed", a, b)
	}
}
