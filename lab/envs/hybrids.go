package envs

import (
	"fmt"

	"argmax"
	"argmax/amortized/ppo"
	"argmax/env"
	"argmax/hybrid/guidedcem"
	"argmax/lab/kv"
)

// guidedPolicy is the guidedcem kind: CEM on the true simulator whose
// search starts, at every decision, from the plan of a PPO policy (the ppo
// kind's, trained on the training env) rolled through the model.
func guidedPolicy(c Context, a *kv.Args) (env.Policy, error) {
	steps := a.Int("steps", 0, 0, 1<<40)
	seed := a.Uint("seed", c.Seed+1)
	cfg := guidedcem.DefaultConfig()
	cfg.Search.Samples = int(a.Int("samples", int64(cfg.Search.Samples), 1, 1<<24))
	cfg.Search.Horizon = int(a.Int("horizon", int64(cfg.Search.Horizon), 1, 1<<16))
	cfg.Refine = int(a.Int("iters", int64(cfg.Refine), 0, 1<<16))
	cfg.Search.Seed = seed
	if a.Err() != nil {
		return nil, a.Err()
	}
	if err := a.Unread(); err != nil {
		return nil, err // before training, not after
	}
	base, err := NewPolicyIn(c, fmt.Sprintf("ppo:steps=%d,seed=%d", steps, seed))
	if err != nil {
		return nil, err
	}
	tr := base.(*trained)
	p, ok := tr.Policy.(*ppo.Policy)
	if !ok {
		return nil, fmt.Errorf("guidedcem: the ppo kind gave a %T", tr.Policy)
	}
	actor, err := guidedcem.NewPPO(p)
	if err != nil {
		return nil, err
	}
	g, err := guidedcem.New(guidedcem.EnvModel{}, actor, nil, cfg)
	if err != nil {
		return nil, err
	}
	return &trainedGuided{Planner: g, training: tr.training, curve: tr.curve}, nil
}

// trainedGuided is a guided planner with its policy's training record.
type trainedGuided struct {
	*guidedcem.Planner
	training argmax.Cost
	curve    []CurvePoint
}

func (t *trainedGuided) TrainingCost() argmax.Cost { return t.training }
func (t *trainedGuided) Curve() []CurvePoint       { return t.curve }

func init() {
	RegisterPolicy(PolicyKind{Name: "guidedcem", Role: argmax.Hybrid, Privileged: true, New: guidedPolicy,
		Usage: "guidedcem[:steps=N,seed=N,samples=N,iters=K,horizon=H]  CEM on the true simulator started from a PPO policy's plan (the ppo kind's, trained for N steps); iters=0 is the policy itself"})
}
