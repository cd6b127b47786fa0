package envs

import (
	"fmt"

	"argmax"
	"argmax/direct/valueiter"
	"argmax/env"
	"argmax/env/toytext"
	"argmax/lab/kv"
)

// The tabular envs of env/toytext and the planner that solves them
// outright from their model (value iteration).

// TabularModel returns the first env in e's wrapper stack that exposes its
// transition model (valueiter's MDP), if there is one.
func TabularModel(e env.Env) (valueiter.MDP, bool) { return tabularModel(e) }

// tabularModel returns the first env in e's wrapper stack that exposes its
// transition model.
func tabularModel(e env.Env) (valueiter.MDP, bool) { return env.Find[valueiter.MDP](e) }

// viPolicy is the vi kind: value iteration on the acting env's own model.
func viPolicy(c Context, a *kv.Args) (env.Policy, error) {
	gamma := a.Float("gamma", 0.99, 0, 1)
	if a.Err() != nil {
		return nil, a.Err()
	}
	if _, ok := tabularModel(c.Env); !ok {
		return nil, fmt.Errorf("vi needs an env with a tabular model (frozenlake, cliffwalking, pick); %s has none", c.Env.Name())
	}
	return &valueiter.EpisodePlanner{Gamma: gamma}, nil
}

func init() {
	Register(Kind{Name: "frozenlake", Usage: "frozenlake[:map=4x4|8x8|ROWS/…,slippery=BOOL,max_steps=N]  Gymnasium's FrozenLake-v1 (one-hot observations)",
		New: func(a *kv.Args) (env.Env, error) {
			cfg := toytext.FrozenLakeConfig{Map: a.String("map", "4x4"), Deterministic: !a.Bool("slippery", true), MaxSteps: count(a, "max_steps")}
			if a.Err() != nil {
				return nil, a.Err()
			}
			return toytext.NewFrozenLake(cfg)
		}})
	Register(Kind{Name: "cliffwalking", Usage: "cliffwalking[:slippery=BOOL]  Gymnasium's CliffWalking-v0 (one-hot observations)",
		New: func(a *kv.Args) (env.Env, error) {
			cfg := toytext.CliffWalkingConfig{Slippery: a.Bool("slippery", false)}
			if a.Err() != nil {
				return nil, a.Err()
			}
			return toytext.NewCliffWalking(cfg)
		}})
	RegisterPolicy(PolicyKind{Name: "vi", Role: argmax.Direct, New: viPolicy,
		Usage: "vi[:gamma=G]  value iteration on the env's own transition model (tabular envs), solved at the first decision of each episode"})
}
